-- Rejects by rule, counted where they happen. The quality report (its window) and the anomaly detector (its 7-day
-- baseline) broke the dead letters down by rule with jsonb_array_elements over pipeline.dead_letters: a scan that
-- grows with the invalid share (about a second of one backend per 400,000 dead letters, beside ingest on the same
-- cores). Each batch now counts its dead-lettered records per rule in its audit row, as it counts unknown fields, and
-- the readers sum those.

ALTER TABLE pipeline.ingest_batches ADD COLUMN rejects_by_rule jsonb NOT NULL DEFAULT '{}'::jsonb;

COMMENT ON COLUMN pipeline.ingest_batches.rejects_by_rule IS
'Dead-lettered records of the batch per rule id ({"rule": records}); a record breaking several rules counts under '
'each, once per rule. Sums to at least dead_lettered (every dead letter has a rule).';

-- The batches written before this column: each dead letter is found in the batch that wrote it, the first batch to
-- finish after it failed whose offset ranges hold its origin (a batch re-read after a crash holds it too, but finished
-- later; an isolated batch finishes after the letters it wrote one by one, within the hour looked at), and counted per
-- rule as the readers counted it: once per rule among its stored reasons (V150's keys). One index walk along
-- ingest_batches.finished_at per dead letter, which stops at the first batch that holds it; the partition's range is
-- read with -> (a jsonb_each per batch here made one backend grow past 20 GB over 1,000,000 dead letters).
WITH letters AS (
    SELECT
        source,
        source_offset,
        first_failed_at,
        reasons,
        source_topic || '/' || source_partition AS topic_partition
    FROM pipeline.dead_letters
),

letter_batch AS (
    SELECT
        letters.reasons,
        writer.id AS batch_id
    FROM letters
    CROSS JOIN LATERAL (
        SELECT batch.id
        FROM pipeline.ingest_batches AS batch
        WHERE
            batch.source = letters.source
            AND batch.finished_at >= letters.first_failed_at
            AND batch.finished_at < letters.first_failed_at + interval '1 hour'
            AND batch.dead_lettered > 0
            AND letters.source_offset
            BETWEEN (batch.offsets -> letters.topic_partition ->> 0)::bigint
            AND (batch.offsets -> letters.topic_partition ->> 1)::bigint
        ORDER BY batch.finished_at
        LIMIT 1
    ) AS writer
),

batch_rules AS (
    SELECT
        letter_batch.batch_id,
        keys.rule,
        count(*) AS records
    FROM letter_batch
    CROSS JOIN LATERAL pipeline.dead_letter_tally_rules(letter_batch.reasons) AS keys
    WHERE keys.rule IS NOT NULL
    GROUP BY letter_batch.batch_id, keys.rule
),

batch_counts AS (
    SELECT
        batch_id,
        jsonb_object_agg(rule, records) AS rejects_by_rule
    FROM batch_rules
    GROUP BY batch_id
)

UPDATE pipeline.ingest_batches AS batch
SET rejects_by_rule = batch_counts.rejects_by_rule
FROM batch_counts
WHERE batch.id = batch_counts.batch_id;
