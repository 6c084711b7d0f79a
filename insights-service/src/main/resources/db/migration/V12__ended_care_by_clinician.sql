-- The patient list's ended care: a clinician's enrollments ended lately, without walking every one they ever had.
CREATE INDEX enrollment_ended_by_clinician ON enrollment (clinician_id, ended_at DESC) WHERE ended_at IS NOT NULL;
