-- The outbox is a queue: every row is inserted and soon deleted. Measured: autovacuum truncating its emptied tail
-- took an exclusive lock that stalled inserts (single-event POSTs) for up to ~0.8 s. Keep the pages instead, and
-- vacuum the queue often, whatever its size, so it stays small.
ALTER TABLE outbox SET (vacuum_truncate = false, autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 5000);
