-- Every version of every definition is kept; the current one is the highest version per id.
CREATE TABLE exercise_version (
    id            BIGSERIAL PRIMARY KEY,
    definition_id TEXT        NOT NULL,
    version       INTEGER     NOT NULL,
    defined_at    TIMESTAMPTZ NOT NULL,
    document      JSONB       NOT NULL,
    UNIQUE (definition_id, version)
);

CREATE TABLE program_version (
    id            BIGSERIAL PRIMARY KEY,
    definition_id TEXT        NOT NULL,
    version       INTEGER     NOT NULL,
    defined_at    TIMESTAMPTZ NOT NULL,
    document      JSONB       NOT NULL,
    UNIQUE (definition_id, version)
);

-- Transactional outbox: written in the same transaction as the definition, published by the relay, so a write
-- made while Kafka is unreachable is still published once it is back.
CREATE TABLE pending_publication (
    id           BIGSERIAL PRIMARY KEY,
    topic        TEXT        NOT NULL,
    message_key  TEXT        NOT NULL,
    event_id     TEXT        NOT NULL,
    event_type   TEXT        NOT NULL,
    occurred_at  TIMESTAMPTZ NOT NULL,
    payload      TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX pending_publication_unpublished ON pending_publication (id) WHERE published_at IS NULL;
