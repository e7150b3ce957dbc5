-- Members' keys, sealed by custody (gateway/custody): the account in clear, the rest sealed.
CREATE TABLE member_keys (
	account BYTEA PRIMARY KEY,
	kek_id BIGINT NOT NULL,
	key_version BIGINT NOT NULL,
	wrapped_dek BYTEA NOT NULL,
	sealed_entropy BYTEA NOT NULL,
	status TEXT NOT NULL,
	rekeyed_to BYTEA,
	created_at BIGINT NOT NULL,
	request_scope TEXT,
	request_key TEXT,
	UNIQUE (request_scope, request_key)
);
CREATE INDEX member_keys_by_kek ON member_keys (kek_id);

-- Personal data, one sealed value per member and kind (bound to both by custody), and the KEK
-- whose derived key sealed it (KEK rotation reseals row by row).
CREATE TABLE personal_fields (
	kek_id BIGINT NOT NULL,
	account BYTEA NOT NULL REFERENCES member_keys (account),
	kind TEXT NOT NULL,
	sealed BYTEA NOT NULL,
	PRIMARY KEY (account, kind)
);

-- Blind indexes: find a member by phone or ID number without either in clear.
CREATE TABLE blind_indexes (
	kek_id BIGINT NOT NULL,
	kind TEXT NOT NULL,
	digest BYTEA NOT NULL,
	account BYTEA NOT NULL REFERENCES member_keys (account),
	PRIMARY KEY (kind, digest, account)
);

-- The identity commitment the chain holds, and the kind of document it was made from. The salt
-- is a sealed personal field (kind `identity-salt`).
CREATE TABLE identities (
	account BYTEA PRIMARY KEY REFERENCES member_keys (account),
	id_type TEXT NOT NULL,
	commitment BYTEA NOT NULL
);
