-- Who read which patient's data in this service (service-support's AccessLog): written in batches as reads are
-- served, listed newest first per patient, kept for the configured retention (six years by default). No health data:
-- the action is the route read, never what it returned.
CREATE TABLE access_entry (
    id         BIGSERIAL PRIMARY KEY,
    entry_id   UUID        NOT NULL UNIQUE,   -- the writer's own id: a batch written again adds nothing
    at         TIMESTAMPTZ NOT NULL,
    service    TEXT        NOT NULL,
    subject    TEXT        NOT NULL,   -- the token's subject
    role       TEXT        NOT NULL,
    patient_id TEXT        NOT NULL,
    action     TEXT        NOT NULL,   -- method and route, e.g. GET /patients/{patientId}/pain
    outcome    TEXT        NOT NULL    -- ALLOWED, REFUSED, NOT_FOUND
);
CREATE INDEX access_entry_by_patient ON access_entry (patient_id, at DESC, id DESC);
CREATE INDEX access_entry_by_age ON access_entry (at);
