-- clean.transactions: the purchases and refunds of the claimed hours (events with a transaction id and an amount),
-- with the amount columns every mart sums, in the transaction's currency and converted to the reporting currency at
-- the rate of the UTC event day (raw.fx_rates: units per EUR; EUR is 1). Converted amounts are rounded to cents per
-- transaction; without a rate for the currency (or the reporting currency) on that day they stay null and the row
-- is not converted. The rate is raw.fx_rate's (migration V100), the rule every gold table converts with. Reads
-- clean.events of the same run (10_clean_events.sql).

DELETE FROM run_clean_transactions;

INSERT INTO clean.transactions (
    event_id, transaction_id, event_type, customer_id, customer_country, customer_tier, product_id,
    product_category, quantity, amount, currency, payment_method, status, event_time, processing_time,
    event_date, event_hour, window_start, latency_seconds, is_late,
    is_order, is_paid_order, is_pending_order, is_failed_order, is_refund, ordered_units, gross_amount, refund_amount,
    net_amount,
    reporting_currency, fx_rate, is_converted, gross_amount_reporting, refund_amount_reporting,
    net_amount_reporting
)

WITH

events AS (
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
        payment_status,
        event_time,
        processing_time,
        event_date,
        event_hour,
        window_start,
        latency_seconds,
        is_late,
        is_order,
        is_paid_order,
        is_pending_order,
        is_failed_order,
        is_refund
    FROM run_clean_events
    WHERE
        (is_order OR is_refund)
        AND transaction_id IS NOT NULL
        AND amount IS NOT NULL
),

reporting AS (
    SELECT current_setting('ecom.reporting_currency') AS reporting_currency
),

currency_days AS (
    SELECT DISTINCT
        event_date,
        currency
    FROM events
),

-- the conversion rule lives in raw.fx_rate (migration V100); it is asked once per currency and day, not per row
fx_rates AS (
    SELECT
        currency_days.event_date,
        currency_days.currency,
        raw.fx_rate(currency_days.currency, reporting.reporting_currency, currency_days.event_date) AS fx_rate
    FROM currency_days
    CROSS JOIN reporting
),

amounts AS (
    SELECT
        events.*,
        reporting.reporting_currency,
        CASE WHEN events.is_order THEN coalesce(events.quantity, 0) ELSE 0 END AS ordered_units,
        CASE WHEN events.is_paid_order THEN events.amount ELSE 0 END AS gross_amount,
        CASE WHEN events.is_refund THEN events.amount ELSE 0 END AS refund_amount,
        fx_rates.fx_rate
    FROM events
    CROSS JOIN reporting
    LEFT JOIN fx_rates
        ON
            events.event_date = fx_rates.event_date
            AND events.currency = fx_rates.currency
),

converted AS (
    SELECT
        *,
        gross_amount - refund_amount AS net_amount,
        round(gross_amount * fx_rate, 2) AS gross_amount_reporting,
        round(refund_amount * fx_rate, 2) AS refund_amount_reporting
    FROM amounts
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
    processing_time,
    event_date,
    event_hour,
    window_start,
    latency_seconds,
    is_late,
    is_order,
    is_paid_order,
    is_pending_order,
    is_failed_order,
    is_refund,
    ordered_units,
    gross_amount,
    refund_amount,
    net_amount,
    reporting_currency,
    fx_rate,
    fx_rate IS NOT NULL AS is_converted,
    gross_amount_reporting,
    refund_amount_reporting,
    gross_amount_reporting - refund_amount_reporting AS net_amount_reporting
FROM converted;
