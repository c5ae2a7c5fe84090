-- Fresh planner statistics and reclaimed space after bulk loads and purges (runs outside a transaction).
VACUUM (ANALYZE) raw_events;
VACUUM (ANALYZE) dead_letters;
VACUUM (ANALYZE) dead_letter_attempts;
VACUUM (ANALYZE) ingest_batches;
