-- The difficulty a patient gives a completed exercise (1 easy - 5 hard, optional), summed per local day like the
-- repetitions: readiness to progress reads its mean over the last scheduled days. Exercises stored before this
-- migration have none (their events carried it: a rebuild fills it in).
ALTER TABLE exercise_log ADD COLUMN difficulty SMALLINT;
ALTER TABLE exercise_day ADD COLUMN difficulty_sum BIGINT NOT NULL DEFAULT 0,
                         ADD COLUMN difficulty_count INTEGER NOT NULL DEFAULT 0;

CREATE OR REPLACE VIEW exercise_day_from_facts AS
SELECT l.patient_id, (l.occurred_at AT TIME ZONE s.zone)::date AS day, l.exercise_id, coalesce(l.side, 'BOTH') AS side,
       sum(l.sets::bigint * l.reps) AS reps, count(*)::integer AS completions,
       coalesce(sum(l.difficulty), 0) AS difficulty_sum, count(l.difficulty)::integer AS difficulty_count
FROM exercise_log l JOIN patient_state s USING (patient_id)
GROUP BY 1, 2, 3, 4;
