-- A clinician may say something when acknowledging a flag too ("called the patient, appointment Tuesday");
-- the audit of a flag is who, when and the note, for both steps.
ALTER TABLE review_flag ADD COLUMN acknowledgement_note TEXT;
