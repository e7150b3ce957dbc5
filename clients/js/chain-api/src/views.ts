// Pallet view functions (FRAME's `#[pallet::view_functions]`): typed read-only queries that the
// runtime answers through its `RuntimeViewFunction` API and describes in metadata v16 (each
// pallet's `viewFunctions`: a 32-byte id, named inputs and an output, all by type id). No node RPC
// code is involved, so a view function works on any node that runs the runtime.
//
// `callViewFunction(api, 'Registry', 'quota', [who])` finds the function in the metadata, SCALE
// encodes the inputs by their type ids, calls `RuntimeViewFunction_execute_view_function` and
// decodes its `Result<Vec<u8>, ViewFunctionDispatchError>` and then the output by its type id.
// The named helpers below (`branches`, `quota`, `trust`, …) wrap it with plain TypeScript results.
import type { ApiPromise } from '@polkadot/api';
import type { QueryableModuleCalls } from '@polkadot/api/types';
import { Metadata, TypeRegistry } from '@polkadot/types';
import type { Bytes, Result } from '@polkadot/types';
import type { BlockHash, MetadataLatest, PalletViewFunctionMetadataV16 } from '@polkadot/types/interfaces';
import type { Codec, Registry } from '@polkadot/types/types';
import { compactAddLength, stringCamelCase, u8aConcat, u8aToHex, u8aToString, u8aToU8a } from '@polkadot/util';

import { signedExtensions } from './extensions';

/** The runtime API method view functions go through (`frame_support::view_functions`). */
const RUNTIME_API = 'RuntimeViewFunction';
const RUNTIME_METHOD = 'execute_view_function';

/** A view function the runtime's metadata does not list (wrong name, or a runtime without it). */
export class UnknownViewFunctionError extends Error {
  constructor(pallet: string, name: string, known: string[]) {
    super(
      `unknown view function ${pallet}.${name}: the runtime's metadata lists ${known.length ? known.join(', ') : 'no view functions'}`,
    );
    this.name = 'UnknownViewFunctionError';
  }
}

/** The runtime refused the call: `ViewFunctionDispatchError` (`NotImplemented`, `NotFound`, `Codec`). */
export class ViewFunctionDispatchError extends Error {
  /** The error's variant as the runtime names it, e.g. `Codec` (the input did not decode). */
  readonly kind: string;
  constructor(pallet: string, name: string, error: Codec) {
    const json = error.toJSON();
    const kind = typeof json === 'string' ? json : Object.keys(json as Record<string, unknown>)[0] ?? 'unknown';
    super(`view function ${pallet}.${name} failed in the runtime: ${JSON.stringify(json)}`);
    this.name = 'ViewFunctionDispatchError';
    this.kind = kind;
  }
}

/** Where a view function is described: the metadata (v16) and the registry its type ids refer to. */
interface ViewContext {
  registry: Registry;
  metadata: MetadataLatest;
}

// Metadata v16 fetched by hand, per api and runtime version (only when the api holds older metadata).
const fetchedContexts = new WeakMap<ApiPromise, { specVersion: number; context: ViewContext }>();

/**
 * The metadata that lists view functions. @polkadot/api (16.x) asks the node for v16 itself when
 * the runtime offers it; when the api holds an older version (converted to v16 without view
 * functions), fetch v16 with `Metadata_metadata_at_version(16)` into a registry of its own: its
 * type ids may differ from the older version's.
 */
async function viewContext(api: ApiPromise): Promise<ViewContext> {
  if (api.runtimeMetadata.version >= 16) {
    return { registry: api.registry, metadata: api.runtimeMetadata.asLatest };
  }
  const specVersion = api.runtimeVersion.specVersion.toNumber();
  const cached = fetchedContexts.get(api);
  if (cached?.specVersion === specVersion) return cached.context;

  const registry = new TypeRegistry();
  const versionArg = u8aToHex(registry.createType('u32', 16).toU8a());
  const raw = await api.rpc.state.call('Metadata_metadata_at_version', versionArg);
  const opaque = registry.createType('Option<OpaqueMetadata>', raw.toU8a(true));
  if (opaque.isNone) {
    throw new Error('the runtime serves no metadata v16, so it has no view functions');
  }
  const metadata = new Metadata(registry, opaque.unwrap().toHex());
  registry.setMetadata(metadata, undefined, signedExtensions);
  registry.setChainProperties(api.registry.getChainProperties());
  const context = { registry, metadata: metadata.asLatest };
  fetchedContexts.set(api, { specVersion, context });
  return context;
}

