-- The per-batch ingest audit is kept 30 days; raw_events keeps its own audit columns for good.
DELETE FROM ingest_batches
WHERE finished_at < now() - interval '30 days';
