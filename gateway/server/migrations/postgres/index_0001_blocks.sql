-- The index of finalised blocks (decision 0014, section 4): public chain data only, rebuildable
-- from an archive node. `indexed_head` names the chain (`genesis`) and the last block written
-- (`head`), which moves in the same transaction as that block's rows.
CREATE TABLE indexed_head (
	name TEXT PRIMARY KEY,
	block_number BIGINT NOT NULL,
	block_hash BYTEA NOT NULL
);

CREATE TABLE blocks (
	number BIGINT PRIMARY KEY,
	hash BYTEA NOT NULL,
	parent_hash BYTEA NOT NULL,
	extrinsics BIGINT NOT NULL
);

-- Every extrinsic; the outbox and clients find a transaction by (signer, nonce).
CREATE TABLE extrinsics (
	block BIGINT NOT NULL,
	idx BIGINT NOT NULL,
	hash BYTEA NOT NULL,
	signer BYTEA,
	nonce BIGINT,
	pallet TEXT NOT NULL,
	call TEXT NOT NULL,
	ok BIGINT NOT NULL,
	error TEXT,
	PRIMARY KEY (block, idx)
);
CREATE INDEX extrinsics_by_signer ON extrinsics (signer, nonce);

-- Branches registered after genesis (genesis branches come from the chain spec, not events).
CREATE TABLE branches (
	branch BIGINT PRIMARY KEY,
	parent BIGINT,
	admin BYTEA NOT NULL,
	status TEXT NOT NULL,
	registered_block BIGINT NOT NULL
);

CREATE TABLE officers (
	branch BIGINT NOT NULL,
	account BYTEA NOT NULL,
	role TEXT NOT NULL,
	since_block BIGINT NOT NULL,
	PRIMARY KEY (branch, account)
);

-- Members' public facts: account, home branch, status; never a name or a number.
CREATE TABLE members (
	account BYTEA PRIMARY KEY,
	home_branch BIGINT NOT NULL,
	status TEXT NOT NULL,
	joined_block BIGINT NOT NULL,
	rekeyed_to BYTEA
);
CREATE INDEX members_by_branch ON members (home_branch, status);