function sameName(a: string, b: string): boolean {
  return stringCamelCase(a) === stringCamelCase(b);
}

function findViewFunction(
  metadata: MetadataLatest,
  pallet: string,
  name: string,
): PalletViewFunctionMetadataV16 {
  const all = metadata.pallets.flatMap((p) =>
    p.viewFunctions.map((f) => ({ pallet: p.name.toString(), fn: f })),
  );
  const found = all.find(
    (v) => v.pallet.toLowerCase() === pallet.toLowerCase() && sameName(v.fn.name.toString(), name),
  );
  if (!found) {
    throw new UnknownViewFunctionError(pallet, name, all.map((v) => `${v.pallet}.${v.fn.name.toString()}`));
  }
  return found.fn;
}

/** The type id of `RuntimeViewFunction_execute_view_function`'s result, from the metadata's runtime APIs. */
function dispatchResultType(registry: Registry, metadata: MetadataLatest): string {
  const method = metadata.apis
    .find((a) => a.name.toString() === RUNTIME_API)
    ?.methods.find((m) => m.name.toString() === RUNTIME_METHOD);
  if (!method) {
    throw new Error(`the runtime does not implement the ${RUNTIME_API} API: it has no view functions`);
  }
  return registry.createLookupType(method.output);
}

/** Options of `callViewFunction`. */
export interface ViewFunctionOptions {
  /** Read the state at this block instead of the best block. */
  at?: BlockHash | string | Uint8Array;
}

/**
 * Calls a pallet's view function and returns its output decoded by the output's type id (a
 * @polkadot/types codec; `.toJSON()` gives plain values). `pallet` is the runtime's pallet name
 * (`Registry`, `Activities`; any case), `name` the function's name in snake_case or camelCase
 * (`proxies_of` or `proxiesOf`), `args` its inputs in order, as @polkadot/api accepts them for
 * their types (an SS58 address for an account, a number or bigint for an integer).
 *
 * Throws `UnknownViewFunctionError` when the metadata does not list it, an `Error` when the number
 * of arguments is wrong or the output does not decode, and `ViewFunctionDispatchError` when the
 * runtime refuses the call.
 */
export async function callViewFunction(
  api: ApiPromise,
  pallet: string,
  name: string,
  args: readonly unknown[] = [],
  options: ViewFunctionOptions = {},
): Promise<Codec> {
  const { registry, metadata } = await viewContext(api);
  const fn = findViewFunction(metadata, pallet, name);
  const label = `${pallet}.${fn.name.toString()}`;
  if (args.length !== fn.inputs.length) {
    const expected = fn.inputs.map((i) => i.name.toString()).join(', ');
    throw new Error(`view function ${label} takes ${fn.inputs.length} argument(s) (${expected}), got ${args.length}`);
  }
  const input = u8aConcat(
    ...fn.inputs.map((param, i) => {
      try {
        return registry.createTypeUnsafe(registry.createLookupType(param.type), [args[i]]).toU8a();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`view function ${label}: cannot encode its input ${param.name.toString()}: ${reason}`);
      }
    }),
  );
  const id = fn.id.toU8a();
  const queryId = { prefix: id.subarray(0, 16), suffix: id.subarray(16, 32) };

  let bytes: Uint8Array;
  const calls = api.call.runtimeViewFunction as QueryableModuleCalls<'promise'> | undefined;
  const decorated = calls?.executeViewFunction;
  if (decorated && registry === api.registry && options.at === undefined) {
    // @polkadot/api's runtime call, decorated from the same metadata: the input is `Bytes`, and
    // a hex string is taken as the raw bytes (a Uint8Array would be read as length-prefixed).
    const result = await decorated<Result<Bytes, Codec>>(queryId, u8aToHex(input));
    if (result.isErr) throw new ViewFunctionDispatchError(pallet, fn.name.toString(), result.asErr);
    bytes = result.asOk.toU8a(true);
  } else {
    // The same call as raw `state_call`: the id's 32 bytes, then the input as a `Vec<u8>`.
    const data = u8aToHex(u8aConcat(id, compactAddLength(input)));
    const raw = options.at === undefined
      ? await api.rpc.state.call(`${RUNTIME_API}_${RUNTIME_METHOD}`, data)
      : await api.rpc.state.call(`${RUNTIME_API}_${RUNTIME_METHOD}`, data, options.at);
    const result = registry.createTypeUnsafe<Result<Bytes, Codec>>(
      dispatchResultType(registry, metadata),
      [raw.toU8a(true)],
    );
    if (result.isErr) throw new ViewFunctionDispatchError(pallet, fn.name.toString(), result.asErr);
    bytes = result.asOk.toU8a(true);
  }

  const output = registry.createTypeUnsafe(registry.createLookupType(fn.output), [bytes]);
  if (output.encodedLength !== bytes.length) {
    throw new Error(
      `view function ${label}: the output decoded from ${output.encodedLength} of ${bytes.length} bytes; the metadata does not match the runtime`,
    );
  }
  return output;
}

