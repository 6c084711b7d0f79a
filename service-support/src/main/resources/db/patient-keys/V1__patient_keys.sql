-- Each patient's data key, which seals their records on session-events (crypto-shredding, docs/architecture.md).
-- The key is stored wrapped (AES-256-GCM under the master key, PATIENT_KEY_MASTER, bound to the patient id): a copy
-- of this table alone opens nothing. Erasure sets wrapped_key to NULL and keeps the row as the patient's tombstone,
-- so no key is ever made again for an erased patient id and every service can tell "erased" from "never known".
CREATE TABLE patient_key (
    patient_id  TEXT        PRIMARY KEY,
    wrapped_key BYTEA,
    created_at  TIMESTAMPTZ NOT NULL,
    erased_at   TIMESTAMPTZ,
    CONSTRAINT patient_key_erased_has_no_key CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);
