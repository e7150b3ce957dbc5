//! The vault: members' sealed keys and sealed personal data (the `vault` database). Custody
//! (`timebank-custody`) seals and opens; this module only stores and finds the sealed bytes.

use crate::store::{Db, Statement, StoreError, Value};
use std::sync::Arc;
use timebank_custody::{Custody, CustodyError, FieldKind, KekId, SealedField, SealedKey};

/// Why the vault refused.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
	/// The database failed.
	#[error(transparent)]
	Store(#[from] StoreError),
	/// Custody failed (wrong KEK, altered row, no randomness).
	#[error(transparent)]
	Custody(#[from] CustodyError),
	/// The gateway holds no key for this account.
	#[error("the gateway holds no key for account 0x{0}")]
	NoKey(String),
	/// The account's key was retired by a re-key.
	#[error("the key of account 0x{0} was retired by a re-key")]
	Retired(String),
	/// No re-key waits for this account.
	#[error("no new key waits to succeed account 0x{0}")]
	NoSuccessor(String),
	/// A stored key version or KEK id does not fit in its type.
	#[error("a stored key row is malformed: {0}")]
	Malformed(&'static str),
}

/// Keys and personal data at rest.
#[derive(Clone)]
pub struct Vault {
	db: Db,
	custody: Arc<Custody>,
}

impl Vault {
	/// The vault in database `db`, opened with `custody`.
	pub fn new(db: Db, custody: Arc<Custody>) -> Self {
		Self { db, custody }
	}

	/// The `vault` database.
	pub fn db(&self) -> &Db {
		&self.db
	}

	/// Custody, for sealing and blind indexes.
	pub fn custody(&self) -> &Custody {
		&self.custody
	}

	/// A new member key, stored sealed; its account. With a request key (scope, key) already
	/// used, the account made for that request (so a retried registration makes one member).
	pub async fn create_key(&self, request: Option<(&str, &str)>) -> Result<[u8; 32], VaultError> {
		if let Some((scope, key)) = request {
			if let Some(row) = self
				.db
				.query_one(
					"SELECT account FROM member_keys WHERE request_scope = $1 AND request_key = $2",
					vec![scope.into(), key.into()],
				)
				.await?
			{
				return Ok(row.bytes32(0)?);
			}
		}
		let sealed = self.custody.generate()?;
		let now = crate::outbox::now_ms();
		self.db.transaction(vec![new_key(&sealed, "active", now, request)]).await?;
		Ok(sealed.account)
	}

	/// The sealed key of `account`, if the gateway holds it and it is not retired.
	pub async fn sealed_key(&self, account: [u8; 32]) -> Result<SealedKey, VaultError> {
		let (key, status) = self.stored_key(account).await?;
		if status != "active" {
			return Err(VaultError::Retired(hex::encode(account)));
		}
		Ok(key)
	}

	/// The sealed key of `account` and its status, whatever the status.
	async fn stored_key(&self, account: [u8; 32]) -> Result<(SealedKey, String), VaultError> {
		let row = self
			.db
			.query_one(
				"SELECT kek_id, key_version, wrapped_dek, sealed_entropy, status \
				 FROM member_keys WHERE account = $1",
				vec![account.into()],
			)
			.await?
			.ok_or_else(|| VaultError::NoKey(hex::encode(account)))?;
		let key = SealedKey {
			account,
			kek_id: KekId(u32::try_from(row.int(0)?).map_err(|_| VaultError::Malformed("kek_id"))?),
			key_version: u8::try_from(row.int(1)?)
				.map_err(|_| VaultError::Malformed("key_version"))?,
			wrapped_dek: row.bytes(2)?,
			sealed_entropy: row.bytes(3)?,
		};
		Ok((key, row.text(4)?))
	}

	/// `account`'s signature over `payload`, by custody.
	pub async fn sign(&self, account: [u8; 32], payload: &[u8]) -> Result<[u8; 64], VaultError> {
		let key = self.sealed_key(account).await?;
		Ok(self.custody.sign(&key, payload)?)
	}

	/// Store `fields` of `account`, sealed, and the blind indexes of its phone and ID number,
	/// in one transaction.
	pub async fn store_personal(
		&self,
		account: [u8; 32],
		fields: &[(FieldKind, &[u8])],
	) -> Result<(), VaultError> {
		let mut statements = Vec::new();
		for (kind, value) in fields {
			let sealed = self.custody.seal_field(*kind, &account, value)?;
			statements.push(Statement::new(
				"INSERT INTO personal_fields (kek_id, account, kind, sealed) VALUES ($1, $2, $3, $4) \
				 ON CONFLICT (account, kind) DO UPDATE SET sealed = excluded.sealed, kek_id = excluded.kek_id",
				vec![self.custody.kek_id().into(), account.into(), kind_name(*kind).into(), sealed.0.into()],
			));
			if matches!(kind, FieldKind::Phone | FieldKind::IdNumber) {
				statements.push(Statement::new(
					"INSERT INTO blind_indexes (kek_id, kind, digest, account) VALUES ($1, $2, $3, $4) \
					 ON CONFLICT DO NOTHING",
					vec![
						self.custody.kek_id().into(),
						kind_name(*kind).into(),
						self.custody.blind_index(*kind, value).into(),
						account.into(),
					],
				));
			}
		}
		self.db.transaction(statements).await?;
		Ok(())
	}

	/// A personal field of `account`, opened.
	pub async fn personal(
		&self,
		account: [u8; 32],
		kind: FieldKind,
	) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, VaultError> {
		let Some(row) = self
			.db
			.query_one(
				"SELECT sealed FROM personal_fields WHERE account = $1 AND kind = $2",
				vec![account.into(), kind_name(kind).into()],
			)
			.await?
		else {
			return Ok(None);
		};
		Ok(Some(self.custody.open_field(kind, &account, &SealedField(row.bytes(0)?))?))
	}

	/// The accounts whose normalised phone or ID number (`kind`) is `value`.
	pub async fn find(&self, kind: FieldKind, value: &[u8]) -> Result<Vec<[u8; 32]>, VaultError> {
		let rows = self
			.db
			.query(
				"SELECT account FROM blind_indexes WHERE kind = $1 AND digest = $2 ORDER BY account",
				vec![kind_name(kind).into(), self.custody.blind_index(kind, value).into()],
			)
			.await?;
		rows.iter().map(|r| r.bytes32(0).map_err(VaultError::from)).collect()
	}

	/// Record the identity commitment sent to the chain for `account`.
	pub async fn store_identity(
		&self,
		account: [u8; 32],
		id_type: &str,
		commitment: [u8; 32],
	) -> Result<(), VaultError> {
		self.db
			.execute(
				"INSERT INTO identities (account, id_type, commitment) VALUES ($1, $2, $3) \
				 ON CONFLICT (account) DO NOTHING",
				vec![account.into(), Value::from(id_type), commitment.into()],
			)
			.await?;
		Ok(())
	}

	/// Rewrap every member key sealed under another KEK than `next`'s (KEK rotation). Resumable:
	/// each row is rewrapped in its own statement, and rows already under `next` are skipped.
	/// The number of rows rewrapped.
	pub async fn rewrap_all(&self, next: &Custody) -> Result<u64, VaultError> {
		let rows = self
			.db
			.query(
				"SELECT account FROM member_keys WHERE kek_id <> $1 ORDER BY account",
				vec![next.kek_id().into()],
			)
			.await?;
		let mut done = 0;
		for row in rows {
			let account = row.bytes32(0)?;
			let key = self.stored_key(account).await?.0;
			let rewrapped = self.custody.rewrap(&key, next)?;
			self.db
				.transaction(vec![Statement::one(
					"rewrapping a key",
					"UPDATE member_keys SET kek_id = $1, wrapped_dek = $2 WHERE account = $3 AND kek_id = $4",
					vec![
						rewrapped.kek_id.into(),
						rewrapped.wrapped_dek.into(),
						account.into(),
						key.kek_id.into(),
					],
				)])
				.await?;
			done += 1;
		}
		Ok(done + self.reseal_personal(next).await?)
	}

	/// Reseal every personal field sealed under another KEK than `next`'s, and remake the blind
	/// index of each phone and ID number under `next`, one member at a time (resumable). The
	/// number of fields resealed.
	async fn reseal_personal(&self, next: &Custody) -> Result<u64, VaultError> {
		let rows = self
			.db
			.query(
				"SELECT account, kind, sealed FROM personal_fields WHERE kek_id <> $1 ORDER BY account, kind",
				vec![next.kek_id().into()],
			)
			.await?;
		let mut done = 0;
		for row in rows {
			let (account, kind_text) = (row.bytes32(0)?, row.text(1)?);
			let kind =
				kind_from_name(&kind_text).ok_or(VaultError::Malformed("personal field kind"))?;
			let value = self.custody.open_field(kind, &account, &SealedField(row.bytes(2)?))?;
			let sealed = next.seal_field(kind, &account, &value)?;
			let mut statements = vec![Statement::one(
				"resealing a personal field",
				"UPDATE personal_fields SET kek_id = $1, sealed = $2 WHERE account = $3 AND kind = $4 AND kek_id = $5",
				vec![next.kek_id().into(), sealed.0.into(), account.into(), kind_text.clone().into(), self.custody.kek_id().into()],
			)];
			if matches!(kind, FieldKind::Phone | FieldKind::IdNumber) {
				statements.push(Statement::new(
					"DELETE FROM blind_indexes WHERE account = $1 AND kind = $2",
					vec![account.into(), kind_text.clone().into()],
				));
				statements.push(Statement::new(
					"INSERT INTO blind_indexes (kek_id, kind, digest, account) VALUES ($1, $2, $3, $4)",
					vec![next.kek_id().into(), kind_text.into(), next.blind_index(kind, &value).into(), account.into()],
				));
			}
			self.db.transaction(statements).await?;
			done += 1;
		}
		Ok(done)
	}

	/// The key that will succeed `account`'s after a re-key: made now and stored `pending`, with
	/// a `rekey-requested` audit entry in the same transaction; or the one already waiting, so a
	/// retried request asks for the same key.
	pub async fn successor(&self, account: [u8; 32]) -> Result<[u8; 32], VaultError> {
		self.sealed_key(account).await?;
		if let Some(waiting) = self.waiting_successor(account).await? {
			return Ok(waiting);
		}
		let sealed = self.custody.generate()?;
		let now = crate::outbox::now_ms();
		self.db
			.transaction(vec![
				new_key(&sealed, "pending", now, None),
				Statement::one(
					"choosing a re-key's new key",
					"UPDATE member_keys SET rekeyed_to = $1 WHERE account = $2 AND status = 'active'",
					vec![sealed.account.into(), account.into()],
				),
				audit(account, "rekey-requested", account, &hex::encode(sealed.account), now),
			])
			.await?;
		Ok(sealed.account)
	}

	/// The new key waiting (`pending`) to succeed `account`'s active key, if a re-key was asked.
	async fn waiting_successor(&self, account: [u8; 32]) -> Result<Option<[u8; 32]>, VaultError> {
		let row = self
			.db
			.query_one(
				"SELECT n.account FROM member_keys o JOIN member_keys n ON n.account = o.rekeyed_to \
				 WHERE o.account = $1 AND o.status = 'active' AND n.status = 'pending'",
				vec![account.into()],
			)
			.await?;
		Ok(row.map(|r| r.bytes32(0)).transpose()?)
	}

	/// The key chosen to succeed `account`'s, whether the re-key is still waiting or final.
	pub async fn chosen_successor(
		&self,
		account: [u8; 32],
	) -> Result<Option<[u8; 32]>, VaultError> {
		let row = self
			.db
			.query_one(
				"SELECT rekeyed_to FROM member_keys WHERE account = $1 AND rekeyed_to IS NOT NULL",
				vec![account.into()],
			)
			.await?;
		Ok(row.map(|r| r.bytes32(0)).transpose()?)
	}

	/// The signature of `account`'s waiting successor over `message` (the re-key proof). Only a
	/// key that waits as `account`'s successor signs here; it signs nothing else until the re-key
	/// is final.
	pub async fn sign_as_successor(
		&self,
		account: [u8; 32],
		message: &[u8],
	) -> Result<([u8; 32], [u8; 64]), VaultError> {
		let successor = self
			.waiting_successor(account)
			.await?
			.ok_or_else(|| VaultError::NoSuccessor(hex::encode(account)))?;
		let (key, _) = self.stored_key(successor).await?;
		Ok((successor, self.custody.sign(&key, message)?))
	}

	/// The re-keys the vault waits on: each active key with a chosen successor.
	pub async fn waiting_rekeys(&self) -> Result<Vec<([u8; 32], [u8; 32])>, VaultError> {
		let rows = self
			.db
			.query(
				"SELECT account, rekeyed_to FROM member_keys \
				 WHERE status = 'active' AND rekeyed_to IS NOT NULL ORDER BY account",
				vec![],
			)
			.await?;
		rows.iter().map(|r| Ok((r.bytes32(0)?, r.bytes32(1)?))).collect()
	}

	/// The chain moved `old`'s account to `new` (final): `old` is retired and never signs again.
	/// If `new` is the successor the vault made, it becomes active and the member's personal
	/// data moves to it (resealed, as each field is bound to its account), in one transaction.
	/// A re-key staff asked for, to a key made elsewhere, leaves the gateway no key for `new`.
	pub async fn complete_rekey(&self, old: [u8; 32], new: [u8; 32]) -> Result<(), VaultError> {
		let ours = self
			.db
			.query_one(
				"SELECT 1 FROM member_keys WHERE account = $1 AND status = 'pending'",
				vec![new.into()],
			)
			.await?
			.is_some();
		let mut statements = vec![
			Statement::new(
				"UPDATE member_keys SET status = 'abandoned' \
				 WHERE status = 'pending' AND account IN \
				 (SELECT rekeyed_to FROM member_keys WHERE account = $1) AND account <> $2",
				vec![old.into(), new.into()],
			),
			Statement::one(
				"retiring a re-keyed key",
				"UPDATE member_keys SET status = 'retired', rekeyed_to = $1 \
				 WHERE account = $2 AND status = 'active'",
				vec![new.into(), old.into()],
			),
		];
		if ours {
			statements.push(Statement::one(
				"activating a re-key's new key",
				"UPDATE member_keys SET status = 'active' WHERE account = $1 AND status = 'pending'",
				vec![new.into()],
			));
			statements.extend(self.personal_data_moved(old, new).await?);
		}
		let detail =
			format!("{}{}", hex::encode(new), if ours { "" } else { " (not a gateway key)" });
		statements.push(audit(old, "rekey-completed", old, &detail, crate::outbox::now_ms()));
		self.db.transaction(statements).await?;
		Ok(())
	}

	/// The statements that move `old`'s personal data to `new`: each field resealed for `new`,
	/// the blind indexes and the identity commitment pointed at `new`, nothing left under `old`.
	async fn personal_data_moved(
		&self,
		old: [u8; 32],
		new: [u8; 32],
	) -> Result<Vec<Statement>, VaultError> {
		let rows = self
			.db
			.query(
				"SELECT kind, sealed FROM personal_fields WHERE account = $1 ORDER BY kind",
				vec![old.into()],
			)
			.await?;
		let mut statements = Vec::new();
		for row in rows {
			let kind_text = row.text(0)?;
			let kind =
				kind_from_name(&kind_text).ok_or(VaultError::Malformed("personal field kind"))?;
			let value = self.custody.open_field(kind, &old, &SealedField(row.bytes(1)?))?;
			let sealed = self.custody.seal_field(kind, &new, &value)?;
			statements.push(Statement::new(
				"INSERT INTO personal_fields (kek_id, account, kind, sealed) VALUES ($1, $2, $3, $4)",
				vec![self.custody.kek_id().into(), new.into(), kind_text.into(), sealed.0.into()],
			));
		}
		let moved = |sql| Statement::new(sql, vec![new.into(), old.into()]);
		statements.extend([
			moved("UPDATE blind_indexes SET account = $1 WHERE account = $2"),
			moved("UPDATE identities SET account = $1 WHERE account = $2"),
			Statement::new("DELETE FROM personal_fields WHERE account = $1", vec![old.into()]),
		]);
		Ok(statements)
	}

	/// `account`'s 12 words, for self-custody, with an `export` audit entry (`actor` checked the
	/// member in the way `how` says) and the export time committed before the words are returned.
	pub async fn export_phrase(
		&self,
		account: [u8; 32],
		actor: [u8; 32],
		how: &str,
	) -> Result<zeroize::Zeroizing<String>, VaultError> {
		let key = self.sealed_key(account).await?;
		let phrase = self.custody.export_phrase(&key)?;
		let now = crate::outbox::now_ms();
		self.db
			.transaction(vec![
				Statement::one(
					"recording a key export",
					"UPDATE member_keys SET exported_at = $1 WHERE account = $2 AND status = 'active'",
					vec![now.into(), account.into()],
				),
				audit(account, "export", actor, how, now),
			])
			.await?;
		Ok(phrase)
	}

	/// Write one audit entry on its own (a refused export, say).
	pub async fn record(
		&self,
		account: [u8; 32],
		action: &str,
		actor: [u8; 32],
		detail: &str,
	) -> Result<(), VaultError> {
		let entry = audit(account, action, actor, detail, crate::outbox::now_ms());
		self.db.transaction(vec![entry]).await?;
		Ok(())
	}

	/// How many `action` entries `account` has since `since_ms`.
	pub async fn audit_count(
		&self,
		account: [u8; 32],
		action: &str,
		since_ms: i64,
	) -> Result<i64, VaultError> {
		let row = self
			.db
			.query_one(
				"SELECT COUNT(*) FROM key_audit WHERE account = $1 AND action = $2 AND at >= $3",
				vec![account.into(), action.into(), since_ms.into()],
			)
			.await?;
		Ok(row.map(|r| r.int(0)).transpose()?.unwrap_or(0))
	}

	/// The audit entries of `account`, oldest first: (action, actor, detail).
	pub async fn audit_trail(
		&self,
		account: [u8; 32],
	) -> Result<Vec<(String, [u8; 32], String)>, VaultError> {
		let rows = self
			.db
			.query(
				"SELECT action, actor, detail FROM key_audit WHERE account = $1 ORDER BY id",
				vec![account.into()],
			)
			.await?;
		rows.iter().map(|r| Ok((r.text(0)?, r.bytes32(1)?, r.text(2)?))).collect()
	}

	/// Whether `value` is `account`'s registered phone or ID number (`kind`), by the blind index:
	/// the number is compared without opening the stored one.
	pub async fn matches(
		&self,
		account: [u8; 32],
		kind: FieldKind,
		value: &[u8],
	) -> Result<bool, VaultError> {
		let row = self
			.db
			.query_one(
				"SELECT 1 FROM blind_indexes WHERE account = $1 AND kind = $2 AND digest = $3",
				vec![
					account.into(),
					kind_name(kind).into(),
					self.custody.blind_index(kind, value).into(),
				],
			)
			.await?;
		Ok(row.is_some())
	}

	/// Check that custody's KEK opens the stored keys (one row): a wrong KEK is refused at start,
	/// not at the first signature.
	pub async fn check_kek(&self) -> Result<(), VaultError> {
		if let Some(row) = self
			.db
			.query_one("SELECT account FROM member_keys WHERE status = 'active' LIMIT 1", vec![])
			.await?
		{
			let key = self.stored_key(row.bytes32(0)?).await?.0;
			self.custody.sign(&key, b"timebank/gateway/kek-check")?;
		}
		Ok(())
	}
}

const KINDS: [FieldKind; 6] = [
	FieldKind::Name,
	FieldKind::Phone,
	FieldKind::IdNumber,
	FieldKind::Address,
	FieldKind::BirthDate,
	FieldKind::IdentitySalt,
];

fn kind_from_name(name: &str) -> Option<FieldKind> {
	KINDS.into_iter().find(|k| kind_name(*k) == name)
}

fn kind_name(kind: FieldKind) -> &'static str {
	match kind {
		FieldKind::Name => "name",
		FieldKind::Phone => "phone",
		FieldKind::IdNumber => "id-number",
		FieldKind::Address => "address",
		FieldKind::BirthDate => "birth-date",
		FieldKind::IdentitySalt => "identity-salt",
	}
}

/// Store a newly generated key with `status` (`active`, or `pending` for a re-key's new key),
/// under the client's request key if it has one.
fn new_key(sealed: &SealedKey, status: &str, now: i64, request: Option<(&str, &str)>) -> Statement {
	Statement::new(
		"INSERT INTO member_keys (account, kek_id, key_version, wrapped_dek, sealed_entropy, \
		 status, created_at, request_scope, request_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		vec![
			sealed.account.into(),
			sealed.kek_id.into(),
			i64::from(sealed.key_version).into(),
			sealed.wrapped_dek.clone().into(),
			sealed.sealed_entropy.clone().into(),
			status.into(),
			now.into(),
			request.map(|r| r.0).into(),
			request.map(|r| r.1).into(),
		],
	)
}

/// An audit entry (table `key_audit`), to commit with what it records.
fn audit(account: [u8; 32], action: &str, actor: [u8; 32], detail: &str, at: i64) -> Statement {
	Statement::new(
		"INSERT INTO key_audit (account, action, actor, detail, at) VALUES ($1, $2, $3, $4, $5)",
		vec![account.into(), action.into(), actor.into(), detail.into(), at.into()],
	)
}
