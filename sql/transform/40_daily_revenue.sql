-- Daily revenue per currency with day-over-day change. A claimed hour reopens its whole UTC day (read back from
-- transactions_clean, at most 24 hours); the following day's change is refreshed too, since its "previous day" moved.

CREATE TEMP TABLE run_days ON COMMIT DROP AS
SELECT DISTINCT (event_hour AT TIME ZONE 'UTC')::date AS day FROM run_hours;

-- consecutive days merged into [start, end) ranges, like run_ranges for hours
CREATE TEMP TABLE run_day_ranges ON COMMIT DROP AS
SELECT min(day)::timestamp AT TIME ZONE 'UTC' AS range_start, (max(day) + 1)::timestamp AT TIME ZONE 'UTC' AS range_end
FROM (SELECT day, day - (row_number() OVER (ORDER BY day))::integer AS island FROM run_days) d
GROUP BY island;

-- temp tables have no statistics until analyzed; without them the planner assumes ~2000 rows and over-plans
ANALYZE run_days;
ANALYZE run_day_ranges;

DELETE FROM daily_revenue d
USING run_days r
WHERE d.revenue_date = r.day;

INSERT INTO daily_revenue (revenue_date, currency, orders, paid_orders, revenue, refunds, net_revenue)
SELECT c.event_date, coalesce(c.currency, 'unknown'),
       count(*) FILTER (WHERE c.event_type = 'PURCHASE'),
       count(*) FILTER (WHERE c.event_type = 'PURCHASE' AND c.status = 'PAID'),
       coalesce(sum(c.amount) FILTER (WHERE c.event_type = 'PURCHASE' AND c.status = 'PAID'), 0),
       coalesce(sum(c.amount) FILTER (WHERE c.event_type = 'REFUND'), 0),
       coalesce(sum(c.amount) FILTER (WHERE c.event_type = 'PURCHASE' AND c.status = 'PAID'), 0)
         - coalesce(sum(c.amount) FILTER (WHERE c.event_type = 'REFUND'), 0)
FROM run_day_ranges g
JOIN transactions_clean c ON c.event_time >= g.range_start AND c.event_time < g.range_end
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
