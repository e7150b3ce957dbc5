-- Finalised blocks the indexer has written (decision 0014, section 4). Only the chain's identity
-- and the head for now; the projections come with the indexer.
CREATE TABLE indexed_head (
	name TEXT PRIMARY KEY,
	block_number BIGINT NOT NULL,
	block_hash BYTEA NOT NULL
);
