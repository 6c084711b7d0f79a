-- Every applied event's id, written in the same transaction as what it changed: a redelivered event is skipped.
CREATE TABLE processed_event (
    event_id   UUID PRIMARY KEY,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The facts, as reported. Adherence and pain are computed from them by occurredAt, so arrival order never matters.
CREATE TABLE enrollment (
    enrollment_id   UUID PRIMARY KEY,
    patient_id      TEXT        NOT NULL,
    program_id      TEXT        NOT NULL,
    program_version INTEGER     NOT NULL,
    start_date      DATE        NOT NULL,
    timezone        TEXT        NOT NULL,
    clinician_id    TEXT        NOT NULL,
    enrolled_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX enrollment_by_patient ON enrollment (patient_id, enrolled_at);
CREATE INDEX enrollment_by_clinician ON enrollment (clinician_id);

CREATE TABLE exercise_log (
    event_id     UUID PRIMARY KEY,
    patient_id   TEXT        NOT NULL,
    occurred_at  TIMESTAMPTZ NOT NULL,
    exercise_id  TEXT        NOT NULL,
    side         TEXT,
    sets         INTEGER     NOT NULL,
    reps         INTEGER     NOT NULL,
    recorded_at  TIMESTAMPTZ
);
CREATE INDEX exercise_log_by_patient ON exercise_log (patient_id, occurred_at);

CREATE TABLE pain_report (
    event_id    UUID PRIMARY KEY,
    patient_id  TEXT        NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    score       INTEGER     NOT NULL,
    location    TEXT        NOT NULL,
    side        TEXT        NOT NULL,
    context     TEXT        NOT NULL,
    exercise_id TEXT,
    new_pain    BOOLEAN     NOT NULL,
    red_flags   TEXT[]      NOT NULL,
    recorded_at TIMESTAMPTZ
);
CREATE INDEX pain_report_by_patient ON pain_report (patient_id, occurred_at);

-- Flags for clinician review. At most one flag per (patient, rule, subject) is open or acknowledged at a time.
CREATE TABLE review_flag (
    flag_id           UUID PRIMARY KEY,
    patient_id        TEXT        NOT NULL,
    rule              TEXT        NOT NULL,
    severity          TEXT        NOT NULL,
    subject           TEXT        NOT NULL,     -- exercise id, location (and side), or '' for the patient as a whole
    status            TEXT        NOT NULL,     -- OPEN, ACKNOWLEDGED, RESOLVED
    first_evidence_at TIMESTAMPTZ NOT NULL,
    last_evidence_at  TIMESTAMPTZ NOT NULL,
    evidence          TEXT        NOT NULL,     -- JSON array of what triggered it: event ids or days
    detail            TEXT        NOT NULL,
    raised_at         TIMESTAMPTZ NOT NULL,
    acknowledged_by   TEXT,
    acknowledged_at   TIMESTAMPTZ,
    resolved_by       TEXT,
    resolved_at       TIMESTAMPTZ,
    resolution_note   TEXT
);
CREATE UNIQUE INDEX review_flag_one_active ON review_flag (patient_id, rule, subject) WHERE status <> 'RESOLVED';
CREATE INDEX review_flag_by_patient ON review_flag (patient_id);

-- Outbox of the review-flags topic.
CREATE TABLE flag_outbox (
    seq         BIGSERIAL PRIMARY KEY,
    event_id    UUID        NOT NULL,
    flag_id     UUID        NOT NULL,
    patient_id  TEXT        NOT NULL,
    type        TEXT        NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    payload     TEXT        NOT NULL
);
