-- What the runtime's last successful Flyway migrate left: a fingerprint of the migration files and the state of
-- Flyway's history table, so that a start with nothing to migrate can skip Flyway's scan and validation.
CREATE TABLE pipeline.schema_fingerprint (
    id boolean PRIMARY KEY DEFAULT TRUE CHECK (id),
    fingerprint text NOT NULL,
    history_rows bigint NOT NULL,
    history_max_rank bigint NOT NULL,
    recorded_at timestamptz NOT NULL
);

COMMENT ON TABLE pipeline.schema_fingerprint IS
'One row: SHA-256 of the migrations (files, placeholders, Java migration) and the flyway_schema_history row count and '
'highest rank after the last successful migrate; start-up skips Flyway while both still match.';
