// The node's own JSON-RPC methods (`node/src/rpc/timebank.rs`, documented in `docs/RPC.md`), in
// @polkadot/api's definitions format. @polkadot/api builds `api.rpc.<section>.<method>` only for
// methods it has a definition of, so without these a client cannot call `timebank_*` through it.
import type { DefinitionRpc, DefinitionRpcParam } from '@polkadot/types/types';

/** The optional block hash every reading method takes last; the node reads its best block without it. */
const at: DefinitionRpcParam = { name: 'at', type: 'Hash', isHistoric: true, isOptional: true };

/**
 * A subject of `timebank_auditLog` (the runtime's `AuditSubject<AccountId>`). The node reads it as
 * JSON with camelCase variant keys, e.g. `{"member": "5Grw…"}`, which is what @polkadot/api's enums
 * serialise to. Pass it as `{ Member: address }`, `{ Branch: 0 }`, `{ LedgerAction: 3 }`, ….
 */
export const types = {
  TimebankAuditSubject: {
    _enum: {
      Member: 'AccountId32',
      Branch: 'u32',
      Listing: 'u64',
      Engagement: 'u64',
      Operation: 'u64',
      Certificate: 'u64',
      LedgerAction: 'u64',
      Course: 'u32',
    },
  },
};

/**
 * Every `timebank_*` method the node serves. Results are the node's JSON objects (camelCase keys,
 * shapes in `docs/RPC.md`), returned as `Json`; those that answer `null` for an unknown id are
 * `Option<Json>`. Parameters are typed as the node declares them: `AccountId32` (SS58 address),
 * `u32` for branch and course ids and page bounds, `u64` for listing, engagement and certificate ids.
 */
export const timebankRpc: Record<string, DefinitionRpc> = {
  member: {
    description: "A member's registry record (no personal data: only the identity commitment), or null",
    params: [{ name: 'who', type: 'AccountId32' }, at],
    type: 'Option<Json>',
  },
  balances: {
    description: "A member's balances by class, in minutes, and what escrow holds",
    params: [{ name: 'who', type: 'AccountId32' }, at],
    type: 'Json',
  },
  statement: {
    description: "A page of a member's statement, oldest first (from: default 0; limit: default 20, 1-100)",
    params: [
      { name: 'who', type: 'AccountId32' },
      { name: 'from', type: 'u32', isOptional: true },
      { name: 'limit', type: 'u32', isOptional: true },
      at,
    ],
    type: 'Json',
  },
  branchSummary: {
    description: "A branch's members, liability, pool and clearing positions, or null for an unknown branch",
    params: [{ name: 'branch', type: 'u32' }, at],
    type: 'Option<Json>',
  },
  listing: {
    description: 'A request or offer of the activities pallet, or null',
    params: [{ name: 'id', type: 'u64' }, at],
    type: 'Option<Json>',
  },
  engagement: {
    description: 'One service from acceptance to settlement, or null',
    params: [{ name: 'id', type: 'u64' }, at],
    type: 'Option<Json>',
  },
  certificate: {
    description: 'A training certificate with a storage proof at the latest finalised block, or null',
    params: [{ name: 'id', type: 'u64' }],
    type: 'Option<Json>',
  },
  auditLog: {
    description: "A page of a subject's audit log, oldest first (from: default 0; limit: default 20, 1-100)",
    params: [
      { name: 'subject', type: 'TimebankAuditSubject' },
      { name: 'from', type: 'u32', isOptional: true },
      { name: 'limit', type: 'u32', isOptional: true },
      at,
    ],
    type: 'Json',
  },
  // UNSAFE (operator-only): the node refuses it under `--rpc-methods safe` and, by default, on any
  // node whose RPC listens beyond localhost; it reads the whole state. Declared so that operators'
  // and auditors' tools can call it on their own node; public clients will get -32601.
  checkInvariants: {
    description: "Runs every pallet's invariant checks at a block (unsafe: the node's operator only)",
    params: [at],
    type: 'Json',
    isUnsafe: true,
  },
  validators: {
    description: 'The validator set and its liveness, the candidate branches and their votes, the election parameters and the set an election would choose now',
    params: [at],
    type: 'Json',
  },
};

/** The `rpc` option of `ApiPromise.create`: the `timebank` section. */
export const rpc = { timebank: timebankRpc };
