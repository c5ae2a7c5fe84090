-- clean.transactions: the purchases and refunds of the claimed hours, one row per event, with UTC date, hour and
-- 5-minute window, latency and lateness, and the order and amount columns every mart sums (written only here).
-- The file contract (run_hours, run_raw_events, run_clean_transactions, ...) is in sql/README.md.

DELETE FROM run_clean_transactions;

INSERT INTO clean.transactions (
    event_id, transaction_id, event_type, customer_id, customer_country, customer_tier, product_id,
    product_category, quantity, amount, currency, payment_method, status, event_time, processing_time,
    event_date, event_hour, window_start, latency_seconds, is_late,
    is_order, is_paid_order, is_refund, ordered_units, gross_amount, refund_amount, net_amount
)

WITH

raw_events AS (
    SELECT
        event_id,
        event_type,
        event_time,
        ingested_at,
        customer_id,
        customer_country,
        customer_tier,
        product_id,
        product_category,
        transaction_id,
        amount,
        quantity,
        currency,
        payment_method,
        payment_status
    FROM run_raw_events
),

transactions AS (
    SELECT
        *,
        event_type = 'PURCHASE' AS is_order,
        event_type = 'PURCHASE' AND coalesce(payment_status = 'PAID', FALSE) AS is_paid_order,
        event_type = 'REFUND' AS is_refund,
        ingested_at - event_time AS latency
    FROM raw_events
    WHERE
        event_type IN ('PURCHASE', 'REFUND')
        AND transaction_id IS NOT NULL
        AND amount IS NOT NULL
),

amounts AS (
    SELECT
        *,
        CASE WHEN is_order THEN coalesce(quantity, 0) ELSE 0 END AS ordered_units,
        CASE WHEN is_paid_order THEN amount ELSE 0 END AS gross_amount,
        CASE WHEN is_refund THEN amount ELSE 0 END AS refund_amount
    FROM transactions
)

SELECT
    event_id,
    transaction_id,
    event_type,
    customer_id,
    customer_country,
    customer_tier,
    product_id,
    product_category,
    quantity,
    amount,
    currency,
    payment_method,
    payment_status AS status,
    event_time,
    ingested_at AS processing_time,
    (event_time AT TIME ZONE 'UTC')::date AS event_date,
    -- date_bin on a fixed UTC origin = date_trunc('hour', event_time, 'UTC'), as plain arithmetic
    date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') AS event_hour,
    date_bin('5 minutes', event_time, timestamptz '2000-01-01 00:00:00+00') AS window_start,
    extract(EPOCH FROM latency) AS latency_seconds,
    latency > current_setting('ecom.late_threshold')::interval AS is_late,
    is_order,
    is_paid_order,
    is_refund,
    ordered_units,
    gross_amount,
    refund_amount,
    gross_amount - refund_amount AS net_amount
FROM amounts;
