-- The outbox every service has, in one shape, published by service-support's OutboxRelay. It was a narrow table of
-- the log's sequence numbers, each looked up in patient_event by the relay; a row now carries what is published
-- (written in the statement that appends the events), so a round reads the outbox's head and nothing else.
-- Events still waiting move over in their order.
ALTER TABLE outbox RENAME TO outbox_seq;
ALTER INDEX outbox_pkey RENAME TO outbox_seq_pkey;

CREATE TABLE outbox (
    seq         BIGSERIAL   PRIMARY KEY,              -- publication order
    topic       TEXT        NOT NULL,
    message_key TEXT        NOT NULL,                 -- Kafka key and ce_subject: the patient id
    event_id    TEXT        NOT NULL,                 -- ce_id
    type        TEXT        NOT NULL,                 -- ce_type
    occurred_at TIMESTAMPTZ NOT NULL,                 -- ce_time
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),   -- accepted: backlog age, publish latency, ce_recordedat
    payload     TEXT        NOT NULL                  -- the record's value, as stored and published
);
-- As V3 set for the narrow outbox: a queue whose emptied tail must not be truncated (the exclusive lock stalled
-- inserts for up to ~0.8 s), vacuumed often whatever its size.
ALTER TABLE outbox SET (vacuum_truncate = false, autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 5000);

INSERT INTO outbox (topic, message_key, event_id, type, occurred_at, recorded_at, payload)
SELECT 'session-events', e.patient_id, e.event_id::text, e.type, e.occurred_at, e.recorded_at, e.payload
FROM outbox_seq o JOIN patient_event e ON e.seq = o.seq ORDER BY o.seq;

DROP TABLE outbox_seq;
