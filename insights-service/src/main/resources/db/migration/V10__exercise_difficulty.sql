-- How a patient did each exercise, beyond its repetitions: the difficulty they gave it (1 easy - 5 hard, optional)
-- and the hold (seconds, optional), summed per local day like the repetitions, with the completions per side kept
-- already. Readiness to progress reads them over the last scheduled days. Exercises stored before this migration
-- kept neither (their events carried both: a rebuild reads them again); they are counted as stored without
-- details, and a day with such a completion is not one that shows readiness.
ALTER TABLE exercise_log ADD COLUMN difficulty SMALLINT,
                         ADD COLUMN hold_seconds INTEGER,
                         ADD COLUMN details_kept BOOLEAN;      -- null: stored before this migration
ALTER TABLE exercise_day ADD COLUMN difficulty_sum BIGINT NOT NULL DEFAULT 0,
                         ADD COLUMN difficulty_count INTEGER NOT NULL DEFAULT 0,
                         ADD COLUMN shortest_hold INTEGER,     -- of the completions with details (0: one not held)
                         ADD COLUMN without_details INTEGER NOT NULL DEFAULT 0;
UPDATE exercise_day SET without_details = completions;

CREATE OR REPLACE VIEW exercise_day_from_facts AS
SELECT l.patient_id, (l.occurred_at AT TIME ZONE s.zone)::date AS day, l.exercise_id, coalesce(l.side, 'BOTH') AS side,
       sum(l.sets::bigint * l.reps) AS reps, count(*)::integer AS completions,
       coalesce(sum(l.difficulty), 0) AS difficulty_sum, count(l.difficulty)::integer AS difficulty_count,
       min(coalesce(l.hold_seconds, 0)) FILTER (WHERE l.details_kept) AS shortest_hold,
       (count(*) FILTER (WHERE l.details_kept IS NULL))::integer AS without_details
FROM exercise_log l JOIN patient_state s USING (patient_id)
GROUP BY 1, 2, 3, 4;
