-- Enrollment by the patient's consent. A clinician's invitation is a PENDING enrollment; only the patient, with the
-- invitation's one-time code, makes it ACTIVE, and only an ACTIVE enrollment lets its clinician see the patient.
-- Inviting is so never a way into a patient's data (before, any clinician could enroll a new patient id and read
-- everything that patient had posted).
--   PENDING -> ACTIVE (accepted) -> ENDED (by the clinician) | REVOKED (by the patient)
--   PENDING -> SUPERSEDED (the same clinician invited again) | LOCKED (5 wrong codes) | ENDED | REVOKED
--   a PENDING row past expires_at is expired: shown as EXPIRED, its code refused (no job needs to rewrite it)

-- the row is made when the clinician invites; accepted_at is when the patient enrolled
ALTER TABLE enrollment RENAME COLUMN enrolled_at TO invited_at;

ALTER TABLE enrollment
    ADD COLUMN status           TEXT        NOT NULL DEFAULT 'ACTIVE', -- every enrollment so far was enrolled at once
    ADD COLUMN invite_code_hash TEXT,                                   -- SHA-256 (hex) of the code, only while PENDING
    ADD COLUMN wrong_attempts   INTEGER     NOT NULL DEFAULT 0,
    ADD COLUMN expires_at       TIMESTAMPTZ,                            -- of the invitation
    ADD COLUMN accepted_at      TIMESTAMPTZ,
    ADD COLUMN ended_at         TIMESTAMPTZ,
    ADD COLUMN end_reason       TEXT;

UPDATE enrollment SET accepted_at = invited_at;

-- from now on every new row says its status itself
ALTER TABLE enrollment ALTER COLUMN status DROP DEFAULT;

-- Until now a patient could be enrolled several times, and the newest enrollment counted (insights reads it so).
-- From now on at most one is ACTIVE (the index below), so the older ones end now, as replaced when the next one
-- was made; without this the index could not be created on data holding two enrollments of one patient. Each
-- such end is published like any other (enrollment.ended), or insights would go on letting the replaced
-- enrollment's clinician see the patient.
WITH ordered AS (
    SELECT enrollment_id,
           lead(invited_at) OVER (PARTITION BY patient_id ORDER BY invited_at, enrollment_id) AS replaced_at
    FROM enrollment),
ended AS (
    UPDATE enrollment e
    SET status = 'ENDED', end_reason = 'REPLACED', ended_at = o.replaced_at
    FROM ordered o
    WHERE o.enrollment_id = e.enrollment_id AND o.replaced_at IS NOT NULL
    RETURNING e.enrollment_id, e.patient_id, e.clinician_id, e.ended_at),
events AS (
    SELECT gen_random_uuid() AS event_id, enrollment_id, patient_id, clinician_id, ended_at FROM ended),
logged AS (
    INSERT INTO patient_event (event_id, patient_id, type, occurred_at, recorded_at, content_hash, payload)
    SELECT event_id, patient_id, 'enrollment.ended', ended_at, now(), 'enrollment',
           json_build_object('eventId', event_id, 'patientId', patient_id, 'occurredAt', ended_at,
                             'enrollmentId', enrollment_id, 'clinicianId', clinician_id, 'reason', 'REPLACED')::text
    FROM events ORDER BY ended_at, enrollment_id
    RETURNING seq)
INSERT INTO outbox (seq) SELECT seq FROM logged;

ALTER TABLE enrollment
    ADD CONSTRAINT enrollment_status
        CHECK (status IN ('PENDING', 'ACTIVE', 'ENDED', 'REVOKED', 'LOCKED', 'SUPERSEDED')),
    ADD CONSTRAINT enrollment_end_reason
        CHECK (end_reason IN ('REVOKED_BY_PATIENT', 'RECOVERED', 'DISCHARGED', 'REFERRED', 'OTHER', 'REPLACED')),
    -- a code that can still be used exists only for a pending invitation
    ADD CONSTRAINT enrollment_code_while_pending
        CHECK ((status = 'PENDING') = (invite_code_hash IS NOT NULL)),
    ADD CONSTRAINT enrollment_pending_expires
        CHECK (status <> 'PENDING' OR expires_at IS NOT NULL);

-- One ACTIVE enrollment per patient, held by the database itself: two accepts at the same moment (two invitations,
-- two instances) cannot both succeed, which a check before the update could not promise. Also serves the access
-- check (patient, clinician, ACTIVE).
CREATE UNIQUE INDEX enrollment_one_active ON enrollment (patient_id) WHERE status = 'ACTIVE';

-- One PENDING invitation per patient and clinician: inviting again supersedes the earlier one, so an old code
-- never stays usable next to a new one.
CREATE UNIQUE INDEX enrollment_one_pending ON enrollment (patient_id, clinician_id) WHERE status = 'PENDING';
