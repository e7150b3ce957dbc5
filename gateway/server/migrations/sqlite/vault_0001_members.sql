-- Members' keys, sealed by custody (gateway/custody): the account in clear, the rest sealed.
CREATE TABLE member_keys (
	account BLOB PRIMARY KEY,
	kek_id INTEGER NOT NULL,
	key_version INTEGER NOT NULL,
	wrapped_dek BLOB NOT NULL,
	sealed_entropy BLOB NOT NULL,
	status TEXT NOT NULL,
	rekeyed_to BLOB,
	created_at INTEGER NOT NULL,
	request_scope TEXT,
	request_key TEXT,
	UNIQUE (request_scope, request_key)
);
CREATE INDEX member_keys_by_kek ON member_keys (kek_id);

-- Personal data, one sealed value per member and kind (bound to both by custody), and the KEK
-- whose derived key sealed it (KEK rotation reseals row by row).
CREATE TABLE personal_fields (
	kek_id INTEGER NOT NULL,
	account BLOB NOT NULL REFERENCES member_keys (account),
	kind TEXT NOT NULL,
	sealed BLOB NOT NULL,
	PRIMARY KEY (account, kind)
);

-- Blind indexes: find a member by phone or ID number without either in clear.
CREATE TABLE blind_indexes (
	kek_id INTEGER NOT NULL,
	kind TEXT NOT NULL,
	digest BLOB NOT NULL,
	account BLOB NOT NULL REFERENCES member_keys (account),
	PRIMARY KEY (kind, digest, account)
);

-- The identity commitment the chain holds, and the kind of document it was made from. The salt
-- is a sealed personal field (kind `identity-salt`).
CREATE TABLE identities (
	account BLOB PRIMARY KEY REFERENCES member_keys (account),
	id_type TEXT NOT NULL,
	commitment BLOB NOT NULL
);
