-- marts.window_payment_methods: orders and amount per 5-minute window and payment method, with each method's share
-- of the window's orders, for the windows of the claimed hours.

DELETE FROM marts.window_payment_methods
USING run_ranges
WHERE
    window_payment_methods.window_start >= run_ranges.range_start
    AND window_payment_methods.window_start < run_ranges.range_end;

INSERT INTO marts.window_payment_methods (
    window_start, payment_method, orders, amount, share
)

WITH

orders AS (
    SELECT
        window_start,
        payment_method,
        amount
    FROM run_clean_transactions
    WHERE is_order
),

windows AS (
    SELECT
        window_start,
        coalesce(payment_method, 'unknown') AS payment_method,
        count(*) AS orders,
        sum(amount) AS amount
    FROM orders
    GROUP BY window_start, coalesce(payment_method, 'unknown')
)

SELECT
    window_start,
    payment_method,
    orders,
    amount,
    orders::double precision / sum(orders) OVER (PARTITION BY window_start) AS share
FROM windows;
