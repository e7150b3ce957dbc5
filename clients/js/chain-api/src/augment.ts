// TypeScript types for `api.rpc.timebank.*`, so clients call them without casts (what
// `@polkadot/typegen` would generate for the definitions in `rpc.ts`). Import-only: no runtime code.
import '@polkadot/rpc-core/types/jsonrpc';

import type { AugmentedRpc } from '@polkadot/rpc-core/types';
import type { Json, Option } from '@polkadot/types';
import type { AccountId32, Hash } from '@polkadot/types/interfaces';
import type { AnyNumber, Codec, Observable } from '@polkadot/types/types';

type Account = AccountId32 | string | Uint8Array;
type BlockHash = Hash | string | Uint8Array;
type Id = AnyNumber;

/** `timebank_auditLog`'s subject: exactly one of these keys. */
export type AuditSubjectInput =
  | { Member: Account }
  | { Branch: Id }
  | { Listing: Id }
  | { Engagement: Id }
  | { Operation: Id }
  | { Certificate: Id }
  | { LedgerAction: Id }
  | { Course: Id }
  | Codec;

declare module '@polkadot/rpc-core/types/jsonrpc' {
  interface RpcInterface {
    timebank: {
      member: AugmentedRpc<(who: Account, at?: BlockHash) => Observable<Option<Json>>>;
      balances: AugmentedRpc<(who: Account, at?: BlockHash) => Observable<Json>>;
      statement: AugmentedRpc<
        (who: Account, from?: Id, limit?: Id, at?: BlockHash) => Observable<Json>
      >;
      branchSummary: AugmentedRpc<(branch: Id, at?: BlockHash) => Observable<Option<Json>>>;
      listing: AugmentedRpc<(id: Id, at?: BlockHash) => Observable<Option<Json>>>;
      engagement: AugmentedRpc<(id: Id, at?: BlockHash) => Observable<Option<Json>>>;
      certificate: AugmentedRpc<(id: Id) => Observable<Option<Json>>>;
      auditLog: AugmentedRpc<
        (subject: AuditSubjectInput, from?: Id, limit?: Id, at?: BlockHash) => Observable<Json>
      >;
      /** Unsafe (operator-only): refused by nodes whose RPC is public. */
      checkInvariants: AugmentedRpc<(at?: BlockHash) => Observable<Json>>;
      validators: AugmentedRpc<(at?: BlockHash) => Observable<Json>>;
    };
  }
}
