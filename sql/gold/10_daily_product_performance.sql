-- marts.daily_product_performance: orders, units and revenue in the reporting currency per UTC day and product for
-- the claimed days, ranked within the day by net revenue. The file contract (run_days, run_customers,
-- run_day_clean_transactions) is in sql/README.md.

DELETE FROM marts.daily_product_performance
USING run_days
WHERE daily_product_performance.revenue_date = run_days.day;

INSERT INTO marts.daily_product_performance (
    revenue_date, product_id, product_category, reporting_currency, orders, paid_orders, units, gross_revenue,
    refunds, net_revenue, unconverted_transactions, revenue_rank
)

WITH

transactions AS (
    SELECT
        event_date,
        product_id,
        product_category,
        reporting_currency,
        is_order,
        is_paid_order,
        is_converted,
        ordered_units,
        gross_amount_reporting,
        refund_amount_reporting,
        net_amount_reporting
    FROM run_day_clean_transactions
    WHERE product_id IS NOT NULL
),

products AS (
    -- sum() skips the null amounts of unconverted transactions; they are counted in unconverted_transactions
    SELECT
        event_date AS revenue_date,
        product_id,
        max(product_category) AS product_category,
        min(reporting_currency) AS reporting_currency,
        count(*) FILTER (WHERE is_order) AS orders,
        count(*) FILTER (WHERE is_paid_order) AS paid_orders,
        sum(ordered_units) AS units,
        coalesce(sum(gross_amount_reporting), 0) AS gross_revenue,
        coalesce(sum(refund_amount_reporting), 0) AS refunds,
        coalesce(sum(net_amount_reporting), 0) AS net_revenue,
        count(*) FILTER (WHERE NOT is_converted) AS unconverted_transactions
    FROM transactions
    GROUP BY event_date, product_id
)

SELECT
    revenue_date,
    product_id,
    product_category,
    reporting_currency,
    orders,
    paid_orders,
    units,
    gross_revenue,
    refunds,
    net_revenue,
    unconverted_transactions,
    rank() OVER (PARTITION BY revenue_date ORDER BY net_revenue DESC) AS revenue_rank
FROM products;
