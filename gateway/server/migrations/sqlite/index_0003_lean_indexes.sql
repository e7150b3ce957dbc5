-- Fewer B-tree writes per indexed row, for the catch-up on a long chain (docs/BENCHMARKS.md, P10):
-- the database's commits are its critical path, and each index a row enters is a B-tree insert.

-- `extrinsics` kept in its primary key's order alone (WITHOUT ROWID), instead of a rowid table
-- beside a separate index on (block, idx): one B-tree insert fewer per extrinsic.
CREATE TABLE extrinsics_by_position (
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
) WITHOUT ROWID;
INSERT INTO extrinsics_by_position (block, idx, hash, signer, nonce, pallet, call, ok, error)
	SELECT block, idx, hash, signer, nonce, pallet, call, ok, error FROM extrinsics;
DROP TABLE extrinsics;
ALTER TABLE extrinsics_by_position RENAME TO extrinsics;

-- Lookups by signer or member always name one (`signer = $1`, which implies `IS NOT NULL`, so
-- SQLite uses these partial indexes); rows without one (inherents; the pool, grant, escrow or
-- clearing side of an entry) no longer enter them.
CREATE INDEX extrinsics_by_signer ON extrinsics (signer, nonce) WHERE signer IS NOT NULL;
DROP INDEX entries_by_debit_member;
CREATE INDEX entries_by_debit_member ON entries (debit_member, entry) WHERE debit_member IS NOT NULL;
DROP INDEX entries_by_credit_member;
CREATE INDEX entries_by_credit_member ON entries (credit_member, entry)
	WHERE credit_member IS NOT NULL;
