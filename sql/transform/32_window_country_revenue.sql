-- marts.window_country_revenue: orders, revenue, refunds and net revenue per 5-minute window, customer country and
-- currency, for the windows of the claimed hours.

DELETE FROM marts.window_country_revenue
USING run_ranges
WHERE
    window_country_revenue.window_start >= run_ranges.range_start
    AND window_country_revenue.window_start < run_ranges.range_end;

INSERT INTO marts.window_country_revenue (
    window_start, customer_country, currency, orders, revenue, refunds, net_revenue
)

WITH

transactions AS (
    SELECT
        window_start,
        customer_country,
        currency,
        is_order,
        gross_amount,
        refund_amount,
        net_amount
    FROM run_clean_transactions
),

windows AS (
    SELECT
        window_start,
        coalesce(customer_country, 'unknown') AS customer_country,
        coalesce(currency, 'unknown') AS currency,
        count(*) FILTER (WHERE is_order) AS orders,
        sum(gross_amount) AS revenue,
        sum(refund_amount) AS refunds,
        sum(net_amount) AS net_revenue
    FROM transactions
    GROUP BY window_start, coalesce(customer_country, 'unknown'), coalesce(currency, 'unknown')
)

SELECT
    window_start,
    customer_country,
    currency,
    orders,
    revenue,
    refunds,
    net_revenue
FROM windows;
