-- marts.window_orders_by_category: orders, units and amount per 5-minute window and product category, for the
-- windows of the claimed hours (a window never straddles an hour, so an hour's windows are recomputed whole).

DELETE FROM marts.window_orders_by_category
USING run_ranges
WHERE
    window_orders_by_category.window_start >= run_ranges.range_start
    AND window_orders_by_category.window_start < run_ranges.range_end;

INSERT INTO marts.window_orders_by_category (
    window_start, product_category, orders, units, amount
)

WITH

orders AS (
    SELECT
        window_start,
        product_category,
        ordered_units,
        amount
    FROM run_clean_transactions
    WHERE is_order
),

windows AS (
    SELECT
        window_start,
        coalesce(product_category, 'unknown') AS product_category,
        count(*) AS orders,
        sum(ordered_units) AS units,
        sum(amount) AS amount
    FROM orders
    GROUP BY window_start, coalesce(product_category, 'unknown')
)

SELECT
    window_start,
    product_category,
    orders,
    units,
    amount
FROM windows;
