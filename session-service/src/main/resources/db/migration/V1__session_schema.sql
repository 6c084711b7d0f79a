-- Everything patients' apps reported, in the order it was accepted. The table is also the outbox of the
-- session-events topic: published_at stays null until Kafka acknowledged the event.
CREATE TABLE patient_event (
    seq          BIGSERIAL   NOT NULL UNIQUE,      -- acceptance order; the relay publishes in this order
    event_id     UUID        PRIMARY KEY,          -- chosen by the app; a retry reuses it
    patient_id   TEXT        NOT NULL,
    type         TEXT        NOT NULL,             -- the CloudEvents type
    occurred_at  TIMESTAMPTZ NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL,
    content_hash TEXT        NOT NULL,             -- tells an identical retry from a different event reusing an id
    payload      JSONB       NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX patient_event_by_patient ON patient_event (patient_id, occurred_at DESC);
CREATE INDEX patient_event_unpublished ON patient_event (seq) WHERE published_at IS NULL;

CREATE TABLE enrollment (
    enrollment_id   UUID        PRIMARY KEY,
    patient_id      TEXT        NOT NULL,
    program_id      TEXT        NOT NULL,
    program_version INTEGER     NOT NULL,
    start_date      DATE        NOT NULL,
    timezone        TEXT        NOT NULL,
    clinician_id    TEXT        NOT NULL,
    enrolled_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX enrollment_by_patient ON enrollment (patient_id, enrolled_at);
