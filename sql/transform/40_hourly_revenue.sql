-- marts.hourly_revenue: orders, paid orders, revenue and refunds per claimed hour and currency; the rollup source of
-- marts.daily_revenue (a day is the sum of its 24 hourly rows, so a late event never makes a run re-read a whole day
-- of transactions).

DELETE FROM marts.hourly_revenue
USING run_hours
WHERE hourly_revenue.event_hour = run_hours.event_hour;

INSERT INTO marts.hourly_revenue (
    event_hour, currency, orders, paid_orders, revenue, refunds
)

WITH

transactions AS (
    SELECT
        event_hour,
        currency,
        is_order,
        is_paid_order,
        gross_amount,
        refund_amount
    FROM run_clean_transactions
),

hours AS (
    SELECT
        event_hour,
        coalesce(currency, 'unknown') AS currency,
        count(*) FILTER (WHERE is_order) AS orders,
        count(*) FILTER (WHERE is_paid_order) AS paid_orders,
        sum(gross_amount) AS revenue,
        sum(refund_amount) AS refunds
    FROM transactions
    GROUP BY event_hour, coalesce(currency, 'unknown')
)

SELECT
    event_hour,
    currency,
    orders,
    paid_orders,
    revenue,
    refunds
FROM hours;
