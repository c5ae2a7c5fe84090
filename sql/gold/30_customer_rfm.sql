-- marts.customer_rfm: RFM inputs (first and last paid purchase, paid purchases, net money in the reporting
-- currency) of every claimed customer with at least one paid purchase, from all of that customer's transactions.
-- Scores and segments: the view marts.customer_rfm_segments.

DELETE FROM marts.customer_rfm
USING run_customers
WHERE customer_rfm.customer_id = run_customers.customer_id;

INSERT INTO marts.customer_rfm (
    customer_id, first_order_at, last_order_at, orders, monetary, reporting_currency, unconverted_transactions
)

WITH

transactions AS (
    SELECT
        transactions.customer_id,
        transactions.event_time,
        transactions.is_paid_order,
        transactions.is_converted,
        transactions.reporting_currency,
        transactions.net_amount_reporting
    FROM run_customers
    INNER JOIN clean.transactions ON run_customers.customer_id = transactions.customer_id
),

customers AS (
    -- sum() skips the null amounts of unconverted transactions; they are counted in unconverted_transactions
    SELECT
        customer_id,
        min(event_time) FILTER (WHERE is_paid_order) AS first_order_at,
        max(event_time) FILTER (WHERE is_paid_order) AS last_order_at,
        count(*) FILTER (WHERE is_paid_order) AS orders,
        coalesce(sum(net_amount_reporting), 0) AS monetary,
        min(reporting_currency) AS reporting_currency,
        count(*) FILTER (WHERE NOT is_converted) AS unconverted_transactions
    FROM transactions
    GROUP BY customer_id
)

SELECT
    customer_id,
    first_order_at,
    last_order_at,
    orders,
    monetary,
    reporting_currency,
    unconverted_transactions
FROM customers
WHERE orders > 0;
