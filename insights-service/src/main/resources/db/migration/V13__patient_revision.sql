-- A patient's revision grows in every transaction that changes what their row of the patient list is worked out
-- from (facts, daily aggregates, prescriptions, enrollments, flag occurrences): a reader keeps rows it worked out
-- and works one out again only when its revision moved. A sequence, so a rebuild never brings an old value back.
-- The column is added with a constant default (no rewrite of a large table under its lock; 0 is below every value
-- the sequence gives, and no reader has kept anything yet), then new rows take the sequence's next value.
SET LOCAL lock_timeout = '10s';
CREATE SEQUENCE patient_revision;
ALTER TABLE patient_state ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE patient_state ALTER COLUMN revision SET DEFAULT nextval('patient_revision');
