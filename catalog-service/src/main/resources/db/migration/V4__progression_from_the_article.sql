-- How each of the article's exercises builds up (shared/source/sciatica-exercises-article.txt), as a new version of
-- each: the glute bridge from 8-10 repetitions to 10, then more sets, up to 3 ("moving up to multiple sets when it is
-- comfortable"); the pelvic tilt from about 10 repetitions by 2 up to 20 ("build up this number over time"); each
-- held stretch's hold by 5 seconds up to the longest hold the article gives it. Knee to chest keeps its 3
-- repetitions a leg. Published like any new version (on the next start, every version is queued again).
WITH progression(id, doc) AS (VALUES
    ('knee-to-chest',         '{"holdSeconds": {"by": 5, "max": 30}}'::jsonb),
    ('glute-bridge',          '{"reps": {"by": 2, "max": 10}, "sets": {"by": 1, "max": 3}}'::jsonb),
    ('sitting-pigeon-pose',   '{"holdSeconds": {"by": 5, "max": 20}}'::jsonb),
    ('sitting-trunk-stretch', '{"holdSeconds": {"by": 5, "max": 30}}'::jsonb),
    ('childs-pose',           '{"holdSeconds": {"by": 5, "max": 30}}'::jsonb),
    ('prone-extension',       '{"holdSeconds": {"by": 5, "max": 30}}'::jsonb),
    ('pelvic-tilt',           '{"reps": {"by": 2, "max": 20}}'::jsonb)
), latest AS (
    SELECT DISTINCT ON (v.definition_id) v.definition_id, v.version, v.document
      FROM exercise_version v JOIN progression p ON p.id = v.definition_id
     ORDER BY v.definition_id, v.version DESC
)
INSERT INTO exercise_version (definition_id, version, defined_at, document)
SELECT l.definition_id, l.version + 1, now(),
       l.document || jsonb_build_object('version', l.version + 1, 'progression', p.doc,
                                        'definedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
  FROM latest l JOIN progression p ON p.id = l.definition_id
 WHERE NOT l.document ? 'progression';
