//! A member's key beyond everyday signing (issue 17; clients plan B3):
//!
//! - **Export to self-custody**: the member's 12 words, which any Substrate wallet imports, shown
//!   only after the member is re-authenticated, and only after the export's audit entry is
//!   committed. The gateway keeps its copy and keeps signing (the plan's "backup" mode).
//! - **Re-keying**: the member's account moves to a new custodial key on chain
//!   (`registry.request_rekey`, decision 0013). The new key signs the chain's re-key message,
//!   the old key sends the request through the outbox, staff approve it, and once the indexer
//!   has seen `Rekeyed` finalised the old key is retired and the new one signs from then on.

use crate::{
	members,
	outbox::{OperationId, OutboxError},
	Gateway, GatewayError,
};
use subxt::utils::AccountId32;
use timebank_chain_api::timebank::{self, runtime_types::sp_runtime::MultiSignature};
use timebank_custody::FieldKind;
use zeroize::Zeroizing;

/// Refused export attempts allowed per member in 24 hours; beyond them every attempt is refused
/// until the oldest is a day old, so a number cannot be guessed at the counter.
pub const EXPORT_ATTEMPTS_PER_DAY: i64 = 5;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// What the new key signs before the genesis hash and both accounts (the registry pallet's
/// `REKEY_TAG`, SCALE-encoded without a length prefix).
const REKEY_TAG: &[u8; 14] = b"timebank/rekey";

/// How the member proved, just now, that they are who the account belongs to.
#[derive(Clone, Debug)]
pub enum Reauthentication {
	/// At the counter: `officer`, staff of the member's home branch, checked the member's
	/// identity document and typed its number again; it must be the number the member
	/// registered with. (Sign-in step-up by PIN or password comes with the HTTP API, issue 18.)
	Counter {
		/// The officer's account.
		officer: [u8; 32],
		/// The document's number as typed.
		id_number: String,
	},
}

/// Why an export or re-key was refused. Each says what to do.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
	/// The member is not in the index (not registered, or not final yet).
	#[error("the member is not in the index: wait until their registration is final")]
	NotIndexed,
	/// The officer is not staff of the member's home branch.
	#[error("only staff of the member's home branch may check the member for a key export")]
	NotHomeStaff,
	/// The document number is not the registered one.
	#[error("the document number is not the one the member registered with")]
	WrongDocument,
	/// Too many refused attempts.
	#[error(
		"{EXPORT_ATTEMPTS_PER_DAY} export attempts for this member were refused in the last 24 \
		 hours; try again tomorrow"
	)]
	TooManyAttempts,
}

/// A re-key under way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rekey {
	/// The member's key now.
	pub old: [u8; 32],
	/// The key the account moves to.
	pub new: [u8; 32],
	/// The outbox operation carrying `registry.request_rekey`, signed by `old`.
	pub operation: OperationId,
}

/// The bytes the new key signs to consent to the move (the registry's `rekey_message`).
pub fn rekey_message(genesis: [u8; 32], old: [u8; 32], new: [u8; 32]) -> Vec<u8> {
	[REKEY_TAG.as_slice(), &genesis, &old, &new].concat()
}

impl Gateway {
	/// The member's 12 words, after `reauthentication`. A refused attempt is audited too.
	pub async fn export_key(
		&self,
		account: [u8; 32],
		reauthentication: &Reauthentication,
	) -> Result<Zeroizing<String>, GatewayError> {
		let since = crate::outbox::now_ms() - DAY_MS;
		if self.vault.audit_count(account, "export-refused", since).await?
			>= EXPORT_ATTEMPTS_PER_DAY
		{
			return Err(KeyError::TooManyAttempts.into());
		}
		let Reauthentication::Counter { officer, id_number } = reauthentication;
		match self.holds_office_in_home_branch(*officer, account).await? {
			None => return Err(KeyError::NotIndexed.into()),
			Some(false) => return Err(KeyError::NotHomeStaff.into()),
			Some(true) => {}
		}
		let id_number = members::normalise_id_number(id_number)?;
		if !self.vault.matches(account, FieldKind::IdNumber, id_number.as_bytes()).await? {
			self.vault.record(account, "export-refused", *officer, "counter-id-document").await?;
			tracing::warn!(account = %hex::encode(account), "key export refused: wrong document");
			return Err(KeyError::WrongDocument.into());
		}
		let phrase = self.vault.export_phrase(account, *officer, "counter-id-document").await?;
		tracing::info!(account = %hex::encode(account), "key exported to the member");
		Ok(phrase)
	}

	/// Ask the chain to move `member`'s account to a new custodial key. Idempotent under
	/// `request` (scope, key); a retried request without one asks for the same new key. Staff of
	/// the home branch approve it (`registry.approve_rekey`); [`Gateway::settle_rekeys`] finishes.
	pub async fn request_rekey(
		&self,
		member: [u8; 32],
		request: Option<(&str, &str)>,
	) -> Result<Rekey, GatewayError> {
		if let Some((scope, key)) = request {
			// The new key's proof is a fresh sr25519 signature each time (signatures are
			// randomised), so a retry is recognised by its key, not by its bytes.
			if let Some(op) = self.outbox.by_key(scope, key).await? {
				if op.account != member || op.call != "request_rekey" {
					return Err(OutboxError::KeyReused { key: key.to_owned() }.into());
				}
				let new = self
					.vault
					.chosen_successor(member)
					.await?
					.ok_or(GatewayError::Corrupt("re-key without a new key"))?;
				return Ok(Rekey { old: member, new, operation: op.id });
			}
		}
		let new = self.vault.successor(member).await?;
		let message = rekey_message(self.chain.genesis(), member, new);
		let (signer, proof) = self.vault.sign_as_successor(member, &message).await?;
		if signer != new {
			return Err(GatewayError::Corrupt("re-key successor"));
		}
		let call = timebank::tx()
			.registry()
			.request_rekey(AccountId32(new), MultiSignature::Sr25519(proof));
		let idempotency = request.map(|(scope, key)| (scope.to_owned(), key.to_owned()));
		let operation = self.submit(member, &call, idempotency).await?;
		Ok(Rekey { old: member, new, operation })
	}

	/// Finish every re-key the index shows final: the old key is retired, the new one active.
	/// The number finished. Run by a worker every few seconds; safe to run at any time.
	pub async fn settle_rekeys(&self) -> Result<usize, GatewayError> {
		let mut settled = 0;
		for (old, _) in self.vault.waiting_rekeys().await? {
			let Some(row) = self
				.index
				.query_one(
					"SELECT rekeyed_to FROM members WHERE account = $1 AND status = 'Rekeyed'",
					vec![old.into()],
				)
				.await?
			else {
				continue;
			};
			let new = row.bytes32(0)?;
			self.vault.complete_rekey(old, new).await?;
			tracing::info!(old = %hex::encode(old), new = %hex::encode(new), "re-key final");
			settled += 1;
		}
		Ok(settled)
	}

	/// Settle re-keys every two seconds, for as long as the gateway runs.
	pub(crate) async fn settle_rekeys_forever(self) {
		loop {
			if let Err(e) = self.settle_rekeys().await {
				tracing::warn!(error = %e, "settling re-keys failed; trying again");
			}
			tokio::time::sleep(std::time::Duration::from_secs(2)).await;
		}
	}
}
