-- When each block was made (its `Timestamp.set` inherent, ms since 1970), so statements, exports
-- and the passbook show dates rather than block numbers. NULL for blocks indexed before this
-- column existed; a re-sync of the index fills them.
ALTER TABLE blocks ADD COLUMN time_ms BIGINT;
