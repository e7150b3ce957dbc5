-- Fewer index writes per indexed row, for the catch-up on a long chain (docs/BENCHMARKS.md, P10).
-- (SQLite's migration also rebuilds `extrinsics` WITHOUT ROWID; a PostgreSQL table is a heap
-- beside its primary key's index either way.)

-- Lookups by signer or member always name one (`signer = $1`, which implies `IS NOT NULL`, so
-- the planner uses these partial indexes); rows without one (inherents; the pool, grant, escrow
-- or clearing side of an entry) no longer enter them.
DROP INDEX extrinsics_by_signer;
CREATE INDEX extrinsics_by_signer ON extrinsics (signer, nonce) WHERE signer IS NOT NULL;
DROP INDEX entries_by_debit_member;
CREATE INDEX entries_by_debit_member ON entries (debit_member, entry) WHERE debit_member IS NOT NULL;
DROP INDEX entries_by_credit_member;
CREATE INDEX entries_by_credit_member ON entries (credit_member, entry)
	WHERE credit_member IS NOT NULL;
