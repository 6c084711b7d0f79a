-- Each enrollment's prescription versions as session-service published them (version 1 in enrollment.started, the
-- next ones in prescription.changed): adherence of a day follows the version in force that day. An enrollment
-- started before prescriptions existed has none here: its version 1 is derived from the program version it was
-- enrolled on, as session-service derived it.
CREATE TABLE prescription_version (
    enrollment_id  UUID    NOT NULL,
    version        INTEGER NOT NULL,
    effective_from DATE    NOT NULL,
    document       TEXT    NOT NULL,
    PRIMARY KEY (enrollment_id, version)
);

-- The patient's last day of care, as enrollment.ended gives it; null for an end published before it existed, whose
-- last day is the local date of ended_at, counted in Java (PostgreSQL's zone names may lag the JDK's).
ALTER TABLE enrollment ADD COLUMN end_date DATE;
