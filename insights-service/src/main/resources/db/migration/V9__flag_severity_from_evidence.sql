-- A flag is as severe as its most severe occurrence: NO_RECENT_ACTIVITY is LOW after 3 quiet days and MEDIUM after
-- 14, one flag whose severity rises with its evidence. Every other rule's occurrences have the rule's severity. Old
-- insights pods can neither write this column nor read the new rule: stop them before this runs (docs/operations.md).
ALTER TABLE flag_occurrence ADD COLUMN severity TEXT;
UPDATE flag_occurrence SET severity = CASE rule WHEN 'RED_FLAG_SYMPTOMS' THEN 'CRITICAL'
                                                WHEN 'EXERCISE_WORSENS_PAIN' THEN 'HIGH'
                                                WHEN 'NEW_PAIN' THEN 'HIGH'
                                                WHEN 'SEVERE_PAIN' THEN 'HIGH'
                                                WHEN 'PAIN_TRENDING_WORSE' THEN 'MEDIUM'
                                                WHEN 'NOT_IMPROVING' THEN 'MEDIUM'
                                                WHEN 'LOW_ADHERENCE' THEN 'LOW' END;
ALTER TABLE flag_occurrence ALTER COLUMN severity SET NOT NULL;

-- The first days with resting scores of each patient (the baseline's), a few index steps however long the history.
CREATE INDEX pain_day_resting ON pain_day (patient_id, day) WHERE rest_count > 0;
