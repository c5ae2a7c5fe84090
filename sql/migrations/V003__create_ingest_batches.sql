-- One row per ingested Kafka batch: the accounting that proves nothing was lost
-- (received = inserted + duplicates + dead_lettered) and the raw material for throughput and freshness figures.
CREATE TABLE ingest_batches (
    id              bigserial   PRIMARY KEY,
    run_id          uuid        NOT NULL,
    received        integer     NOT NULL,
    inserted        integer     NOT NULL,
    duplicates      integer     NOT NULL,
    dead_lettered   integer     NOT NULL,
    isolated        boolean     NOT NULL DEFAULT false,   -- written record by record after a failed batch write
    offsets         jsonb       NOT NULL,                 -- {"topic/partition": [first, last], ...}
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (received = inserted + duplicates + dead_lettered)
);

CREATE INDEX ingest_batches_finished_at_idx ON ingest_batches (finished_at);
