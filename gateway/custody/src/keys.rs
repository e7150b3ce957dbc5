//! Members' keys: generated here, stored sealed by the caller, opened only to sign or export.

use crate::{envelope, random, Custody, CustodyError, KekId};
use polkadot_sdk::sp_core::{sr25519, Pair as _};
use zeroize::Zeroizing;

/// Bytes of BIP39 entropy behind a member's key: 16 make the 12-word phrase wallets show.
const ENTROPY_LEN: usize = 16;
/// The layout of the sealed entropy; a new layout gets a new number.
const KEY_VERSION: u8 = 1;
/// Bytes in an sr25519 signature.
pub const SIGNATURE_LEN: usize = 64;

/// A member's key as the store keeps it: the account in clear, everything secret sealed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedKey {
	/// The account (the sr25519 public key).
	pub account: [u8; 32],
	/// The KEK whose wrapping key wrapped `wrapped_dek`.
	pub kek_id: KekId,
	/// The layout of `sealed_entropy`.
	pub key_version: u8,
	/// The member's data key, sealed under the KEK's wrapping key, bound to the account and KEK.
	pub wrapped_dek: Vec<u8>,
	/// The key's BIP39 entropy, sealed under the data key, bound to the account and version.
	pub sealed_entropy: Vec<u8>,
}

impl Custody {
	/// A new key for a member: its account, and the sealed key to store.
	pub fn generate(&self) -> Result<SealedKey, CustodyError> {
		let entropy = random::<ENTROPY_LEN>()?;
		let account = pair_from_entropy(entropy.as_ref())?.public().0;
		let dek = random::<32>()?;
		let sealed_entropy =
			envelope::seal(&dek, &entropy_aad(&account, KEY_VERSION), entropy.as_ref())?;
		let wrapped_dek =
			envelope::seal(&self.wrapping, &dek_aad(&account, self.kek_id), dek.as_ref())?;
		Ok(SealedKey {
			account,
			kek_id: self.kek_id,
			key_version: KEY_VERSION,
			wrapped_dek,
			sealed_entropy,
		})
	}

	/// The member's sr25519 signature over `payload` (what a transaction or a re-key proof signs).
	pub fn sign(
		&self,
		key: &SealedKey,
		payload: &[u8],
	) -> Result<[u8; SIGNATURE_LEN], CustodyError> {
		Ok(self.open_pair(key)?.sign(payload).0)
	}

	/// The member's 12-word phrase, for moving to self-custody: any Substrate wallet that imports
	/// it opens the same account. The caller re-authenticates the member and writes an audit entry
	/// first (issue 17).
	pub fn export_phrase(&self, key: &SealedKey) -> Result<Zeroizing<String>, CustodyError> {
		let entropy = self.open_entropy(key)?;
		let phrase = bip39::Mnemonic::from_entropy(entropy.as_ref())
			.map_err(|_| CustodyError::DoesNotOpen)?;
		Ok(Zeroizing::new(phrase.to_string()))
	}

	/// `key` with its data key rewrapped under `next`'s KEK (KEK rotation). The sealed entropy is
	/// unchanged; the old KEK no longer opens the result.
	pub fn rewrap(&self, key: &SealedKey, next: &Custody) -> Result<SealedKey, CustodyError> {
		let dek = self.open_dek(key)?;
		let wrapped_dek =
			envelope::seal(&next.wrapping, &dek_aad(&key.account, next.kek_id), dek.as_ref())?;
		Ok(SealedKey { kek_id: next.kek_id, wrapped_dek, ..key.clone() })
	}

	/// The key pair, checked against the account it was sealed for.
	fn open_pair(&self, key: &SealedKey) -> Result<sr25519::Pair, CustodyError> {
		let pair = pair_from_entropy(self.open_entropy(key)?.as_ref())?;
		if pair.public().0 != key.account {
			return Err(CustodyError::DoesNotOpen);
		}
		Ok(pair)
	}

	fn open_entropy(&self, key: &SealedKey) -> Result<Zeroizing<Vec<u8>>, CustodyError> {
		let dek = self.open_dek(key)?;
		envelope::open(&dek, &entropy_aad(&key.account, key.key_version), &key.sealed_entropy)
	}

	fn open_dek(&self, key: &SealedKey) -> Result<Zeroizing<[u8; 32]>, CustodyError> {
		if key.kek_id != self.kek_id {
			return Err(CustodyError::OtherKek { sealed: key.kek_id.0, given: self.kek_id.0 });
		}
		let dek =
			envelope::open(&self.wrapping, &dek_aad(&key.account, key.kek_id), &key.wrapped_dek)?;
		let dek: [u8; 32] = dek.as_slice().try_into().map_err(|_| CustodyError::DoesNotOpen)?;
		Ok(Zeroizing::new(dek))
	}
}

/// The sr25519 pair wallets derive from this BIP39 entropy (through its phrase, no password).
fn pair_from_entropy(entropy: &[u8]) -> Result<sr25519::Pair, CustodyError> {
	let phrase = Zeroizing::new(
		bip39::Mnemonic::from_entropy(entropy).map_err(|_| CustodyError::DoesNotOpen)?.to_string(),
	);
	sr25519::Pair::from_phrase(&phrase, None)
		.map(|(pair, _)| pair)
		.map_err(|_| CustodyError::DoesNotOpen)
}

fn entropy_aad(account: &[u8; 32], version: u8) -> Vec<u8> {
	[b"timebank/key-entropy".as_slice(), account, &[version]].concat()
}

fn dek_aad(account: &[u8; 32], kek: KekId) -> Vec<u8> {
	[b"timebank/data-key".as_slice(), account, &kek.0.to_le_bytes()].concat()
}
