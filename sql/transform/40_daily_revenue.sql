-- Revenue per hour and currency for the claimed hours, then daily revenue with day-over-day change for their days,
-- rolled up from hourly_revenue (24 rows per day and currency, not the day's transactions). The day after each
-- touched day gets its change refreshed too, since its "previous day" moved.

DELETE FROM hourly_revenue r
USING run_hours h
WHERE r.event_hour = h.event_hour;

INSERT INTO hourly_revenue (event_hour, currency, orders, paid_orders, revenue, refunds)
SELECT c.event_hour, coalesce(c.currency, 'unknown'),
       count(*) FILTER (WHERE c.event_type = 'PURCHASE'),
       count(*) FILTER (WHERE c.event_type = 'PURCHASE' AND c.status = 'PAID'),
       coalesce(sum(c.amount) FILTER (WHERE c.event_type = 'PURCHASE' AND c.status = 'PAID'), 0),
       coalesce(sum(c.amount) FILTER (WHERE c.event_type = 'REFUND'), 0)
FROM run_transactions_clean c
GROUP BY 1, 2;

DELETE FROM daily_revenue d
USING run_days r
WHERE d.revenue_date = r.day;

INSERT INTO daily_revenue (revenue_date, currency, orders, paid_orders, revenue, refunds, net_revenue)
SELECT d.day, r.currency, sum(r.orders), sum(r.paid_orders), sum(r.revenue), sum(r.refunds), sum(r.revenue) - sum(r.refunds)
FROM run_days d
JOIN hourly_revenue r ON r.event_hour >= d.day::timestamp AT TIME ZONE 'UTC'
                     AND r.event_hour < (d.day + 1)::timestamp AT TIME ZONE 'UTC'
GROUP BY 1, 2;

WITH touched AS (
    SELECT day FROM run_days UNION SELECT day + 1 FROM run_days
), previous AS (
    SELECT d.revenue_date, d.currency, p.net_revenue AS prev_net
    FROM daily_revenue d
    JOIN touched t ON d.revenue_date = t.day
    LEFT JOIN daily_revenue p ON p.revenue_date = d.revenue_date - 1 AND p.currency = d.currency
)
UPDATE daily_revenue d
SET prev_net_revenue = previous.prev_net,
    net_change       = d.net_revenue - previous.prev_net,
    net_change_pct   = CASE WHEN previous.prev_net <> 0
                            THEN round((d.net_revenue - previous.prev_net) * 100 / abs(previous.prev_net), 4) END
FROM previous
WHERE d.revenue_date = previous.revenue_date AND d.currency = previous.currency;
