//! Personal data: sealed field by field, and found again through blind indexes. None of it ever
//! reaches the chain, the indexer's tables or a log line (issue 17).

use crate::{envelope, Custody, CustodyError};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

/// What a field holds; sealed values and blind indexes of one kind never match another kind's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
	/// The member's name.
	Name,
	/// A phone number, normalised by the caller (digits only, with country code).
	Phone,
	/// An ID-card number, normalised by the caller (upper case, no spaces).
	IdNumber,
	/// A postal address.
	Address,
	/// A birth date (ISO 8601).
	BirthDate,
	/// The random salt of the member's identity commitment (kept so a branch can re-check a
	/// document against the chain's commitment).
	IdentitySalt,
}

impl FieldKind {
	fn label(self) -> &'static [u8] {
		match self {
			Self::Name => b"name",
			Self::Phone => b"phone",
			Self::IdNumber => b"id-number",
			Self::Address => b"address",
			Self::BirthDate => b"birth-date",
			Self::IdentitySalt => b"identity-salt",
		}
	}
}

/// A sealed field: nonce ‖ ciphertext ‖ tag, bound to its record and kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedField(pub Vec<u8>);

impl Custody {
	/// Seal `value` of `kind` for the record `record` (e.g. the member's row id).
	pub fn seal_field(
		&self,
		kind: FieldKind,
		record: &[u8],
		value: &[u8],
	) -> Result<SealedField, CustodyError> {
		envelope::seal(&self.fields, &field_aad(kind, record), value).map(SealedField)
	}

	/// Open a field sealed by [`Self::seal_field`] for the same record and kind.
	pub fn open_field(
		&self,
		kind: FieldKind,
		record: &[u8],
		sealed: &SealedField,
	) -> Result<Zeroizing<Vec<u8>>, CustodyError> {
		envelope::open(&self.fields, &field_aad(kind, record), &sealed.0)
	}

	/// The blind index of a normalised `value` of `kind`: equal values give equal indexes, so the
	/// store finds a member by phone or ID number; without the KEK the index reveals nothing, and
	/// guessing numbers against it needs the KEK too.
	pub fn blind_index(&self, kind: FieldKind, value: &[u8]) -> [u8; 32] {
		let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.index.as_ref())
			.expect("HMAC takes a key of any length");
		mac.update(kind.label());
		mac.update(&[0]);
		mac.update(value);
		mac.finalize().into_bytes().into()
	}
}

fn field_aad(kind: FieldKind, record: &[u8]) -> Vec<u8> {
	[b"timebank/field/".as_slice(), kind.label(), b"/", record].concat()
}
