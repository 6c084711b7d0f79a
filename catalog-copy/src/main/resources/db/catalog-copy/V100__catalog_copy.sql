-- This service's own copy of the catalog: the newest version seen of each exercise and program.
CREATE TABLE catalog_copy (
    definition_key TEXT PRIMARY KEY,   -- 'exercise/<id>' or 'program/<id>'
    version        INTEGER     NOT NULL,
    document       TEXT        NOT NULL,
    copied_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
