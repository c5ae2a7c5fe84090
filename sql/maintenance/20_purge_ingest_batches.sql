-- The per-batch ingest audit is kept 30 days; raw.events keeps its own audit columns for good.
DELETE FROM pipeline.ingest_batches
WHERE finished_at < now() - interval '30 days';
