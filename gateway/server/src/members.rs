//! Registering a member at the counter: the gateway makes the member's key, keeps the personal
//! data sealed in the vault, and sends the chain only the account and a salted identity
//! commitment, signed by the staff member who registers (decision 0014; clients plan B5).

use crate::{
	outbox::{NewOperation, OperationId},
	Gateway, GatewayError,
};
use timebank_chain_api::timebank::{
	self, runtime_types::timebank_primitives::membership::MemberRoles,
};
use timebank_custody::FieldKind;

/// Domain separation of the identity commitment.
const IDENTITY_TAG: &[u8] = b"timebank/identity/v1";

/// A person's details as staff enter them. None of it goes on chain.
#[derive(Clone, Debug, Default)]
pub struct PersonalData {
	/// The legal name.
	pub name: String,
	/// A phone number, if the member has one.
	pub phone: Option<String>,
	/// The document type, e.g. `resident-id` or `passport`.
	pub id_type: String,
	/// The document's number.
	pub id_number: String,
	/// A postal address.
	pub address: Option<String>,
	/// The birth date, `YYYY-MM-DD`.
	pub birth_date: Option<String>,
}

/// What a new member will do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Roles {
	/// Gives services.
	pub volunteer: bool,
	/// Receives services.
	pub recipient: bool,
	/// Acts for a family member.
	pub family_proxy: bool,
}

/// A registration under way: the new account, and the operation that registers it on chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Registration {
	/// The member's new account.
	pub account: [u8; 32],
	/// The outbox operation carrying `registry.register_member`.
	pub operation: OperationId,
}

/// A field staff entered that cannot be used, in words for the counter.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
	/// A required field is empty.
	#[error("{0} is required")]
	Missing(&'static str),
	/// The phone number is not one.
	#[error("the phone number must have 7 to 15 digits (an optional + first)")]
	Phone,
	/// The document number is not one.
	#[error("the document number must have 4 to 32 letters or digits")]
	IdNumber,
	/// The document type is not one.
	#[error("the document type must be lower-case letters and dashes, like resident-id")]
	IdType,
	/// The birth date is not one.
	#[error("the birth date must be written YYYY-MM-DD")]
	BirthDate,
	/// A field is too long.
	#[error("{0} is longer than {1} characters")]
	TooLong(&'static str, usize),
	/// Standard input could not be read.
	#[error("cannot read the input: {0}")]
	Unreadable(String),
}

/// Digits only, with a leading `+` kept.
pub fn normalise_phone(raw: &str) -> Result<String, InputError> {
	let trimmed = raw.trim();
	let plus = trimmed.starts_with('+');
	let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
	let allowed = trimmed.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
	if !allowed || !(7..=15).contains(&digits.len()) {
		return Err(InputError::Phone);
	}
	Ok(if plus { format!("+{digits}") } else { digits })
}

/// Upper case, without spaces or dashes.
pub fn normalise_id_number(raw: &str) -> Result<String, InputError> {
	let id: String = raw
		.chars()
		.filter(|c| !c.is_whitespace() && *c != '-')
		.map(|c| c.to_ascii_uppercase())
		.collect();
	if !(4..=32).contains(&id.len()) || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
		return Err(InputError::IdNumber);
	}
	Ok(id)
}

fn check_birth_date(date: &str) -> Result<(), InputError> {
	let parts: Vec<&str> = date.split('-').collect();
	let ok = matches!(parts.as_slice(), [y, m, d]
		if y.len() == 4 && m.len() == 2 && d.len() == 2
		&& parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
		&& (1..=12).contains(&m.parse::<u8>().unwrap_or(0))
		&& (1..=31).contains(&d.parse::<u8>().unwrap_or(0)));
	if ok {
		Ok(())
	} else {
		Err(InputError::BirthDate)
	}
}

impl PersonalData {
	/// The details checked and normalised, or the first field that cannot be used.
	pub fn normalised(&self) -> Result<Self, InputError> {
		let name = self.name.trim().to_owned();
		if name.is_empty() {
			return Err(InputError::Missing("the name"));
		}
		if name.chars().count() > 100 {
			return Err(InputError::TooLong("the name", 100));
		}
		let id_type = self.id_type.trim().to_owned();
		if id_type.is_empty()
			|| id_type.len() > 32
			|| !id_type.chars().all(|c| c.is_ascii_lowercase() || c == '-')
		{
			return Err(InputError::IdType);
		}
		let address = self.address.as_deref().map(str::trim).filter(|a| !a.is_empty());
		if address.is_some_and(|a| a.chars().count() > 300) {
			return Err(InputError::TooLong("the address", 300));
		}
		let birth_date = self.birth_date.as_deref().map(str::trim).filter(|d| !d.is_empty());
		if let Some(date) = birth_date {
			check_birth_date(date)?;
		}
		Ok(Self {
			name,
			phone: self
				.phone
				.as_deref()
				.filter(|p| !p.trim().is_empty())
				.map(normalise_phone)
				.transpose()?,
			id_type,
			id_number: normalise_id_number(&self.id_number)?,
			address: address.map(str::to_owned),
			birth_date: birth_date.map(str::to_owned),
		})
	}
}

