-- marts.daily_revenue: revenue per UTC day and currency with the change against the previous calendar day (same
-- currency), rolled up from marts.hourly_revenue. Rebuilt for the days of the claimed hours and the day after each
-- (its "previous day" moved); the day before each is read for the change only.

DELETE FROM marts.daily_revenue
USING run_days
WHERE daily_revenue.revenue_date IN (run_days.day, run_days.day + 1);

INSERT INTO marts.daily_revenue (
    revenue_date, currency, orders, paid_orders, revenue, refunds, net_revenue, prev_net_revenue, net_change,
    net_change_pct
)

WITH

rebuilt_days AS (
    SELECT day FROM run_days
    UNION
    SELECT day + 1 FROM run_days
),

read_days AS (
    SELECT day FROM rebuilt_days
    UNION
    SELECT day - 1 FROM rebuilt_days
),

hours_of_read_days AS (
    SELECT
        read_days.day AS revenue_date,
        hourly_revenue.currency,
        hourly_revenue.orders,
        hourly_revenue.paid_orders,
        hourly_revenue.revenue,
        hourly_revenue.refunds
    FROM read_days
    INNER JOIN marts.hourly_revenue
        ON
            hourly_revenue.event_hour >= read_days.day::timestamp AT TIME ZONE 'UTC'
            AND hourly_revenue.event_hour < (read_days.day + 1)::timestamp AT TIME ZONE 'UTC'
),

days AS (
    SELECT
        revenue_date,
        currency,
        sum(orders) AS orders,
        sum(paid_orders) AS paid_orders,
        sum(revenue) AS revenue,
        sum(refunds) AS refunds,
        sum(revenue) - sum(refunds) AS net_revenue
    FROM hours_of_read_days
    GROUP BY revenue_date, currency
),

with_previous AS (
    SELECT
        days.*,
        previous.net_revenue AS prev_net_revenue
    FROM days
    INNER JOIN rebuilt_days ON days.revenue_date = rebuilt_days.day
    LEFT JOIN days AS previous
        ON
            days.revenue_date - 1 = previous.revenue_date
            AND days.currency = previous.currency
)

SELECT
    revenue_date,
    currency,
    orders,
    paid_orders,
    revenue,
    refunds,
    net_revenue,
    prev_net_revenue,
    net_revenue - prev_net_revenue AS net_change,
    CASE
        WHEN prev_net_revenue <> 0
            THEN round((net_revenue - prev_net_revenue) * 100 / abs(prev_net_revenue), 4)
    END AS net_change_pct
FROM with_previous;
