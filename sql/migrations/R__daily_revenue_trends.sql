-- Daily revenue trends in the reporting currency (seed 002), computed when queried from marts.daily_metrics (one row
-- per day, so the comparisons cost nothing to keep current): day-over-day, week-over-week (same weekday) and
-- year-over-year (same calendar date; 29 February compares with 28 February) change of net revenue, the weekend
-- flag and the 7-day moving average. Days without a row have no revenue: they count as 0 in the moving average and
-- make the change against them null.
CREATE OR REPLACE VIEW marts.daily_revenue_trends AS

WITH

daily_metrics AS (
    SELECT
        event_date,
        reporting_currency,
        paid_orders,
        gross_revenue,
        refunds,
        net_revenue
    FROM marts.daily_metrics
),

last_7_days AS (
    -- the day and the 6 before it; days without a row add nothing
    SELECT
        daily_metrics.event_date,
        sum(window_days.net_revenue) AS net_revenue_7d
    FROM daily_metrics
    INNER JOIN daily_metrics AS window_days
        ON window_days.event_date BETWEEN daily_metrics.event_date - 6 AND daily_metrics.event_date
    GROUP BY daily_metrics.event_date
),

compared AS (
    SELECT
        daily_metrics.*,
        extract(ISODOW FROM daily_metrics.event_date) IN (6, 7) AS is_weekend,
        previous_day.net_revenue AS prev_day_net_revenue,
        previous_week.net_revenue AS prev_week_net_revenue,
        previous_year.net_revenue AS prev_year_net_revenue,
        last_7_days.net_revenue_7d / 7 AS net_revenue_7d_avg
    FROM daily_metrics
    INNER JOIN last_7_days ON daily_metrics.event_date = last_7_days.event_date
    LEFT JOIN daily_metrics AS previous_day ON daily_metrics.event_date - 1 = previous_day.event_date
    LEFT JOIN daily_metrics AS previous_week ON daily_metrics.event_date - 7 = previous_week.event_date
    LEFT JOIN daily_metrics AS previous_year
        ON (daily_metrics.event_date - interval '1 year')::date = previous_year.event_date
)

SELECT
    event_date,
    reporting_currency,
    is_weekend,
    paid_orders,
    gross_revenue,
    refunds,
    net_revenue,
    round(net_revenue_7d_avg, 4) AS net_revenue_7d_avg,
    prev_day_net_revenue,
    marts.pct_change(net_revenue, prev_day_net_revenue) AS dod_change_pct,
    prev_week_net_revenue,
    marts.pct_change(net_revenue, prev_week_net_revenue) AS wow_change_pct,
    prev_year_net_revenue,
    marts.pct_change(net_revenue, prev_year_net_revenue) AS yoy_change_pct
FROM compared;

COMMENT ON VIEW marts.daily_revenue_trends IS
'Net revenue per UTC day in the reporting currency: day/week/year-over-year change, weekend flag, 7-day average.';
COMMENT ON COLUMN marts.daily_revenue_trends.event_date IS 'UTC calendar day (by event time).';
COMMENT ON COLUMN marts.daily_revenue_trends.reporting_currency IS 'Currency of every amount of the row.';
COMMENT ON COLUMN marts.daily_revenue_trends.is_weekend IS 'Saturday or Sunday (UTC).';
COMMENT ON COLUMN marts.daily_revenue_trends.paid_orders IS 'PURCHASE events with payment status PAID.';
COMMENT ON COLUMN marts.daily_revenue_trends.gross_revenue IS 'Paid PURCHASE amounts.';
COMMENT ON COLUMN marts.daily_revenue_trends.refunds IS 'REFUND amounts, positive.';
COMMENT ON COLUMN marts.daily_revenue_trends.net_revenue IS 'gross_revenue - refunds.';
COMMENT ON COLUMN marts.daily_revenue_trends.net_revenue_7d_avg IS
'Sum of net_revenue over this day and the 6 before (days without a row count as 0) / 7, 4 decimals.';
COMMENT ON COLUMN marts.daily_revenue_trends.prev_day_net_revenue IS
'net_revenue of the day before; null without a row.';
COMMENT ON COLUMN marts.daily_revenue_trends.dod_change_pct IS
'(net_revenue - prev_day_net_revenue) * 100 / |prev_day_net_revenue|, 4 decimals; null when that is null or 0.';
COMMENT ON COLUMN marts.daily_revenue_trends.prev_week_net_revenue IS 'net_revenue 7 days before; null without a row.';
COMMENT ON COLUMN marts.daily_revenue_trends.wow_change_pct IS
'Change against prev_week_net_revenue in percent, as dod_change_pct.';
COMMENT ON COLUMN marts.daily_revenue_trends.prev_year_net_revenue IS
'net_revenue on the same date a year before; null without a row.';
COMMENT ON COLUMN marts.daily_revenue_trends.yoy_change_pct IS
'Change against prev_year_net_revenue in percent, as dod_change_pct.';
