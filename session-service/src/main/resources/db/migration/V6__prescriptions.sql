-- A patient's prescription, version by version: version 1 is the snapshot of the program version they were enrolled
-- on (written when the patient accepts), each later one the treating clinician's. A version is never changed; the
-- one in force on a day is the highest-numbered whose effective_from is on or before it. document is the whole
-- PrescriptionVersion as published (enrollment.started, prescription.changed); version and effective_from repeat it
-- for SQL. Enrollments accepted before this migration get their version 1 when their prescription is first read or
-- written (derived as insights derives it from their enrollment.started), so nothing is backfilled here.
CREATE TABLE prescription_version (
    enrollment_id  UUID        NOT NULL REFERENCES enrollment,
    version        INTEGER     NOT NULL,
    effective_from DATE        NOT NULL,   -- a local date in the patient's time zone
    document       JSONB       NOT NULL,
    changed_by     TEXT        NOT NULL,   -- the clinician who wrote it (version 1: the enrollment's)
    changed_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (enrollment_id, version)
);

-- The end of care: the patient's last day (a local date in their time zone; null for enrollments ended before it
-- existed) and the clinician's note, which is kept here only: never published, never logged.
ALTER TABLE enrollment
    ADD COLUMN end_date DATE,
    ADD COLUMN end_note TEXT;
