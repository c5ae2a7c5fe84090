-- clean.events: every raw event of the claimed hours, typed, with UTC date, hour and 5-minute window, latency and
-- lateness, and the event-type flags every later model uses (written only here). The file contract (run_hours,
-- run_raw_events, run_clean_events, ...) is in sql/README.md.

DELETE FROM run_clean_events;

INSERT INTO clean.events (
    event_id, event_type, event_time, processing_time, event_date, event_hour, window_start, latency_seconds, is_late,
    source, session_id, customer_id, customer_country, customer_tier, product_id, product_category, transaction_id,
    amount, quantity, currency, payment_method, payment_status,
    is_page_view, is_add_to_cart, is_order, is_paid_order, is_pending_order, is_failed_order, is_refund
)

WITH

raw_events AS (
    SELECT
        event_id,
        event_type,
        event_time,
        ingested_at,
        source,
        session_id,
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

typed AS (
    SELECT
        *,
        ingested_at - event_time AS latency,
        event_type = 'PURCHASE' AS is_order,
        coalesce(payment_status, '') AS status
    FROM raw_events
)

SELECT
    event_id,
    event_type,
    event_time,
    ingested_at AS processing_time,
    (event_time AT TIME ZONE 'UTC')::date AS event_date,
    -- date_bin on a fixed UTC origin = date_trunc('hour', event_time, 'UTC'), as plain arithmetic
    date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') AS event_hour,
    date_bin('5 minutes', event_time, timestamptz '2000-01-01 00:00:00+00') AS window_start,
    extract(EPOCH FROM latency) AS latency_seconds,
    latency > current_setting('ecom.late_threshold')::interval AS is_late,
    source,
    session_id,
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
    payment_status,
    event_type = 'PAGE_VIEW' AS is_page_view,
    event_type = 'ADD_TO_CART' AS is_add_to_cart,
    is_order,
    is_order AND status = 'PAID' AS is_paid_order,
    is_order AND status = 'PENDING' AS is_pending_order,
    is_order AND status = 'FAILED' AS is_failed_order,
    event_type = 'REFUND' AS is_refund
FROM typed;
