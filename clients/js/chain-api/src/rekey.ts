// Re-keying (runtime spec 110, decision 0013): a member's account moves to a new key. The NEW key
// consents by signing a fixed 110-byte message, and the member (`registry.requestRekey(new, proof)`)
// or staff of the home branch (`registry.requestRekeyFor(member, new, proof, evidence)`) submit
// that signature as `proof`; the new key never has to send a transaction itself. The runtime
// (`Registry::rekey_message`) refuses a proof over anything else with `registry.BadRekeyProof`.
//
// The message: "timebank/rekey" (14 ASCII bytes, no length prefix) ‖ the chain's genesis hash
// (32) ‖ the old account id (32) ‖ the new account id (32), i.e. the SCALE encoding of
// `([u8; 14], H256, AccountId32, AccountId32)`.
import type { ApiPromise } from '@polkadot/api';
import { TypeRegistry } from '@polkadot/types';
import type { HexString } from '@polkadot/util/types';
import { stringToU8a, u8aConcat, u8aToHex, u8aToU8a } from '@polkadot/util';

/** The tag the message starts with, as the runtime's `REKEY_TAG`. */
export const REKEY_TAG = 'timebank/rekey';
/** The message's length in bytes: tag 14, genesis hash 32, old and new account ids 32 each. */
export const REKEY_MESSAGE_LENGTH = 110;

type Account = string | Uint8Array;

// Only to turn SS58 addresses (any prefix) or 0x-hex into 32-byte account ids.
const accountRegistry = new TypeRegistry();

function accountId(account: Account, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = accountRegistry.createType('AccountId32', account).toU8a();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`rekey: the ${what} account is not an SS58 address or 32 bytes: ${reason}`);
  }
  if (bytes.length !== 32) throw new Error(`rekey: the ${what} account is ${bytes.length} bytes, not 32`);
  return bytes;
}

/**
 * The 110 bytes the new key signs to consent to `oldAccount`'s membership moving to
 * `newAccount`, on the chain whose genesis hash is `genesisHash` (`api.genesisHash`). Accounts
 * as SS58 addresses (any prefix), 0x-hex or 32 bytes.
 */
export function rekeyMessage(genesisHash: HexString | Uint8Array | { toU8a(): Uint8Array }, oldAccount: Account, newAccount: Account): Uint8Array {
  const genesis = genesisHash instanceof Uint8Array || typeof genesisHash === 'string'
    ? u8aToU8a(genesisHash)
    : genesisHash.toU8a();
  if (genesis.length !== 32) throw new Error(`rekey: the genesis hash is ${genesis.length} bytes, not 32`);
  const message = u8aConcat(stringToU8a(REKEY_TAG), genesis, accountId(oldAccount, 'old'), accountId(newAccount, 'new'));
  if (message.length !== REKEY_MESSAGE_LENGTH) throw new Error(`rekey: the message is ${message.length} bytes, not ${REKEY_MESSAGE_LENGTH}`);
  return message;
}

/**
 * The new key: what @polkadot/keyring's `KeyringPair` offers (sr25519, ed25519 or ecdsa; its
 * `address` is the account id, for ecdsa the hash of the public key).
 */
export interface RekeySigner {
  readonly type: string;
  readonly address: string;
  sign(message: Uint8Array): Uint8Array;
}

/** A `MultiSignature` as @polkadot/api accepts it for the `proof` argument. */
export type RekeyProof = { Sr25519: HexString } | { Ed25519: HexString } | { Ecdsa: HexString };

/** The same signature tagged with its scheme, as the runtime's `MultiSignature` names them. */
export function multiSignature(type: string, signature: Uint8Array): RekeyProof {
  const hex = u8aToHex(signature);
  switch (type) {
    case 'sr25519':
      return { Sr25519: hex };
    case 'ed25519':
      return { Ed25519: hex };
    case 'ecdsa':
      return { Ecdsa: hex };
    default:
      throw new Error(`rekey: a ${type} key cannot hold a Time Bank account (sr25519, ed25519 or ecdsa only)`);
  }
}

/**
 * The proof that `newPair` consents to `oldAccount`'s membership moving to it on the chain `api`
 * is connected to: its signature over `rekeyMessage(api.genesisHash, oldAccount, newPair.address)`
 * as a `MultiSignature`. Pass it with `newPair.address`:
 * `api.tx.registry.requestRekey(newPair.address, proof)` (signed by the old key) or
 * `api.tx.registry.requestRekeyFor(oldAccount, newPair.address, proof, evidence)` (signed by staff).
 */
export function rekeyProof(api: ApiPromise, oldAccount: Account, newPair: RekeySigner): RekeyProof {
  const message = rekeyMessage(api.genesisHash, oldAccount, newPair.address);
  return multiSignature(newPair.type, newPair.sign(message));
}
