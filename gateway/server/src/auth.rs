//! Signing in (issue 18; clients plan B4): a phone number and a password, sessions, lockout.
//!
//! - Passwords are kept as argon2id PHC strings (19 MiB, 2 passes, 1 lane: OWASP's baseline).
//!   On two cores every hash is a lever for denial of service, so at most [`CONCURRENT_HASHES`]
//!   run at once, on blocking threads.
//! - Staff set or reset a password at the counter after checking the member's identity document;
//!   a reset ends every session of the account and lifts a lock.
//! - [`FAILURES_BEFORE_LOCK`] wrong passwords in a row lock the account for
//!   [`FIRST_LOCK_MS`], twice as long after each further lock, at most a day.
//! - A session is 32 random bytes given to the client once; the vault keeps only its SHA-256.
//!   Members' sessions last 30 days on their own device, officers' 8 hours.

use crate::{members, Gateway, GatewayError};
use argon2::{
	password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
	Algorithm, Argon2, Params, Version,
};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::sync::{Arc, LazyLock};
use timebank_custody::FieldKind;
use tokio::sync::Semaphore;
use zeroize::Zeroizing;

/// Argon2id hashes computed at once; others wait their turn.
pub const CONCURRENT_HASHES: usize = 2;
/// Wrong passwords in a row before the account locks.
pub const FAILURES_BEFORE_LOCK: i64 = 5;
/// How long the first lock lasts.
pub const FIRST_LOCK_MS: i64 = 15 * 60 * 1000;
/// The longest lock.
pub const LONGEST_LOCK_MS: i64 = 24 * 60 * 60 * 1000;
/// A member's session on their own device.
pub const MEMBER_SESSION_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// An officer's session: officers sign for a branch, so they sign in every working day.
pub const OFFICER_SESSION_MS: i64 = 8 * 60 * 60 * 1000;
/// Password length in characters.
pub const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 8..=128;

/// Which kind of client holds the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Client {
	/// A browser: the token travels in a `Secure; HttpOnly` cookie.
	Web,
	/// The mini program (no cookie jar in `wx.request`): the token travels as a bearer token.
	App,
}

impl Client {
	fn as_str(self) -> &'static str {
		match self {
			Self::Web => "web",
			Self::App => "app",
		}
	}

	fn parse(text: &str) -> Option<Self> {
		match text {
			"web" => Some(Self::Web),
			"app" => Some(Self::App),
			_ => None,
		}
	}
}

/// A session just opened: the token is shown to the client once and kept nowhere.
pub struct NewSession {
	/// The token, base64url without padding.
	pub token: Zeroizing<String>,
	/// Whose session.
	pub account: [u8; 32],
	/// When it ends, milliseconds since 1970.
	pub expires_at_ms: i64,
}

/// A session a request carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
	/// Whose session.
	pub account: [u8; 32],
	/// Cookie or bearer.
	pub client: Client,
	/// The SHA-256 of its token (the row's key).
	pub token_hash: [u8; 32],
	/// When it ends, milliseconds since 1970.
	pub expires_at_ms: i64,
}

/// Why signing in, or setting a password, was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
	/// No account has this phone number and password. Which of the two is wrong is not told.
	#[error("the phone number or the password is wrong")]
	WrongCredentials,
	/// Too many wrong passwords.
	#[error("too many wrong passwords: signing in is locked for {retry_after_s} s")]
	Locked {
		/// Seconds until the lock ends.
		retry_after_s: u64,
	},
	/// A password that is too short or too long.
	#[error("a password has 8 to 128 characters")]
	PasswordLength,
	/// No session, or it ended.
	#[error("the session ended or never existed: sign in again")]
	NoSession,
	/// The officer is not staff of the member's home branch.
	#[error("only staff of the member's home branch may set the member's password")]
	NotHomeStaff,
	/// The document number typed at the counter is not the registered one.
	#[error("the document number is not the one the member registered with")]
	WrongDocument,
	/// The member is not in the index yet.
	#[error("the member is not in the index: wait until their registration is final")]
	NotIndexed,
	/// Argon2 failed (a stored hash is malformed, or the parameters are).
	#[error("password hashing failed: {0}")]
	Hashing(String),
}

/// The argon2id instance every hash uses.
fn argon2() -> Result<Argon2<'static>, AuthError> {
	let params =
		Params::new(19 * 1024, 2, 1, None).map_err(|e| AuthError::Hashing(e.to_string()))?;
	Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes passwords on blocking threads, a few at a time.
#[derive(Clone)]
pub struct Hasher {
	permits: Arc<Semaphore>,
}

impl Default for Hasher {
	fn default() -> Self {
		Self { permits: Arc::new(Semaphore::new(CONCURRENT_HASHES)) }
	}
}

