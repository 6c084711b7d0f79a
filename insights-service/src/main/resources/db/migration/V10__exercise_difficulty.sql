-- How a patient did each exercise, beyond its repetitions: the difficulty they gave it (1 easy - 5 hard, optional)
-- and the hold (seconds, optional), kept per local day next to the repetitions and completions. Readiness to
-- progress reads them over the last scheduled days. Completions stored before this migration, or by a pod of the
-- previous release during a rolling update, kept neither: exercise_day counts the completions stored WITH details
-- (only this release adds to it), and a day with any other completion does not show readiness. A rebuild reads the
-- details from the events again.
ALTER TABLE exercise_log ADD COLUMN difficulty SMALLINT,
                         ADD COLUMN hold_seconds INTEGER,
                         ADD COLUMN details_kept BOOLEAN;      -- null: stored without them
ALTER TABLE exercise_day ADD COLUMN with_details INTEGER NOT NULL DEFAULT 0,
                         ADD COLUMN difficulty_sum BIGINT NOT NULL DEFAULT 0,
                         ADD COLUMN difficulty_count INTEGER NOT NULL DEFAULT 0,
                         ADD COLUMN shortest_hold INTEGER,     -- of the completions with details (0: one not held)
                         ADD COLUMN fewest_reps BIGINT;        -- sets × reps of the smallest completion with details

CREATE OR REPLACE VIEW exercise_day_from_facts AS
SELECT l.patient_id, (l.occurred_at AT TIME ZONE s.zone)::date AS day, l.exercise_id, coalesce(l.side, 'BOTH') AS side,
       sum(l.sets::bigint * l.reps) AS reps, count(*)::integer AS completions,
       (count(*) FILTER (WHERE l.details_kept))::integer AS with_details,
       coalesce(sum(l.difficulty) FILTER (WHERE l.details_kept), 0) AS difficulty_sum,
       (count(l.difficulty) FILTER (WHERE l.details_kept))::integer AS difficulty_count,
       min(coalesce(l.hold_seconds, 0)) FILTER (WHERE l.details_kept) AS shortest_hold,
       min(l.sets::bigint * l.reps) FILTER (WHERE l.details_kept) AS fewest_reps
FROM exercise_log l JOIN patient_state s USING (patient_id)
GROUP BY 1, 2, 3, 4;
