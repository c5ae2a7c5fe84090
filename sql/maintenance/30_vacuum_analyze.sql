-- Fresh planner statistics and reclaimed space after bulk loads and purges (runs outside a transaction).
VACUUM (ANALYZE) raw.events;
VACUUM (ANALYZE) pipeline.dead_letters;
VACUUM (ANALYZE) pipeline.dead_letter_attempts;
VACUUM (ANALYZE) pipeline.ingest_batches;
