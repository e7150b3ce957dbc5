-- The index of finalised blocks (decision 0014, section 4): public chain data only, rebuildable
-- from an archive node. `indexed_head` names the chain (`genesis`) and the last block written
-- (`head`), which moves in the same transaction as that block's rows.
CREATE TABLE indexed_head (
	name TEXT PRIMARY KEY,
	block_number INTEGER NOT NULL,
	block_hash BLOB NOT NULL
);

CREATE TABLE blocks (
	number INTEGER PRIMARY KEY,
	hash BLOB NOT NULL,
	parent_hash BLOB NOT NULL,
	extrinsics INTEGER NOT NULL
);

-- Every extrinsic; the outbox and clients find a transaction by (signer, nonce).
CREATE TABLE extrinsics (
	block INTEGER NOT NULL,
	idx INTEGER NOT NULL,
	hash BLOB NOT NULL,
	signer BLOB,
	nonce INTEGER,
	pallet TEXT NOT NULL,
	call TEXT NOT NULL,
	ok INTEGER NOT NULL,
	error TEXT,
	PRIMARY KEY (block, idx)
);
CREATE INDEX extrinsics_by_signer ON extrinsics (signer, nonce);

-- Branches registered after genesis (genesis branches come from the chain spec, not events).
CREATE TABLE branches (
	branch INTEGER PRIMARY KEY,
	parent INTEGER,
	admin BLOB NOT NULL,
	status TEXT NOT NULL,
	registered_block INTEGER NOT NULL
);

CREATE TABLE officers (
	branch INTEGER NOT NULL,
	account BLOB NOT NULL,
	role TEXT NOT NULL,
	since_block INTEGER NOT NULL,
	PRIMARY KEY (branch, account)
);

-- Members' public facts: account, home branch, status; never a name or a number.
CREATE TABLE members (
	account BLOB PRIMARY KEY,
	home_branch INTEGER NOT NULL,
	status TEXT NOT NULL,
	joined_block INTEGER NOT NULL,
	rekeyed_to BLOB
);
CREATE INDEX members_by_branch ON members (home_branch, status);
