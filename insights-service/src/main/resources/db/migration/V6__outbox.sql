-- The outbox every service has, in one shape, published by service-support's OutboxRelay (flag_outbox was this
-- service's own). Flag changes still waiting move over in their order.
CREATE TABLE outbox (
    seq         BIGSERIAL   PRIMARY KEY,              -- publication order
    topic       TEXT        NOT NULL,
    message_key TEXT        NOT NULL,                 -- Kafka key and ce_subject: the patient id
    event_id    TEXT        NOT NULL,                 -- ce_id
    type        TEXT        NOT NULL,                 -- ce_type
    occurred_at TIMESTAMPTZ NOT NULL,                 -- ce_time
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),   -- taken in: backlog age, publish latency (ce_recordedat where sent)
    payload     TEXT        NOT NULL                  -- the record's value, as published
);
-- A queue: every row is inserted and soon deleted. Keep its emptied pages (truncating them takes a lock that stalls
-- inserts) and vacuum it often, whatever its size, so reading the head stays cheap.
ALTER TABLE outbox SET (vacuum_truncate = false, autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 5000);

INSERT INTO outbox (topic, message_key, event_id, type, occurred_at, payload)
SELECT 'review-flags', patient_id, event_id::text, type, occurred_at, payload FROM flag_outbox ORDER BY seq;

DROP TABLE flag_outbox;
