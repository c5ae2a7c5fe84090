-- Clean layer: the purchases and refunds of every claimed hour, with UTC date/hour buckets, latency and lateness.
--
-- Contract for every file in sql/transform (run in name order, all in ONE transaction by TransformRunner):
--   run_hours(event_hour)                temp table: the UTC hours this run recomputes (the claimed pending hours)
--   run_ranges(range_start, range_end)   temp table: the same hours merged into [start, end) ranges of consecutive hours
--   run_raw_events                       temp view: the raw_events rows of those hours
--   run_transactions_clean               temp view: the transactions_clean rows of those hours (DELETE FROM it works)
--   run_days(day)                        temp table: the UTC days of those hours
--   run_customers(customer_id)           temp table made HERE: customers with transactions in those hours, before
--                                        or after this run (so a customer whose events went away is rebuilt too);
--                                        90_queue_gold.sql hands them and run_days to the gold job
--   current_setting('ecom.late_threshold')::interval     pipeline.transform.late-threshold
-- The two views carry the hour ranges as constants, so PostgreSQL estimates them from its statistics and picks an
-- index scan for a few hours and a sequential scan for a full rebuild (a join against run_ranges cannot be estimated
-- and was planned as a full scan of raw_events even for a handful of hours). Read the big per-event tables through
-- them; join run_hours / run_ranges for the small per-hour and per-window tables.
-- A file deletes what it owns for those hours/windows/days and rebuilds it from the layer below, so running it twice
-- gives the same rows. Plain SQL, no procedural code; edit, add or remove files freely (NN_name.sql).

CREATE TEMP TABLE run_customers ON COMMIT DROP AS
SELECT DISTINCT customer_id FROM run_transactions_clean WHERE customer_id IS NOT NULL;

DELETE FROM run_transactions_clean;

INSERT INTO transactions_clean (
    event_id, transaction_id, event_type, customer_id, customer_country, customer_tier, product_id, product_category,
    quantity, amount, currency, payment_method, status, event_time, processing_time, event_date, event_hour,
    latency_seconds, is_late)
SELECT r.event_id, r.transaction_id, r.event_type, r.customer_id, r.customer_country, r.customer_tier, r.product_id,
       r.product_category, r.quantity, r.amount, r.currency, r.payment_method, r.payment_status, r.event_time,
       r.ingested_at,
       (r.event_time AT TIME ZONE 'UTC')::date,
       date_bin('1 hour', r.event_time, timestamptz '2000-01-01 00:00:00+00'),   -- = date_trunc('hour', .., 'UTC')
       extract(epoch FROM r.ingested_at - r.event_time),
       r.ingested_at - r.event_time > current_setting('ecom.late_threshold')::interval
FROM run_raw_events r
WHERE r.event_type IN ('PURCHASE', 'REFUND')
  AND r.transaction_id IS NOT NULL
  AND r.amount IS NOT NULL;

INSERT INTO run_customers (customer_id)
SELECT DISTINCT customer_id FROM run_transactions_clean
WHERE customer_id IS NOT NULL
EXCEPT
SELECT customer_id FROM run_customers;

ANALYZE run_customers;
