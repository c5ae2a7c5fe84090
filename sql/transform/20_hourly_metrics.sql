-- marts.hourly_metrics (seed 003; indexed into Elasticsearch afterwards): per claimed hour, transactions, lateness
-- and revenue in the reporting currency (by event time) and the sessions that start in the hour. An hour with
-- neither gets no row (and its Elasticsearch document, if any, is deleted). Definitions: docs/metrics.md.

DELETE FROM marts.hourly_metrics
USING run_hours
WHERE hourly_metrics.event_hour = run_hours.event_hour;

INSERT INTO marts.hourly_metrics (
    event_hour, total_transactions, total_amount, late_transactions, late_ratio, reporting_currency,
    orders, paid_orders, pending_orders, failed_orders, refund_transactions, unconverted_transactions,
    gross_revenue, refunds, net_revenue, sessions, session_events, bounced_sessions, converted_sessions,
    session_duration_seconds, events_per_session, avg_session_duration_seconds, bounce_rate, conversion_rate
)

WITH

transactions AS (
    SELECT
        event_hour,
        is_late,
        is_order,
        is_paid_order,
        is_pending_order,
        is_failed_order,
        is_refund,
        is_converted,
        gross_amount_reporting,
        refund_amount_reporting,
        net_amount_reporting
    FROM run_clean_transactions
),

sessions AS (
    SELECT
        start_hour,
        events,
        duration_seconds,
        is_bounce,
        is_converted
    FROM run_clean_sessions
),

transaction_hours AS (
    -- sum() skips the null amounts of unconverted transactions; they are counted in unconverted_transactions
    SELECT
        event_hour,
        count(*) AS total_transactions,
        count(*) FILTER (WHERE is_late) AS late_transactions,
        count(*) FILTER (WHERE is_order) AS orders,
        count(*) FILTER (WHERE is_paid_order) AS paid_orders,
        count(*) FILTER (WHERE is_pending_order) AS pending_orders,
        count(*) FILTER (WHERE is_failed_order) AS failed_orders,
        count(*) FILTER (WHERE is_refund) AS refund_transactions,
        count(*) FILTER (WHERE NOT is_converted) AS unconverted_transactions,
        coalesce(sum(gross_amount_reporting), 0) AS gross_revenue,
        coalesce(sum(refund_amount_reporting), 0) AS refunds,
        coalesce(sum(net_amount_reporting), 0) AS net_revenue
    FROM transactions
    GROUP BY event_hour
),

session_hours AS (
    SELECT
        start_hour AS event_hour,
        count(*) AS sessions,
        sum(events) AS session_events,
        count(*) FILTER (WHERE is_bounce) AS bounced_sessions,
        count(*) FILTER (WHERE is_converted) AS converted_sessions,
        sum(duration_seconds) AS session_duration_seconds
    FROM sessions
    GROUP BY start_hour
),

hours AS (
    SELECT
        coalesce(transaction_hours.event_hour, session_hours.event_hour) AS event_hour,
        coalesce(transaction_hours.total_transactions, 0) AS total_transactions,
        coalesce(transaction_hours.late_transactions, 0) AS late_transactions,
        coalesce(transaction_hours.orders, 0) AS orders,
        coalesce(transaction_hours.paid_orders, 0) AS paid_orders,
        coalesce(transaction_hours.pending_orders, 0) AS pending_orders,
        coalesce(transaction_hours.failed_orders, 0) AS failed_orders,
        coalesce(transaction_hours.refund_transactions, 0) AS refund_transactions,
        coalesce(transaction_hours.unconverted_transactions, 0) AS unconverted_transactions,
        coalesce(transaction_hours.gross_revenue, 0) AS gross_revenue,
        coalesce(transaction_hours.refunds, 0) AS refunds,
        coalesce(transaction_hours.net_revenue, 0) AS net_revenue,
        coalesce(session_hours.sessions, 0) AS sessions,
        coalesce(session_hours.session_events, 0) AS session_events,
        coalesce(session_hours.bounced_sessions, 0) AS bounced_sessions,
        coalesce(session_hours.converted_sessions, 0) AS converted_sessions,
        coalesce(session_hours.session_duration_seconds, 0) AS session_duration_seconds
    FROM transaction_hours
    FULL JOIN session_hours ON transaction_hours.event_hour = session_hours.event_hour
)

SELECT
    event_hour,
    total_transactions,
    net_revenue AS total_amount,
    late_transactions,
    marts.ratio(late_transactions, total_transactions) AS late_ratio,
    current_setting('ecom.reporting_currency') AS reporting_currency,
    orders,
    paid_orders,
    pending_orders,
    failed_orders,
    refund_transactions,
    unconverted_transactions,
    gross_revenue,
    refunds,
    net_revenue,
    sessions,
    session_events,
    bounced_sessions,
    converted_sessions,
    session_duration_seconds,
    marts.ratio(session_events, sessions) AS events_per_session,
    marts.ratio(session_duration_seconds, sessions) AS avg_session_duration_seconds,
    marts.ratio(bounced_sessions, sessions) AS bounce_rate,
    marts.ratio(converted_sessions, sessions) AS conversion_rate
FROM hours;