/// A hash of a password nobody knows, checked when the phone number matches no account, so a
/// wrong number takes as long as a wrong password and does not tell which numbers are members.
static DECOY_PHC: LazyLock<Option<String>> = LazyLock::new(|| {
	let mut secret = [0u8; 32];
	getrandom::getrandom(&mut secret).ok()?;
	hash_now(&Zeroizing::new(hex::encode(secret))).ok()
});

fn hash_now(password: &str) -> Result<String, AuthError> {
	let mut salt = [0u8; 16];
	getrandom::getrandom(&mut salt).map_err(|e| AuthError::Hashing(e.to_string()))?;
	let salt = SaltString::encode_b64(&salt).map_err(|e| AuthError::Hashing(e.to_string()))?;
	Ok(argon2()?
		.hash_password(password.as_bytes(), &salt)
		.map_err(|e| AuthError::Hashing(e.to_string()))?
		.to_string())
}

fn verify_now(phc: &str, password: &str) -> Result<bool, AuthError> {
	let parsed = PasswordHash::new(phc).map_err(|e| AuthError::Hashing(e.to_string()))?;
	match argon2()?.verify_password(password.as_bytes(), &parsed) {
		Ok(()) => Ok(true),
		Err(argon2::password_hash::Error::Password) => Ok(false),
		Err(e) => Err(AuthError::Hashing(e.to_string())),
	}
}

impl Hasher {
	async fn run<T: Send + 'static>(
		&self,
		work: impl FnOnce() -> Result<T, AuthError> + Send + 'static,
	) -> Result<T, AuthError> {
		let _permit =
			self.permits.acquire().await.map_err(|e| AuthError::Hashing(e.to_string()))?;
		tokio::task::spawn_blocking(work).await.map_err(|e| AuthError::Hashing(e.to_string()))?
	}

	/// The PHC string of `password`.
	pub async fn hash(&self, password: Zeroizing<String>) -> Result<String, AuthError> {
		self.run(move || hash_now(&password)).await
	}

	/// Whether `password` is the one `phc` was made from.
	pub async fn verify(
		&self,
		phc: String,
		password: Zeroizing<String>,
	) -> Result<bool, AuthError> {
		self.run(move || verify_now(&phc, &password)).await
	}

	/// Spend the time of one verification, for a phone number that matches no account.
	async fn verify_decoy(&self, password: Zeroizing<String>) -> Result<(), AuthError> {
		self.run(move || {
			if let Some(decoy) = DECOY_PHC.as_deref() {
				verify_now(decoy, &password)?;
			}
			Ok(())
		})
		.await
	}
}

/// The SHA-256 of a session token, the key it is stored under.
pub fn token_hash(token: &str) -> [u8; 32] {
	Sha256::digest(token.as_bytes()).into()
}

fn check_length(password: &str) -> Result<(), AuthError> {
	if PASSWORD_CHARS.contains(&password.chars().count()) {
		Ok(())
	} else {
		Err(AuthError::PasswordLength)
	}
}

/// How long the lock after `lockouts` earlier locks lasts.
pub fn lock_duration_ms(lockouts: i64) -> i64 {
	let doublings = u32::try_from(lockouts.clamp(0, 16)).unwrap_or(16);
	FIRST_LOCK_MS.saturating_mul(1i64 << doublings).min(LONGEST_LOCK_MS)
}

fn retry_after_s(until_ms: i64, now_ms: i64) -> u64 {
	u64::try_from((until_ms - now_ms).max(0)).unwrap_or(0).div_ceil(1000)
}

impl Gateway {
	/// Set `account`'s password, checked at the counter by `officer` (staff of the member's home
	/// branch) against the member's identity document, whose number staff type again. Ends the
	/// account's sessions and lifts any lock. Audited.
	pub async fn reset_password(
		&self,
		officer: [u8; 32],
		account: [u8; 32],
		id_number: &str,
		password: Zeroizing<String>,
	) -> Result<(), GatewayError> {
		check_length(&password)?;
		match self.holds_office_in_home_branch(officer, account).await? {
			None => return Err(AuthError::NotIndexed.into()),
			Some(false) => return Err(AuthError::NotHomeStaff.into()),
			Some(true) => {}
		}
		let id_number = members::normalise_id_number(id_number)?;
		if !self.vault.matches(account, FieldKind::IdNumber, id_number.as_bytes()).await? {
			self.vault.record(account, "password-refused", officer, "counter-id-document").await?;
			return Err(AuthError::WrongDocument.into());
		}
		self.store_password(account, password, officer).await?;
		self.vault.record(account, "password-set", officer, "counter-id-document").await?;
		tracing::info!(account = %hex::encode(account), "password set at the counter");
		Ok(())
	}

