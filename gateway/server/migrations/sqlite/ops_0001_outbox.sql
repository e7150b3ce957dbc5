-- The outbox (decision 0014, section 3). One row per operation a client asked for; its nonce is
-- taken once and kept for life, and the unique index makes two live operations with the same
-- (account, nonce) impossible.
CREATE TABLE operations (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	account BLOB NOT NULL,
	pallet TEXT NOT NULL,
	call TEXT NOT NULL,
	call_bytes BLOB NOT NULL,
	state TEXT NOT NULL,
	nonce INTEGER,
	attempts INTEGER NOT NULL DEFAULT 0,
	-- Not before this time (ms) after a transient refusal (back-off).
	next_try_at INTEGER NOT NULL DEFAULT 0,
	-- The best block when the pool took it (to notice a pool that lost it).
	submitted_block INTEGER,
	outcome TEXT,
	block_number INTEGER,
	block_hash BLOB,
	ext_index INTEGER,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX operations_open ON operations (state, id);
CREATE INDEX operations_by_account ON operations (account, id);
CREATE UNIQUE INDEX operations_one_per_nonce ON operations (account, nonce) WHERE nonce IS NOT NULL;

-- Every signed variant of an operation, all with the operation's one nonce.
CREATE TABLE submissions (
	op_id INTEGER NOT NULL REFERENCES operations (id),
	n INTEGER NOT NULL,
	nonce INTEGER NOT NULL,
	tx_hash BLOB NOT NULL,
	tx_bytes BLOB NOT NULL,
	birth_block INTEGER NOT NULL,
	period INTEGER NOT NULL,
	spec_version INTEGER NOT NULL,
	signed_at INTEGER NOT NULL,
	PRIMARY KEY (op_id, n)
);
CREATE INDEX submissions_by_hash ON submissions (tx_hash);

-- The next nonce the gateway will give each account it signs for.
CREATE TABLE lanes (
	account BLOB PRIMARY KEY,
	next_nonce INTEGER NOT NULL
);

-- Clients' idempotency keys: the same key and request return the same operation.
CREATE TABLE idempotency (
	scope TEXT NOT NULL,
	key TEXT NOT NULL,
	request_sha256 BLOB NOT NULL,
	op_id INTEGER NOT NULL REFERENCES operations (id),
	created_at INTEGER NOT NULL,
	PRIMARY KEY (scope, key)
);

-- How far the outbox has read finalised blocks, and which chain it belongs to.
CREATE TABLE chain_cursor (
	name TEXT PRIMARY KEY,
	block_number INTEGER NOT NULL,
	block_hash BLOB NOT NULL
);
