-- The outbox every service has, in one shape, published by service-support's OutboxRelay: a row is deleted once
-- Kafka acknowledged it (pending_publication kept published rows, marked). The rows not published yet move over
-- in their order; published ones are on the topics already.
CREATE TABLE outbox (
    seq         BIGSERIAL   PRIMARY KEY,              -- publication order
    topic       TEXT        NOT NULL,
    message_key TEXT        NOT NULL,                 -- Kafka key and ce_subject
    event_id    TEXT        NOT NULL,                 -- ce_id
    type        TEXT        NOT NULL,                 -- ce_type
    occurred_at TIMESTAMPTZ NOT NULL,                 -- ce_time
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),   -- taken in: backlog age, publish latency (ce_recordedat where sent)
    payload     TEXT        NOT NULL                  -- the record's value, as published
);
-- A queue: every row is inserted and soon deleted. Keep its emptied pages (truncating them takes a lock that stalls
-- inserts) and vacuum it often, whatever its size, so reading the head stays cheap.
ALTER TABLE outbox SET (vacuum_truncate = false, autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 5000);

INSERT INTO outbox (topic, message_key, event_id, type, occurred_at, recorded_at, payload)
SELECT topic, message_key, event_id, event_type, occurred_at, created_at, payload
FROM pending_publication WHERE published_at IS NULL ORDER BY id;

DROP TABLE pending_publication;
