-- Key export and re-keying (issue 17). Every export of a member's words, every refused attempt
-- and every step of a re-key leaves an entry here, written before the words are shown; the
-- entries are never updated or deleted.
CREATE TABLE key_audit (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	account BLOB NOT NULL,
	-- export, export-refused, release, rekey-requested, rekey-completed
	action TEXT NOT NULL,
	-- Who acted: the officer who checked the member at the counter, or the member.
	actor BLOB NOT NULL,
	-- How the member was re-authenticated (counter-id-document), or what happened.
	detail TEXT NOT NULL,
	at INTEGER NOT NULL
);
CREATE INDEX key_audit_by_account ON key_audit (account, action, at);

-- When the member's words were last shown. An exported key may sign outside the gateway, so
-- the outbox may meet nonces it did not use (state `superseded`).
ALTER TABLE member_keys ADD COLUMN exported_at INTEGER;
