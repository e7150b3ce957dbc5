// @timebank/chain-api: @polkadot/api set up for the Time Bank Chain, shared by the web app and the
// mini program. Everything else (calls, storage, events, errors) @polkadot/api reads from the
// runtime's metadata; only the node's own RPC methods and the runtime's own transaction
// extension are not in the metadata in a form it can use, so they are declared here. The pallets'
// view functions are in the metadata (v16) but @polkadot/api has no helper for them: `views.ts`.
// The proof a new key signs to take over a member's account (re-keying): `rekey.ts`.
import { ApiPromise, WsProvider } from '@polkadot/api';

import { signedExtensions } from './extensions';
import { rpc, types } from './rpc';

import './augment';

export type { AuditSubjectInput } from './augment';
export { signedExtensions } from './extensions';
export { multiSignature, REKEY_MESSAGE_LENGTH, REKEY_TAG, rekeyMessage, rekeyProof } from './rekey';
export type { RekeyProof, RekeySigner } from './rekey';
export { rpc, timebankRpc, types } from './rpc';
export {
  actingFor,
  branches,
  callViewFunction,
  hasApplied,
  keys,
  pendingProxy,
  proxiesOf,
  quota,
  relationsOf,
  trust,
  UnknownViewFunctionError,
  ViewFunctionDispatchError,
  views,
} from './views';
export type {
  BranchView,
  KeysView,
  PendingProxyView,
  PendingRekeyView,
  ProxyPermissions,
  QuotaView,
  ServiceRecord,
  TrustView,
  ViewFunctionOptions,
} from './views';

/**
 * Connects to a node (e.g. `ws://127.0.0.1:9944`) and resolves once @polkadot/api has read its
 * metadata, with `api.rpc.timebank.*` available and `CheckMemberQuota` declared, so signed
 * transactions need no further configuration. Call `api.disconnect()` when done. Rejects when the
 * first connection fails, and then stops the provider's reconnection attempts, so a wrong endpoint
 * is an error instead of a promise that never settles. (Once connected, the provider reconnects by
 * itself after a drop, as @polkadot/api's always does.)
 */
export async function createTimebankApi(endpoint: string): Promise<ApiPromise> {
  const provider = new WsProvider(endpoint);
  try {
    return await ApiPromise.create({ provider, rpc, types, signedExtensions, throwOnConnect: true });
  } catch (error) {
    await provider.disconnect().catch(() => undefined);
    // @polkadot/api rejects with the WebSocket event, not an Error: say what failed.
    throw error instanceof Error ? error : new Error(`cannot connect to ${endpoint}`);
  }
}