// ---------------------------------------------------------------------------------------------
// Typed helpers for the view functions of the Time Bank runtime (spec 109 and later; `keys`: 110).

type Account = string | Uint8Array;

/** A member's or proxy's permissions (`ProxyPermissions`). */
export interface ProxyPermissions {
  requestServices: boolean;
  confirmServices: boolean;
  proposeTransfers: boolean;
}

/** A branch as `Registry.branches` shows it. */
export interface BranchView {
  id: number;
  /** The branch above it; `null` for a root branch. */
  parent: number | null;
  /** 0 for a root branch. */
  depth: number;
  status: 'active' | 'suspended' | 'closed';
  /** Hash of the branch's public profile document (kept off chain), 0x-hex. */
  profileHash: string;
  /** Where the branch's gateway answers, as UTF-8 text, or `null` when its admins published none. */
  gateway: string | null;
  /** The same address as 0x-hex bytes (the chain stores bytes, not text). */
  gatewayHex: string | null;
  members: { pending: number; active: number; suspended: number };
}

/** An account's fee-free allowance, in microseconds of block execution time. */
export interface QuotaView {
  remaining: number;
  allowance: number;
}

/** A proxy recorded by staff and waiting for the member's or a second officer's confirmation. */
export interface PendingProxyView {
  proxy: string;
  permissions: ProxyPermissions;
  /** Hash of the evidence staff checked, 0x-hex. */
  evidence: string;
  recordedBy: string;
  recordedAt: number;
}

/** A re-key waiting for approval (`PendingRekey`). */
export interface PendingRekeyView {
  /** The key the account moves to; it signed the request's proof. */
  new: string;
  /** The member (with the old key) or the staff member who asked. */
  requestedBy: string;
  /** Whether staff asked (the key lost): the request then waits a day before approval. */
  byStaff: boolean;
  /** Hash of the off-chain record of the request, 0x-hex; zero when the member asked. */
  evidence: string;
  /** The block it was requested in. */
  requestedAt: number;
}

/** `Registry.keys`: a member's keys (re-keying, runtime spec 110). */
export interface KeysView {
  /** A re-key of this account waiting for approval, or `null`. */
  pending: PendingRekeyView | null;
  /** The member's current key if this key was retired by a re-key, else `null`. */
  rekeyedTo: string | null;
  /** The member's earlier keys, oldest first, if this is their current key (history stays under those). */
  previousKeys: string[];
}

/** The service record a member's trust level is computed from. */
export interface ServiceRecord {
  provided: number;
  received: number;
  ratings: number;
  ratingSum: number;
}

/** `Activities.trust`: the level listings' `minTrust` is compared with, and its record. */
export interface TrustView {
  level: number;
  record: ServiceRecord;
}

function lowerFirst(value: string): string {
  return value.charAt(0).toLowerCase() + value.slice(1);
}

interface BranchViewJson {
  id: number;
  parent: number | null;
  depth: number;
  status: string;
  profileHash: string;
  gateway: string | null;
  members: { pending: number; active: number; suspended: number };
}

