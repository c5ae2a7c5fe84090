-- marts.window_orders_by_category: orders, units and paid revenue in the reporting currency per 5-minute window and
-- product category, for the windows of the claimed hours (a window never straddles an hour, so an hour's windows
-- are recomputed whole).

DELETE FROM marts.window_orders_by_category
USING run_ranges
WHERE
    window_orders_by_category.window_start >= run_ranges.range_start
    AND window_orders_by_category.window_start < run_ranges.range_end;

INSERT INTO marts.window_orders_by_category (
    window_start, product_category, orders, units, reporting_currency, paid_orders, gross_revenue, unconverted_orders
)

WITH

orders AS (
    SELECT
        window_start,
        product_category,
        ordered_units,
        is_paid_order,
        is_converted,
        gross_amount_reporting
    FROM run_clean_transactions
    WHERE is_order
),

windows AS (
    SELECT
        window_start,
        coalesce(product_category, 'unknown') AS product_category,
        count(*) AS orders,
        sum(ordered_units) AS units,
        count(*) FILTER (WHERE is_paid_order) AS paid_orders,
        coalesce(sum(gross_amount_reporting), 0) AS gross_revenue,
        count(*) FILTER (WHERE NOT is_converted) AS unconverted_orders
    FROM orders
    GROUP BY window_start, coalesce(product_category, 'unknown')
)

SELECT
    window_start,
    product_category,
    orders,
    units,
    current_setting('ecom.reporting_currency') AS reporting_currency,
    paid_orders,
    gross_revenue,
    unconverted_orders
FROM windows;
