-- Sign-in (issue 18). A member's password as an argon2id PHC string (never the password), the
-- failed attempts since the last success, and the lock they led to. Staff set or reset it at the
-- counter after checking the member's identity document; `set_by` is that officer (or the member).
CREATE TABLE credentials (
	account BYTEA PRIMARY KEY,
	password_phc TEXT NOT NULL,
	failed_attempts BIGINT NOT NULL DEFAULT 0,
	-- Milliseconds since 1970; 0 when not locked.
	locked_until BIGINT NOT NULL DEFAULT 0,
	-- How many times the account was locked since its last success: each lock lasts twice as long.
	lockouts BIGINT NOT NULL DEFAULT 0,
	set_by BYTEA NOT NULL,
	set_at BIGINT NOT NULL
);

-- Sessions, by the SHA-256 of their token: a copy of this table opens no session.
-- `client`: web (a cookie) or app (a bearer token, for the mini program).
CREATE TABLE sessions (
	token_hash BYTEA PRIMARY KEY,
	account BYTEA NOT NULL,
	client TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account);
