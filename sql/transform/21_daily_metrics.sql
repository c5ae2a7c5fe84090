-- marts.daily_metrics: marts.hourly_metrics summed per UTC day for the days of the claimed hours (24 hourly rows a
-- day, never the day's transactions), rates recomputed from the sums.

DELETE FROM marts.daily_metrics
USING run_days
WHERE daily_metrics.event_date = run_days.day;

INSERT INTO marts.daily_metrics (
    event_date, reporting_currency, total_transactions, late_transactions, late_ratio, orders, paid_orders,
    pending_orders, failed_orders, refund_transactions, unconverted_transactions, gross_revenue, refunds,
    net_revenue, sessions, session_events, bounced_sessions, converted_sessions, session_duration_seconds,
    events_per_session, avg_session_duration_seconds, bounce_rate, conversion_rate
)

WITH

hourly_metrics AS (
    SELECT
        run_days.day AS event_date,
        hourly_metrics.total_transactions,
        hourly_metrics.late_transactions,
        hourly_metrics.orders,
        hourly_metrics.paid_orders,
        hourly_metrics.pending_orders,
        hourly_metrics.failed_orders,
        hourly_metrics.refund_transactions,
        hourly_metrics.unconverted_transactions,
        hourly_metrics.gross_revenue,
        hourly_metrics.refunds,
        hourly_metrics.net_revenue,
        hourly_metrics.sessions,
        hourly_metrics.session_events,
        hourly_metrics.bounced_sessions,
        hourly_metrics.converted_sessions,
        hourly_metrics.session_duration_seconds
    FROM run_days
    INNER JOIN marts.hourly_metrics
        ON
            hourly_metrics.event_hour >= run_days.day::timestamp AT TIME ZONE 'UTC'
            AND hourly_metrics.event_hour < (run_days.day + 1)::timestamp AT TIME ZONE 'UTC'
),

days AS (
    SELECT
        event_date,
        sum(total_transactions) AS total_transactions,
        sum(late_transactions) AS late_transactions,
        sum(orders) AS orders,
        sum(paid_orders) AS paid_orders,
        sum(pending_orders) AS pending_orders,
        sum(failed_orders) AS failed_orders,
        sum(refund_transactions) AS refund_transactions,
        sum(unconverted_transactions) AS unconverted_transactions,
        sum(gross_revenue) AS gross_revenue,
        sum(refunds) AS refunds,
        sum(net_revenue) AS net_revenue,
        sum(sessions) AS sessions,
        sum(session_events) AS session_events,
        sum(bounced_sessions) AS bounced_sessions,
        sum(converted_sessions) AS converted_sessions,
        sum(session_duration_seconds) AS session_duration_seconds
    FROM hourly_metrics
    GROUP BY event_date
)

SELECT
    event_date,
    current_setting('ecom.reporting_currency') AS reporting_currency,
    total_transactions,
    late_transactions,
    marts.ratio(late_transactions, total_transactions) AS late_ratio,
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
FROM days;