	/// Store a new password for `account` without the counter's checks: for the operator's
	/// bootstrap of the first officer and for the demo members of `scripts/run-dev`.
	pub async fn store_password(
		&self,
		account: [u8; 32],
		password: Zeroizing<String>,
		set_by: [u8; 32],
	) -> Result<(), GatewayError> {
		check_length(&password)?;
		let phc = self.hasher.hash(password).await?;
		let now = crate::outbox::now_ms();
		self.vault
			.db()
			.transaction(vec![
				crate::store::Statement::new(
					"INSERT INTO credentials (account, password_phc, set_by, set_at) \
					 VALUES ($1, $2, $3, $4) ON CONFLICT (account) DO UPDATE SET \
					 password_phc = excluded.password_phc, failed_attempts = 0, locked_until = 0, \
					 lockouts = 0, set_by = excluded.set_by, set_at = excluded.set_at",
					vec![account.into(), phc.into(), set_by.into(), now.into()],
				),
				crate::store::Statement::new(
					"DELETE FROM sessions WHERE account = $1",
					vec![account.into()],
				),
			])
			.await?;
		Ok(())
	}

	/// Sign in with a phone number (as typed) and a password.
	pub async fn sign_in(
		&self,
		phone: &str,
		password: Zeroizing<String>,
		client: Client,
	) -> Result<NewSession, GatewayError> {
		let phone = members::normalise_phone(phone)?;
		let accounts = self.vault.find(FieldKind::Phone, phone.as_bytes()).await?;
		let now = crate::outbox::now_ms();
		// Several members may share a phone (a couple, say); each has its own password.
		let mut candidates = Vec::new();
		for account in accounts {
			let row = self
				.vault
				.db()
				.query_one(
					"SELECT password_phc, locked_until FROM credentials WHERE account = $1",
					vec![account.into()],
				)
				.await?;
			if let Some(row) = row {
				candidates.push((account, row.text(0)?, row.int(1)?));
			}
		}
		if candidates.is_empty() {
			self.hasher.verify_decoy(password).await?;
			return Err(AuthError::WrongCredentials.into());
		}
		let mut locked_until = None;
		let mut refused = Vec::new();
		for (account, phc, until) in candidates {
			if until > now {
				locked_until = Some(locked_until.map_or(until, |u: i64| u.max(until)));
				continue;
			}
			if self.hasher.verify(phc, password.clone()).await? {
				return self.open_session(account, client, now).await;
			}
			refused.push(account);
		}
		// Counted only when no account of the number took the password: a husband signing in
		// must not count against his wife's account on the same phone.
		for account in refused {
			self.count_failure(account, now).await?;
		}
		match locked_until {
			Some(until) => {
				Err(AuthError::Locked { retry_after_s: retry_after_s(until, now) }.into())
			}
			None => Err(AuthError::WrongCredentials.into()),
		}
	}

	/// One more wrong password for `account`; the fifth in a row locks it.
	async fn count_failure(&self, account: [u8; 32], now: i64) -> Result<(), GatewayError> {
		let db = self.vault.db();
		db.execute(
			"UPDATE credentials SET failed_attempts = failed_attempts + 1 WHERE account = $1",
			vec![account.into()],
		)
		.await?;
		let Some(row) = db
			.query_one(
				"SELECT failed_attempts, lockouts FROM credentials WHERE account = $1",
				vec![account.into()],
			)
			.await?
		else {
			return Ok(());
		};
		let (failures, lockouts) = (row.int(0)?, row.int(1)?);
		if failures >= FAILURES_BEFORE_LOCK {
			let until = now.saturating_add(lock_duration_ms(lockouts));
			db.execute(
				"UPDATE credentials SET failed_attempts = 0, lockouts = lockouts + 1, \
				 locked_until = $1 WHERE account = $2 AND failed_attempts >= $3",
				vec![until.into(), account.into(), FAILURES_BEFORE_LOCK.into()],
			)
			.await?;
			tracing::warn!(account = %hex::encode(account), lockouts = lockouts + 1, "sign-in locked after wrong passwords");
		}
		Ok(())
	}

	async fn open_session(
		&self,
		account: [u8; 32],
		client: Client,
		now: i64,
	) -> Result<NewSession, GatewayError> {
		let mut secret = Zeroizing::new([0u8; 32]);
		getrandom::getrandom(secret.as_mut())
			.map_err(|e| GatewayError::NoRandomness(e.to_string()))?;
		let token =
			Zeroizing::new(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(*secret));
		let lifetime = if self.holds_any_office(account).await? {
			OFFICER_SESSION_MS
		} else {
			MEMBER_SESSION_MS
		};
		let expires_at_ms = now.saturating_add(lifetime);
		self.vault
			.db()
			.transaction(vec![
				crate::store::Statement::new(
					"UPDATE credentials SET failed_attempts = 0, lockouts = 0, locked_until = 0 \
					 WHERE account = $1",
					vec![account.into()],
				),
				crate::store::Statement::new(
					"INSERT INTO sessions (token_hash, account, client, created_at, expires_at) \
					 VALUES ($1, $2, $3, $4, $5)",
					vec![
						token_hash(&token).into(),
						account.into(),
						client.as_str().into(),
						now.into(),
						expires_at_ms.into(),
					],
				),
			])
			.await?;
		Ok(NewSession { token, account, expires_at_ms })
	}

