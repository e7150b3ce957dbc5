// The runtime's own transaction extension. @polkadot/api knows Substrate's standard extensions
// (CheckNonce, CheckWeight, …) but not `CheckMemberQuota` (`pallets/registry/src/extension.rs`,
// listed in the metadata's extrinsic extensions right before CheckNonce). For an extension it does
// not know it prints "Unknown signed extensions CheckMemberQuota found, treating them as no-effect"
// and cannot tell whether the signed payload is right. Declaring it here tells @polkadot/api the
// truth: it adds nothing to the extrinsic (no explicit data) and nothing to what is signed (no
// implicit data), so transactions are built and signed exactly as the runtime checks them.
import type { ExtDef } from '@polkadot/types/extrinsic/signedExtensions/types';

/** The `signedExtensions` option of `ApiPromise.create`. */
export const signedExtensions: ExtDef = {
  CheckMemberQuota: { extrinsic: {}, payload: {} },
};
