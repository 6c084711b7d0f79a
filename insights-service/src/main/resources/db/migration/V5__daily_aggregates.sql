-- What the rules and reads need, per patient and local day, kept up to date as events arrive (each event once: the
-- aggregates are written from the rows the fact tables actually took). Rules and reads look at a bounded window of
-- these days, never at a patient's whole history. Local days are computed by the service (Java's zone rules); the
-- *_from_facts views say the same in SQL, for the tests to compare and for this migration's one pass over the facts.

-- The time zone a patient's local days are counted in (their latest enrollment's; UTC before they have one), and the
-- last local date the time-based rules were evaluated through.
CREATE TABLE patient_state (
    patient_id        TEXT PRIMARY KEY,
    zone              TEXT NOT NULL,
    evaluated_through DATE
);

CREATE TABLE exercise_day (
    patient_id  TEXT    NOT NULL,
    day         DATE    NOT NULL,
    exercise_id TEXT    NOT NULL,
    side        TEXT    NOT NULL,      -- LEFT, RIGHT or BOTH (a completion without a side counts for both)
    reps        BIGINT  NOT NULL,      -- sets × reps, summed
    completions INTEGER NOT NULL,
    PRIMARY KEY (patient_id, day, exercise_id, side)
);

-- Resting scores (check-in, before exercise) and exercise scores (during, after) apart: baseline and trends read
-- only resting ones.
CREATE TABLE pain_day (
    patient_id     TEXT        NOT NULL,
    day            DATE        NOT NULL,
    location       TEXT        NOT NULL,
    side           TEXT        NOT NULL,
    rest_count     INTEGER     NOT NULL,
    rest_sum       BIGINT      NOT NULL,
    rest_max       INTEGER,
    rest_last_at   TIMESTAMPTZ,
    exercise_count INTEGER     NOT NULL,
    exercise_sum   BIGINT      NOT NULL,
    exercise_max   INTEGER,
    PRIMARY KEY (patient_id, day, location, side)
);

-- The first pain (score 1 or more) ever reported at each place: pain somewhere new after the baseline days is a flag.
CREATE TABLE pain_site (
    patient_id     TEXT        NOT NULL,
    location       TEXT        NOT NULL,
    side           TEXT        NOT NULL,
    first_at       TIMESTAMPTZ NOT NULL,
    first_event_id UUID        NOT NULL,
    PRIMARY KEY (patient_id, location, side)
);

-- Each occurrence of a rule, with the flag it is evidence of. Re-evaluating a window replaces the occurrences of that
-- window only; a flag's first/last evidence and its latest evidence are summarised from its rows.
CREATE TABLE flag_occurrence (
    patient_id TEXT        NOT NULL,
    rule       TEXT        NOT NULL,
    subject    TEXT        NOT NULL,
    evidence   TEXT        NOT NULL,
    day        DATE        NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    detail     TEXT        NOT NULL,
    flag_id    UUID        NOT NULL,
    PRIMARY KEY (patient_id, rule, subject, evidence)
);
CREATE INDEX flag_occurrence_by_day ON flag_occurrence (patient_id, day);
CREATE INDEX flag_occurrence_by_flag ON flag_occurrence (flag_id, at);

-- The review queue and the patient list page through these, in their order: a page is an index walk that stops
-- after its rows, however many flags or patients a clinician has.
ALTER TABLE review_flag ADD COLUMN severity_rank SMALLINT GENERATED ALWAYS AS
    (CASE severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 ELSE 3 END) STORED;
CREATE INDEX review_flag_queue ON review_flag (severity_rank, raised_at, flag_id) WHERE status <> 'RESOLVED';
CREATE INDEX enrollment_current_by_clinician ON enrollment (clinician_id, patient_id, enrolled_at DESC) WHERE ended_at IS NULL;

CREATE VIEW exercise_day_from_facts AS
SELECT l.patient_id, (l.occurred_at AT TIME ZONE s.zone)::date AS day, l.exercise_id, coalesce(l.side, 'BOTH') AS side,
       sum(l.sets::bigint * l.reps) AS reps, count(*)::integer AS completions
FROM exercise_log l JOIN patient_state s USING (patient_id)
GROUP BY 1, 2, 3, 4;

CREATE VIEW pain_day_from_facts AS
SELECT r.patient_id, (r.occurred_at AT TIME ZONE s.zone)::date AS day, r.location, r.side,
       (count(*) FILTER (WHERE r.rest))::integer AS rest_count, coalesce(sum(r.score) FILTER (WHERE r.rest), 0) AS rest_sum,
       max(r.score) FILTER (WHERE r.rest) AS rest_max, max(r.occurred_at) FILTER (WHERE r.rest) AS rest_last_at,
       (count(*) FILTER (WHERE NOT r.rest))::integer AS exercise_count,
       coalesce(sum(r.score) FILTER (WHERE NOT r.rest), 0) AS exercise_sum, max(r.score) FILTER (WHERE NOT r.rest) AS exercise_max
FROM (SELECT *, context IN ('CHECK_IN', 'BEFORE_EXERCISE') AS rest FROM pain_report) r JOIN patient_state s USING (patient_id)
GROUP BY 1, 2, 3, 4;

CREATE VIEW pain_site_from_facts AS
SELECT DISTINCT ON (patient_id, location, side) patient_id, location, side, occurred_at AS first_at, event_id AS first_event_id
FROM pain_report WHERE score >= 1
ORDER BY patient_id, location, side, occurred_at, event_id::text COLLATE "C";

-- Existing data: zones from the latest enrollment, aggregates from the facts; then every patient's flags are
-- reconciled once (as the last step of a rebuild does) so that their occurrences exist. Reads wait until then.
INSERT INTO patient_state (patient_id, zone)
SELECT DISTINCT ON (patient_id) patient_id, timezone FROM enrollment ORDER BY patient_id, enrolled_at DESC;
INSERT INTO patient_state (patient_id, zone)
SELECT patient_id, 'UTC' FROM (SELECT patient_id FROM exercise_log UNION SELECT patient_id FROM pain_report) p
ON CONFLICT DO NOTHING;
INSERT INTO exercise_day SELECT * FROM exercise_day_from_facts;
INSERT INTO pain_day SELECT * FROM pain_day_from_facts;
INSERT INTO pain_site SELECT * FROM pain_site_from_facts;
UPDATE rebuild SET generation = generation + 1,
                   status = CASE WHEN status = 'REPLAYING' THEN 'REPLAYING' ELSE 'RECONCILING' END,
                   reconciled_through = CASE WHEN status = 'REPLAYING' THEN NULL ELSE '' END,
                   -- a rebuild under way keeps who asked for it
                   requested_by = CASE WHEN status = 'REPLAYING' THEN requested_by ELSE 'migration V5' END,
                   requested_at = CASE WHEN status = 'REPLAYING' THEN requested_at ELSE now() END, finished_at = NULL
WHERE id = 1 AND (EXISTS (SELECT 1 FROM patient_state) OR EXISTS (SELECT 1 FROM review_flag));
