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

-- The patient's last day of care (enrollment.ended's endDate; before it existed, the local date of the end).
ALTER TABLE enrollment ADD COLUMN end_date DATE;
UPDATE enrollment SET end_date = (ended_at AT TIME ZONE timezone)::date WHERE ended_at IS NOT NULL;
