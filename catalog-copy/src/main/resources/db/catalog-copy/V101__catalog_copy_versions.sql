-- Every version seen of each exercise and program, not only the newest: a patient's prescription is the snapshot of
-- the program version they were enrolled on, and one made before prescriptions existed is derived from it.
CREATE TABLE catalog_copy_version (
    definition_key TEXT        NOT NULL,   -- 'exercise/<id>' or 'program/<id>'
    version        INTEGER     NOT NULL,
    document       TEXT        NOT NULL,
    copied_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (definition_key, version)
);
INSERT INTO catalog_copy_version (definition_key, version, document, copied_at)
SELECT definition_key, version, document, copied_at FROM catalog_copy;
DROP TABLE catalog_copy;
