//! Custody of members' keys and personal data for the gateway (decision 0014, issue 17).
//!
//! Members never handle keys: the gateway holds one sr25519 key per member and signs for them.
//! This crate is the only place a secret exists in clear, and only for the moment it is used:
//!
//! - **Key-encryption key (KEK)** ([`Kek`]): 32 bytes from a file only its owner may read. It
//!   never encrypts data itself; HKDF derives one key per purpose from it (wrapping data keys,
//!   sealing personal data, blind indexes), so learning one derived key reveals no other.
//! - **A member's key** ([`SealedKey`]): 16 bytes of BIP39 entropy, encrypted under the member's
//!   own random data key (DEK) with XChaCha20-Poly1305; the DEK is wrapped under the KEK's
//!   wrapping key. Both encryptions are bound to the account (and the DEK's to the KEK's id) as
//!   associated data, so a sealed key moved to another row does not open.
//! - **Rotating the KEK** rewraps only the DEKs ([`Custody::rewrap`]); the sealed entropy stays.
//! - **Personal data** ([`Custody::seal_field`]) is sealed per field, bound to its record and
//!   kind; **blind indexes** ([`Custody::blind_index`]) let the store find a member by phone or ID
//!   number without keeping the number in clear.
//!
//! Nothing here holds a secret in a type that implements `Debug` or `Display`; secrets live in
//! [`zeroize::Zeroizing`] buffers that are wiped when dropped. No SQL and no network: callers
//! store the sealed bytes and hand them back.

mod envelope;
mod kek;
mod keys;
mod personal;

pub use kek::{Kek, KekId, KEK_LEN};
pub use keys::{SealedKey, SIGNATURE_LEN};
pub use personal::{FieldKind, SealedField};

use zeroize::Zeroizing;

/// Why custody refused: each says what to do, none carries a secret.
#[derive(Debug, thiserror::Error)]
pub enum CustodyError {
	/// The KEK file could not be read.
	#[error("cannot read the key-encryption key file {path}: {reason}")]
	KekUnreadable {
		/// The file.
		path: String,
		/// What the operating system said.
		reason: String,
	},
	/// Others may read the KEK file.
	#[error(
		"the key-encryption key file {path} may be read by others (mode {mode:o}); allow only its \
		 owner: chmod 600 {path}"
	)]
	KekTooOpen {
		/// The file.
		path: String,
		/// Its permission bits.
		mode: u32,
	},
	/// The KEK file does not hold exactly 32 bytes.
	#[error(
		"the key-encryption key file {path} holds {len} bytes; it must hold exactly {KEK_LEN}"
	)]
	KekWrongLength {
		/// The file.
		path: String,
		/// How many bytes it holds.
		len: usize,
	},
	/// A sealed key was wrapped under another KEK than the one given.
	#[error("this key was sealed under key-encryption key {sealed}, not {given}")]
	OtherKek {
		/// The KEK id recorded with the sealed key.
		sealed: u32,
		/// The id of the KEK custody holds.
		given: u32,
	},
	/// Decryption failed: the KEK is wrong, or the sealed bytes were changed or moved to another
	/// record.
	#[error("the sealed data does not open: wrong key-encryption key, or the data was altered")]
	DoesNotOpen,
	/// The operating system's random source failed.
	#[error("no randomness from the operating system: {0}")]
	Randomness(String),
}

/// The gateway's custody: the keys derived from one KEK.
pub struct Custody {
	kek_id: KekId,
	/// Wraps members' data keys.
	wrapping: Zeroizing<[u8; 32]>,
	/// Seals personal-data fields.
	fields: Zeroizing<[u8; 32]>,
	/// Keys the blind indexes.
	index: Zeroizing<[u8; 32]>,
}

impl Custody {
	/// Custody under `kek`: the per-purpose keys are derived once, the KEK itself is dropped.
	pub fn new(kek: Kek) -> Self {
		Self {
			kek_id: kek.id(),
			wrapping: kek.derive(b"timebank/custody/wrap-data-keys/v1"),
			fields: kek.derive(b"timebank/custody/personal-data/v1"),
			index: kek.derive(b"timebank/custody/blind-index/v1"),
		}
	}

	/// The id of the KEK this custody holds (stored with every sealed key).
	pub fn kek_id(&self) -> KekId {
		self.kek_id
	}
}

/// Fill a buffer from the operating system's random source.
fn random<const N: usize>() -> Result<Zeroizing<[u8; N]>, CustodyError> {
	let mut bytes = Zeroizing::new([0u8; N]);
	getrandom::getrandom(bytes.as_mut()).map_err(|e| CustodyError::Randomness(e.to_string()))?;
	Ok(bytes)
}

#[cfg(test)]
mod tests;
