-- marts.window_payment_methods: orders and paid revenue in the reporting currency per 5-minute window and payment
-- method, with each method's share of the window's orders, for the windows of the claimed hours.

DELETE FROM marts.window_payment_methods
USING run_ranges
WHERE
    window_payment_methods.window_start >= run_ranges.range_start
    AND window_payment_methods.window_start < run_ranges.range_end;

INSERT INTO marts.window_payment_methods (
    window_start, payment_method, orders, share, reporting_currency, paid_orders, gross_revenue, unconverted_orders
)

WITH

orders AS (
    SELECT
        window_start,
        payment_method,
        is_paid_order,
        is_converted,
        gross_amount_reporting
    FROM run_clean_transactions
    WHERE is_order
),

windows AS (
    SELECT
        window_start,
        coalesce(payment_method, 'unknown') AS payment_method,
        count(*) AS orders,
        count(*) FILTER (WHERE is_paid_order) AS paid_orders,
        coalesce(sum(gross_amount_reporting), 0) AS gross_revenue,
        count(*) FILTER (WHERE NOT is_converted) AS unconverted_orders
    FROM orders
    GROUP BY window_start, coalesce(payment_method, 'unknown')
)

SELECT
    window_start,
    payment_method,
    orders,
    marts.ratio(orders, sum(orders) OVER (PARTITION BY window_start)) AS share,
    current_setting('ecom.reporting_currency') AS reporting_currency,
    paid_orders,
    gross_revenue,
    unconverted_orders
FROM windows;
