-- Measured: marking each published event in place rewrote the whole row and every index entry. The outbox is
-- now a narrow table of the sequence numbers still to publish; a published event's entry is deleted.
CREATE TABLE outbox (seq BIGINT PRIMARY KEY);
INSERT INTO outbox (seq) SELECT seq FROM patient_event WHERE published_at IS NULL;
DROP INDEX patient_event_unpublished;
ALTER TABLE patient_event DROP COLUMN published_at;
-- stored as sent and published as stored: no JSONB parse on the way in, no rendering on the way out
ALTER TABLE patient_event ALTER COLUMN payload TYPE TEXT;
