-- More sources than events (products, inventory, campaigns; issue 13) share the dead-letter store, its redelivery and
-- the batch audit. Each entry and batch names its source: redelivery revalidates an entry with that source's contract
-- and writes it with that source's writer. Everything stored so far came from the events topic.

ALTER TABLE pipeline.dead_letters ADD COLUMN source text NOT NULL DEFAULT 'events';
ALTER TABLE pipeline.ingest_batches ADD COLUMN source text NOT NULL DEFAULT 'events';

COMMENT ON COLUMN pipeline.dead_letters.source IS
'The source the record belongs to (events, products, inventory, campaigns): the contract and writer redelivery uses.';
COMMENT ON COLUMN pipeline.ingest_batches.source IS
'The source of the batch (events, products, inventory, campaigns).';

-- Jobs are registered by name in the code (wiring/JobsConfiguration); the run table takes any such name instead of a
-- list that every new job (catalog, ...) would have to extend by a migration.
ALTER TABLE pipeline.job_runs DROP CONSTRAINT job_runs_job_check;
ALTER TABLE pipeline.job_runs ADD CONSTRAINT job_runs_job_check CHECK (job ~ '^[a-z][a-z0-9_-]*$');