/// The salted commitment the chain keeps instead of the person's identity:
/// `blake2_256(tag ‖ salt ‖ id_type ‖ 0 ‖ id_number ‖ 0 ‖ name)` over normalised details.
pub fn identity_commitment(salt: &[u8; 32], person: &PersonalData) -> [u8; 32] {
	let mut preimage = IDENTITY_TAG.to_vec();
	preimage.extend_from_slice(salt);
	preimage.extend_from_slice(person.id_type.as_bytes());
	preimage.push(0);
	preimage.extend_from_slice(person.id_number.as_bytes());
	preimage.push(0);
	preimage.extend_from_slice(person.name.as_bytes());
	sp_crypto_hashing::blake2_256(&preimage)
}

impl Gateway {
	/// Staff member `staff` registers a new member of `branch`. Idempotent under `request`
	/// (scope, key): retrying makes the same account and the same operation.
	pub async fn register_member(
		&self,
		staff: [u8; 32],
		branch: u32,
		roles: Roles,
		person: &PersonalData,
		request: Option<(&str, &str)>,
	) -> Result<Registration, GatewayError> {
		let person = person.normalised()?;
		let account = self.vault.create_key(request).await?;
		let salt = match self.vault.personal(account, FieldKind::IdentitySalt).await? {
			Some(salt) => <[u8; 32]>::try_from(salt.as_slice())
				.map_err(|_| GatewayError::Corrupt("identity salt"))?,
			None => {
				let mut salt = [0u8; 32];
				getrandom::getrandom(&mut salt)
					.map_err(|e| GatewayError::NoRandomness(e.to_string()))?;
				salt
			}
		};
		let commitment = identity_commitment(&salt, &person);
		let mut fields: Vec<(FieldKind, &[u8])> = vec![
			(FieldKind::Name, person.name.as_bytes()),
			(FieldKind::IdNumber, person.id_number.as_bytes()),
			(FieldKind::IdentitySalt, &salt),
		];
		if let Some(phone) = &person.phone {
			fields.push((FieldKind::Phone, phone.as_bytes()));
		}
		if let Some(address) = &person.address {
			fields.push((FieldKind::Address, address.as_bytes()));
		}
		if let Some(date) = &person.birth_date {
			fields.push((FieldKind::BirthDate, date.as_bytes()));
		}
		self.vault.store_personal(account, &fields).await?;
		self.vault.store_identity(account, &person.id_type, commitment).await?;
		let call = timebank::tx().registry().register_member(
			subxt::utils::AccountId32(account),
			branch,
			commitment.into(),
			MemberRoles {
				volunteer: roles.volunteer,
				recipient: roles.recipient,
				family_proxy: roles.family_proxy,
			},
		);
		let operation = self
			.submit(staff, &call, request.map(|(scope, key)| (scope.to_owned(), key.to_owned())))
			.await?;
		Ok(Registration { account, operation })
	}

	/// Send `call` signed by `account` (whose key the vault holds) through the outbox.
	pub async fn submit(
		&self,
		account: [u8; 32],
		call: &impl subxt::tx::Payload,
		idempotency: Option<(String, String)>,
	) -> Result<OperationId, GatewayError> {
		let call_bytes = self.chain.encode_call(call).await?;
		Ok(self
			.outbox
			.enqueue(NewOperation {
				account,
				pallet: call.pallet_name().to_owned(),
				call: call.call_name().to_owned(),
				call_bytes,
				idempotency,
			})
			.await?)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn details_are_checked_and_normalised() {
		let person = PersonalData {
			name: "  王秀英 ".into(),
			phone: Some("+86 138-0013-8000".into()),
			id_type: "resident-id".into(),
			id_number: "11010519491231002x".into(),
			address: Some(" ".into()),
			birth_date: Some("1949-12-31".into()),
		};
		let n = person.normalised().expect("valid");
		assert_eq!(n.name, "王秀英");
		assert_eq!(n.phone.as_deref(), Some("+8613800138000"));
		assert_eq!(n.id_number, "11010519491231002X");
		assert_eq!(n.address, None);

		let bad = |edit: fn(&mut PersonalData)| {
			let mut p = person.clone();
			edit(&mut p);
			p.normalised().unwrap_err()
		};
		assert_eq!(bad(|p| p.name = " ".into()), InputError::Missing("the name"));
		assert_eq!(bad(|p| p.phone = Some("12ab".into())), InputError::Phone);
		assert_eq!(bad(|p| p.id_number = "1".into()), InputError::IdNumber);
		assert_eq!(bad(|p| p.id_type = "Resident ID".into()), InputError::IdType);
		assert_eq!(bad(|p| p.birth_date = Some("31/12/1949".into())), InputError::BirthDate);
		assert_eq!(bad(|p| p.name = "x".repeat(101)), InputError::TooLong("the name", 100));
	}

	#[test]
	fn the_commitment_binds_salt_and_every_detail() {
		let person = PersonalData {
			name: "A".into(),
			id_type: "resident-id".into(),
			id_number: "1234".into(),
			..Default::default()
		};
		let base = identity_commitment(&[1; 32], &person);
		assert_ne!(base, identity_commitment(&[2; 32], &person));
		let mut other = person.clone();
		other.id_number = "1235".into();
		assert_ne!(base, identity_commitment(&[1; 32], &other));
		// The separators keep "A" + "B1234" from meeting "AB" + "1234".
		let shifted = PersonalData { name: "1234A".into(), id_number: "".into(), ..person.clone() };
		assert_ne!(base, identity_commitment(&[1; 32], &shifted));
	}
}
