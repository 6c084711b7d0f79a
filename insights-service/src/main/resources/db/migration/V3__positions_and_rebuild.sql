-- Where insights is in each partition of a topic, written in the transaction that applies the records: the
-- database, not Kafka's committed offsets, says what was applied. A rebuild resets these rows to 0 for the whole
-- consumer group at once, whichever instance took the call; each consumer then finds itself ahead and seeks back.
CREATE TABLE consumer_position (
    topic       TEXT    NOT NULL,
    partition   INTEGER NOT NULL,
    next_offset BIGINT  NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- The one rebuild of insights, if any. REPLAYING: facts are being applied from the beginning, flags are left as they
-- are; RECONCILING: every patient's flags are re-derived in patient id order (reconciled_through is the last one
-- done); DONE: normal service. Flags, clinicians' acknowledgements, resolutions and notes are never truncated.
CREATE TABLE rebuild (
    id                 INTEGER     PRIMARY KEY CHECK (id = 1),
    generation         BIGINT      NOT NULL,
    status             TEXT        NOT NULL,
    requested_by       TEXT,
    requested_at       TIMESTAMPTZ,
    finished_at        TIMESTAMPTZ,
    reconciled_through TEXT
);
INSERT INTO rebuild (id, generation, status) VALUES (1, 0, 'DONE');

-- The end of each partition when the rebuild was asked for: replay is over when every position reaches it.
CREATE TABLE rebuild_target (
    partition  INTEGER PRIMARY KEY,
    end_offset BIGINT  NOT NULL
);

-- An enrollment ends (the patient revoked consent, or the clinician ended care): from then on its clinician
-- reads nothing more of the patient.
ALTER TABLE enrollment ADD COLUMN ended_at TIMESTAMPTZ;
ALTER TABLE enrollment ADD COLUMN end_reason TEXT;
