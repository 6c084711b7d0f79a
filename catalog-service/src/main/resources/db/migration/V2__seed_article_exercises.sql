-- The seven exercises of the source article (shared/source/sciatica-exercises-article.txt), steps and dosage as
-- the article gives them. "Up to N seconds, as long as is comfortable" is a hold range with min 0.
-- Every exercise gets the article's rule as its first caution.
WITH article(doc) AS (
    SELECT jsonb_array_elements($json$[
  {
    "id": "knee-to-chest",
    "name": "Knee to chest",
    "aliases": [],
    "kind": "STRETCH",
    "targetMuscles": ["lower back", "gluteus", "piriformis"],
    "steps": [
      "Lie on the back with the legs bent so the knees point upward and the feet are flat on the floor.",
      "Bring one knee to the chest, leaving the other foot resting on the floor.",
      "Hold the knee to the chest for up to 30 seconds or however long is comfortable.",
      "Slowly release the leg and repeat the process with the other leg.",
      "Variant: bring both legs to the chest and hold them for 30 seconds."
    ],
    "dosage": {"sets": 1, "reps": {"min": 3, "max": 3}, "holdSeconds": {"min": 0, "max": 30}, "perSide": true},
    "cautions": []
  },
  {
    "id": "glute-bridge",
    "name": "Glute bridge",
    "aliases": ["glute bridges"],
    "kind": "STRENGTHENING",
    "targetMuscles": ["gluteus", "hamstring", "lower back"],
    "steps": [
      "Lie on the back with the legs bent so that the knees point upward and the feet are flat on the floor about shoulder-width apart.",
      "Push into the heels and lift the hips until the body forms a straight line from the knees to the shoulders.",
      "Hold the position for several seconds, depending on comfort level, and then gently return the hips to the floor."
    ],
    "dosage": {"sets": 1, "reps": {"min": 8, "max": 10}, "holdSeconds": null, "perSide": false},
    "cautions": ["Start with one set of 8-10 repetitions; move up to multiple sets only when it is comfortable."]
  },
  {
    "id": "sitting-pigeon-pose",
    "name": "Sitting pigeon pose",
    "aliases": [],
    "kind": "STRETCH",
    "targetMuscles": ["piriformis", "gluteus", "lower back"],
    "steps": [
      "Sit on the floor and stretch the legs straight with the feet together.",
      "Bend the right leg and put the right ankle across the left knee.",
      "Lean forward at the hips, allowing the upper body to come down gently toward the thigh.",
      "Alternatively, if it is possible without discomfort, bend the left leg in, placing the hands behind the thigh, to increase the stretch.",
      "Hold the stretch for 10-20 seconds, depending on comfort level.",
      "Slowly release the hold and repeat the stretch on the other side."
    ],
    "dosage": {"sets": 1, "reps": {"min": 1, "max": 1}, "holdSeconds": {"min": 10, "max": 20}, "perSide": true},
    "cautions": ["Bend the other leg in to deepen the stretch only if it is possible without discomfort."]
  },
  {
    "id": "sitting-trunk-stretch",
    "name": "Sitting trunk stretch",
    "aliases": [],
    "kind": "STRETCH",
    "targetMuscles": ["lower back", "gluteus", "piriformis"],
    "steps": [
      "Sit on the ground and extend the legs straight out, flexing the toes upward.",
      "Bend the right knee, lift the foot, and place it on the outside of the left leg by the knee.",
      "Put the left elbow on the outside of the right knee and push into it gently, twisting toward the right side of the body.",
      "Hold for 20-30 seconds, and then release and switch sides."
    ],
    "dosage": {"sets": 1, "reps": {"min": 2, "max": 3}, "holdSeconds": {"min": 20, "max": 30}, "perSide": true},
    "cautions": ["Push into the knee gently; the twist should stretch, not strain."]
  },
  {
    "id": "childs-pose",
    "name": "Child's pose",
    "aliases": [],
    "kind": "STRETCH",
    "targetMuscles": ["lower back", "gluteus", "hamstring"],
    "steps": [
      "Start by kneeling, lowering the buttock onto the heels.",
      "Separate the knees about as far apart as the hips and lie the torso down between the thighs.",
      "Extend the arms in a relaxed position on the floor in front of the head.",
      "Breathe into the position to relax. Do not force the buttocks onto the heels, but allow them to rest in the position so that it creates a gentle stretch.",
      "Hold the position for up to 30 seconds before gently releasing it."
    ],
    "dosage": {"sets": 1, "reps": {"min": 1, "max": 1}, "holdSeconds": {"min": 0, "max": 30}, "perSide": false},
    "cautions": ["Do not force the buttocks onto the heels."]
  },
  {
    "id": "prone-extension",
    "name": "Prone extension stretch",
    "aliases": ["cobra pose"],
    "kind": "STRETCH",
    "targetMuscles": ["lower back"],
    "steps": [
      "Lie flat on the stomach with the forearms resting on the ground.",
      "Arch the back to raise the chest off the ground with the head facing forward.",
      "Hold the pose for 10-30 seconds before lowering the chest back down."
    ],
    "dosage": {"sets": 1, "reps": {"min": 10, "max": 10}, "holdSeconds": {"min": 10, "max": 30}, "perSide": false},
    "cautions": []
  },
  {
    "id": "pelvic-tilt",
    "name": "Pelvic tilt",
    "aliases": ["pelvic tilts"],
    "kind": "STRENGTHENING",
    "targetMuscles": ["lower back", "gluteus", "lower abdominals"],
    "steps": [
      "Lie on the back with the legs bent and the arms at the sides.",
      "Tighten the abdominal muscles and press the back into the floor.",
      "Tilt the hips and pelvis upward and hold that position, breathing deeply for a few seconds.",
      "Release the position and relax."
    ],
    "dosage": {"sets": 1, "reps": {"min": 10, "max": 10}, "holdSeconds": null, "perSide": false},
    "cautions": ["Start with about 10 repetitions and build up over time only if possible."]
  }
]$json$::jsonb)
)
INSERT INTO exercise_version (definition_id, version, defined_at, document)
SELECT doc ->> 'id', 1, now(),
       doc || jsonb_build_object(
           'version', 1,
           'definedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           'cautions', '["Exercises should cause a stretch and tension in the area, but must not worsen pain or cause new pain. If pain gets worse or new pain appears, stop immediately and speak with your doctor or physical therapist."]'::jsonb
                       || (doc -> 'cautions'))
FROM article;

-- The program template: all seven, once a day, every day (most cases improve in about 4-6 weeks).
INSERT INTO program_version (definition_id, version, defined_at, document)
SELECT 'sciatica-relief', 1, now(), jsonb_build_object(
    'id', 'sciatica-relief',
    'version', 1,
    'name', 'Sciatica relief',
    'description', 'The seven stretches and strengthening exercises of the source article, once a day, every day. Most cases of sciatica improve in about 4-6 weeks; stop any exercise that worsens pain or causes new pain.',
    'exercises', (SELECT jsonb_agg(jsonb_build_object('exerciseId', id, 'dosage', NULL) ORDER BY ord)
                  FROM unnest(ARRAY['knee-to-chest', 'glute-bridge', 'sitting-pigeon-pose', 'sitting-trunk-stretch',
                                    'childs-pose', 'prone-extension', 'pelvic-tilt']) WITH ORDINALITY AS e(id, ord)),
    'schedule', jsonb_build_object('timesPerDay', 1,
        'daysOfWeek', '["MONDAY","TUESDAY","WEDNESDAY","THURSDAY","FRIDAY","SATURDAY","SUNDAY"]'::jsonb),
    'definedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
