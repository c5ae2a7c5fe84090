-- Schema drift seen at ingest: top-level fields the contract does not declare, counted per batch
-- ({"field": occurrences}), so the quality report never scans raw_events for it.
ALTER TABLE ingest_batches ADD COLUMN unknown_fields jsonb NOT NULL DEFAULT '{}'::jsonb;

CREATE INDEX dead_letters_first_failed_at_idx ON dead_letters (first_failed_at);
