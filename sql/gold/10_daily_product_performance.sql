-- marts.daily_product_performance: orders, units, revenue, refunds and net revenue per UTC day, currency and
-- product for the claimed days, ranked within the day and currency by net revenue. The file contract (run_days,
-- run_customers, run_day_clean_transactions) is in sql/README.md.

DELETE FROM marts.daily_product_performance
USING run_days
WHERE daily_product_performance.revenue_date = run_days.day;

INSERT INTO marts.daily_product_performance (
    revenue_date, currency, product_id, product_category, orders, units, revenue, refunds, net_revenue,
    revenue_rank
)

WITH

transactions AS (
    SELECT
        event_date,
        currency,
        product_id,
        product_category,
        is_order,
        ordered_units,
        gross_amount,
        refund_amount,
        net_amount
    FROM run_day_clean_transactions
    WHERE product_id IS NOT NULL
),

products AS (
    SELECT
        event_date AS revenue_date,
        coalesce(currency, 'unknown') AS currency,
        product_id,
        max(product_category) AS product_category,
        count(*) FILTER (WHERE is_order) AS orders,
        sum(ordered_units) AS units,
        sum(gross_amount) AS revenue,
        sum(refund_amount) AS refunds,
        sum(net_amount) AS net_revenue
    FROM transactions
    GROUP BY event_date, coalesce(currency, 'unknown'), product_id
)

SELECT
    revenue_date,
    currency,
    product_id,
    product_category,
    orders,
    units,
    revenue,
    refunds,
    net_revenue,
    rank() OVER (PARTITION BY revenue_date, currency ORDER BY net_revenue DESC, product_id ASC) AS revenue_rank
FROM products;
