-- Who erased which patient, when and why (an admin's reason, kept without health data): the record an erasure
-- leaves behind in session-service, besides the access log's entry and the key's tombstone in patient-keys.
CREATE TABLE patient_erasure (
    patient_id TEXT        PRIMARY KEY,
    erased_at  TIMESTAMPTZ NOT NULL,
    erased_by  TEXT        NOT NULL,
    reason     TEXT        NOT NULL
);