/** Every branch with its status, profile hash, gateway address and member counts. */
export async function branches(api: ApiPromise, options?: ViewFunctionOptions): Promise<BranchView[]> {
  const list = (await callViewFunction(api, 'Registry', 'branches', [], options)).toJSON() as unknown as BranchViewJson[];
  return list.map((b) => ({
    id: b.id,
    parent: b.parent,
    depth: b.depth,
    status: lowerFirst(b.status) as BranchView['status'],
    profileHash: b.profileHash,
    gateway: b.gateway === null ? null : u8aToString(u8aToU8a(b.gateway)),
    gatewayHex: b.gateway,
    members: { pending: b.members.pending, active: b.members.active, suspended: b.members.suspended },
  }));
}

/** `who`'s fee-free allowance: what remains now and the whole (it refills over one quota window). */
export async function quota(api: ApiPromise, who: Account, options?: ViewFunctionOptions): Promise<QuotaView> {
  return (await callViewFunction(api, 'Registry', 'quota', [who], options)).toJSON() as unknown as QuotaView;
}

/** Who may act for `member`, with what permissions. */
export async function proxiesOf(
  api: ApiPromise,
  member: Account,
  options?: ViewFunctionOptions,
): Promise<{ proxy: string; permissions: ProxyPermissions }[]> {
  const pairs = (await callViewFunction(api, 'Registry', 'proxies_of', [member], options)).toJSON() as unknown as [string, ProxyPermissions][];
  return pairs.map(([proxy, permissions]) => ({ proxy, permissions }));
}

/** Whom `proxy` may act for, with the permissions each member gave. */
export async function actingFor(
  api: ApiPromise,
  proxy: Account,
  options?: ViewFunctionOptions,
): Promise<{ member: string; permissions: ProxyPermissions }[]> {
  const pairs = (await callViewFunction(api, 'Registry', 'acting_for', [proxy], options)).toJSON() as unknown as [string, ProxyPermissions][];
  return pairs.map(([member, permissions]) => ({ member, permissions }));
}

/** `who`'s verified relatives, each with the hash of the evidence staff checked. */
export async function relationsOf(
  api: ApiPromise,
  who: Account,
  options?: ViewFunctionOptions,
): Promise<{ relative: string; evidence: string }[]> {
  const pairs = (await callViewFunction(api, 'Registry', 'relations_of', [who], options)).toJSON() as unknown as [string, string][];
  return pairs.map(([relative, evidence]) => ({ relative, evidence }));
}

/** The proxy staff recorded for `member`, waiting for confirmation, or `null`. */
export async function pendingProxy(
  api: ApiPromise,
  member: Account,
  options?: ViewFunctionOptions,
): Promise<PendingProxyView | null> {
  return (await callViewFunction(api, 'Registry', 'pending_proxy', [member], options)).toJSON() as unknown as PendingProxyView | null;
}

/** `who`'s keys: a waiting re-key, the key a retired `who` moved to, and the member's earlier keys. */
export async function keys(api: ApiPromise, who: Account, options?: ViewFunctionOptions): Promise<KeysView> {
  return (await callViewFunction(api, 'Registry', 'keys', [who], options)).toJSON() as unknown as KeysView;
}

/** `who`'s trust level and the service record it is computed from. */
export async function trust(api: ApiPromise, who: Account, options?: ViewFunctionOptions): Promise<TrustView> {
  const [level, record] = (await callViewFunction(api, 'Activities', 'trust', [who], options)).toJSON() as unknown as [number, ServiceRecord];
  return { level, record };
}

/** Whether `who` has a pending application to `listing`. */
export async function hasApplied(
  api: ApiPromise,
  listing: number | bigint,
  who: Account,
  options?: ViewFunctionOptions,
): Promise<boolean> {
  return (await callViewFunction(api, 'Activities', 'has_applied', [listing, who], options)).toJSON() as boolean;
}

/** The typed helpers as one object: `views.quota(api, who)`, …. */
export const views = {
  branches,
  quota,
  proxiesOf,
  actingFor,
  relationsOf,
  pendingProxy,
  keys,
  trust,
  hasApplied,
};
