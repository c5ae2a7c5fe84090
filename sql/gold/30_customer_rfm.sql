-- marts.customer_rfm: RFM inputs (first and last paid purchase, paid purchases, net money) of every claimed customer
-- with at least one paid purchase, from all of that customer's transactions. Scores and segments: the view
-- marts.customer_rfm_segments.

DELETE FROM marts.customer_rfm
USING run_customers
WHERE customer_rfm.customer_id = run_customers.customer_id;

INSERT INTO marts.customer_rfm (
    customer_id, first_order_at, last_order_at, orders, monetary
)

WITH

transactions AS (
    SELECT
        transactions.customer_id,
        transactions.event_time,
        transactions.is_paid_order,
        transactions.net_amount
    FROM run_customers
    INNER JOIN clean.transactions ON run_customers.customer_id = transactions.customer_id
),

customers AS (
    SELECT
        customer_id,
        min(event_time) FILTER (WHERE is_paid_order) AS first_order_at,
        max(event_time) FILTER (WHERE is_paid_order) AS last_order_at,
        count(*) FILTER (WHERE is_paid_order) AS orders,
        sum(net_amount) AS monetary
    FROM transactions
    GROUP BY customer_id
)

SELECT
    customer_id,
    first_order_at,
    last_order_at,
    orders,
    monetary
FROM customers
WHERE orders > 0;
