-- Sign-in (issue 18). A member's password as an argon2id PHC string (never the password), the
-- failed attempts since the last success, and the lock they led to. Staff set or reset it at the
-- counter after checking the member's identity document; `set_by` is that officer (or the member).
CREATE TABLE credentials (
	account BLOB PRIMARY KEY,
	password_phc TEXT NOT NULL,
	failed_attempts INTEGER NOT NULL DEFAULT 0,
	-- Milliseconds since 1970; 0 when not locked.
	locked_until INTEGER NOT NULL DEFAULT 0,
	-- How many times the account was locked since its last success: each lock lasts twice as long.
	lockouts INTEGER NOT NULL DEFAULT 0,
	set_by BLOB NOT NULL,
	set_at INTEGER NOT NULL
);

-- Sessions, by the SHA-256 of their token: a copy of this table opens no session.
-- `client`: web (a cookie) or app (a bearer token, for the mini program).
CREATE TABLE sessions (
	token_hash BLOB PRIMARY KEY,
	account BLOB NOT NULL,
	client TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account);