	/// The live session whose token is `token`.
	pub async fn session(&self, token: &str) -> Result<Session, GatewayError> {
		let token_hash = token_hash(token);
		let row = self
			.vault
			.db()
			.query_one(
				"SELECT account, client, expires_at FROM sessions WHERE token_hash = $1",
				vec![token_hash.into()],
			)
			.await?
			.ok_or(AuthError::NoSession)?;
		let expires_at_ms = row.int(2)?;
		if expires_at_ms <= crate::outbox::now_ms() {
			self.end_session(token_hash).await?;
			return Err(AuthError::NoSession.into());
		}
		let client = Client::parse(&row.text(1)?).ok_or(GatewayError::Corrupt("session client"))?;
		Ok(Session { account: row.bytes32(0)?, client, token_hash, expires_at_ms })
	}

	/// End the session stored under `token_hash` (signing out; an ended session is gone).
	pub async fn end_session(&self, token_hash: [u8; 32]) -> Result<(), GatewayError> {
		self.vault
			.db()
			.execute("DELETE FROM sessions WHERE token_hash = $1", vec![token_hash.into()])
			.await?;
		Ok(())
	}

	/// Whether `officer` holds office in `member`'s home branch, by the index; `None` while the
	/// member is not in the index.
	pub async fn holds_office_in_home_branch(
		&self,
		officer: [u8; 32],
		member: [u8; 32],
	) -> Result<Option<bool>, GatewayError> {
		let Some(home) = self
			.index
			.query_one("SELECT home_branch FROM members WHERE account = $1", vec![member.into()])
			.await?
		else {
			return Ok(None);
		};
		let office = self
			.index
			.query_one(
				"SELECT 1 FROM officers WHERE branch = $1 AND account = $2",
				vec![home.int(0)?.into(), officer.into()],
			)
			.await?;
		Ok(Some(office.is_some()))
	}

	/// Whether `officer` holds office in `branch`, by the index.
	pub async fn holds_office_in(
		&self,
		officer: [u8; 32],
		branch: u32,
	) -> Result<bool, GatewayError> {
		let row = self
			.index
			.query_one(
				"SELECT 1 FROM officers WHERE branch = $1 AND account = $2",
				vec![branch.into(), officer.into()],
			)
			.await?;
		Ok(row.is_some())
	}

	/// Whether `account` holds office in any branch, by the index.
	pub async fn holds_any_office(&self, account: [u8; 32]) -> Result<bool, GatewayError> {
		let row = self
			.index
			.query_one("SELECT 1 FROM officers WHERE account = $1 LIMIT 1", vec![account.into()])
			.await?;
		Ok(row.is_some())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_password_verifies_against_its_own_hash_only() {
		let phc = hash_now("correct horse").expect("hash");
		assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
		assert!(verify_now(&phc, "correct horse").expect("verify"));
		assert!(!verify_now(&phc, "correct horsE").expect("verify"));
		assert!(matches!(verify_now("not a hash", "x"), Err(AuthError::Hashing(_))));
		// A fresh salt each time.
		assert_ne!(phc, hash_now("correct horse").expect("hash"));
	}

	#[test]
	fn locks_double_and_stop_at_a_day() {
		assert_eq!(lock_duration_ms(0), FIRST_LOCK_MS);
		assert_eq!(lock_duration_ms(1), 2 * FIRST_LOCK_MS);
		assert_eq!(lock_duration_ms(2), 4 * FIRST_LOCK_MS);
		assert_eq!(lock_duration_ms(7), LONGEST_LOCK_MS);
		assert_eq!(lock_duration_ms(i64::MAX), LONGEST_LOCK_MS);
		assert_eq!(lock_duration_ms(-3), FIRST_LOCK_MS);
	}

	#[test]
	fn passwords_are_counted_in_characters() {
		assert_eq!(check_length("1234567"), Err(AuthError::PasswordLength));
		assert_eq!(check_length("12345678"), Ok(()));
		// Eight Chinese characters are eight characters, not 24 bytes.
		assert_eq!(check_length("我的密码很安全吧"), Ok(()));
		assert_eq!(check_length(&"x".repeat(129)), Err(AuthError::PasswordLength));
	}

	#[test]
	fn retry_after_rounds_up_to_whole_seconds() {
		assert_eq!(retry_after_s(10_001, 0), 11);
		assert_eq!(retry_after_s(10_000, 0), 10);
		assert_eq!(retry_after_s(0, 5), 0);
	}
}
