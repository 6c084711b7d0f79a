-- An erasure is recorded first (the request, durable), then carried out: completed_at says it is done, and a
-- scheduled task completes one that a crash or an unreachable store interrupted. Those before this were done at once.
ALTER TABLE patient_erasure ADD COLUMN completed_at TIMESTAMPTZ;
UPDATE patient_erasure SET completed_at = erased_at;
CREATE INDEX patient_erasure_unfinished ON patient_erasure (erased_at) WHERE completed_at IS NULL;
