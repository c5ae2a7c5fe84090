-- marts.daily_product_margin: revenue, cost of goods and gross margin per UTC day, currency and product for the claimed
-- days, every paid or refunded unit costed at the product version valid at its event time (marts.product_history,
-- built by the catalog job); ranked within the day and currency by net revenue and by gross margin. The file contract
-- (run_days, run_customers, run_day_clean_transactions) is in sql/README.md.

DELETE FROM marts.daily_product_margin
USING run_days
WHERE daily_product_margin.revenue_date = run_days.day;

INSERT INTO marts.daily_product_margin (
    revenue_date, currency, product_id, product_category, paid_units, refunded_units, revenue, refunds, net_revenue,
    cost_of_goods, uncosted_units, gross_margin, margin_pct, revenue_rank, margin_rank
)

WITH

transactions AS (
    SELECT
        event_date,
        event_time,
        currency,
        product_id,
        product_category,
        is_paid_order,
        is_refund,
        quantity,
        gross_amount,
        refund_amount,
        net_amount
    FROM run_day_clean_transactions
    WHERE product_id IS NOT NULL AND (is_paid_order OR is_refund)
),

product_history AS (
    SELECT
        product_id,
        category,
        cost,
        currency,
        valid_from,
        valid_to
    FROM marts.product_history
),

costed AS (
    -- the version valid at the event time; a cost in another currency than the sale's cannot be used
    SELECT
        transactions.*,
        coalesce(product_history.category, transactions.product_category) AS version_category,
        CASE WHEN product_history.currency = transactions.currency THEN product_history.cost END AS unit_cost,
        CASE WHEN transactions.is_paid_order THEN coalesce(transactions.quantity, 0) ELSE 0 END AS paid_units,
        CASE WHEN transactions.is_refund THEN coalesce(transactions.quantity, 0) ELSE 0 END AS refunded_units
    FROM transactions
    LEFT JOIN product_history
        ON
            transactions.product_id = product_history.product_id
            AND transactions.event_time >= product_history.valid_from
            AND (product_history.valid_to IS NULL OR transactions.event_time < product_history.valid_to)
),

products AS (
    SELECT
        event_date AS revenue_date,
        coalesce(currency, 'unknown') AS currency,
        product_id,
        max(version_category) AS product_category,
        sum(paid_units) AS paid_units,
        sum(refunded_units) AS refunded_units,
        sum(gross_amount) AS revenue,
        sum(refund_amount) AS refunds,
        sum(net_amount) AS net_revenue,
        coalesce(sum((paid_units - refunded_units) * unit_cost), 0) AS cost_of_goods,
        sum(CASE WHEN unit_cost IS NULL THEN paid_units + refunded_units ELSE 0 END) AS uncosted_units
    FROM costed
    GROUP BY event_date, coalesce(currency, 'unknown'), product_id
),

margins AS (
    SELECT
        *,
        CASE WHEN uncosted_units = 0 THEN net_revenue - cost_of_goods END AS gross_margin
    FROM products
)

SELECT
    revenue_date,
    currency,
    product_id,
    product_category,
    paid_units,
    refunded_units,
    revenue,
    refunds,
    net_revenue,
    cost_of_goods,
    uncosted_units,
    gross_margin,
    round(gross_margin * 100 / nullif(net_revenue, 0), 2) AS margin_pct,
    rank() OVER (PARTITION BY revenue_date, currency ORDER BY net_revenue DESC) AS revenue_rank,
    CASE
        WHEN gross_margin IS NOT NULL
            THEN rank() OVER (PARTITION BY revenue_date, currency, gross_margin IS NULL ORDER BY gross_margin DESC)
    END AS margin_rank
FROM margins;
