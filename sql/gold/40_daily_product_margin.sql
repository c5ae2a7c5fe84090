-- marts.daily_product_margin: revenue, cost of goods and gross margin per UTC day and product in the reporting
-- currency for the claimed days, every paid or refunded unit costed at the product version valid at its event time
-- (marts.product_history, built by the catalog job); ranked within the day by net revenue and by gross margin.
-- Revenue is the sale's converted amount (clean.transactions); the cost is converted from the version's currency at
-- the rate of the sale's day (raw.fx_rate), rounded to cents per transaction. A sale or a cost without a rate is
-- counted, not summed, and leaves the day's margin null. The file contract (run_days, run_customers,
-- run_day_clean_transactions) is in sql/README.md.

DELETE FROM marts.daily_product_margin
USING run_days
WHERE daily_product_margin.revenue_date = run_days.day;

INSERT INTO marts.daily_product_margin (
    revenue_date, product_id, product_category, reporting_currency, paid_units, refunded_units, revenue, refunds,
    net_revenue, cost_of_goods, unconverted_transactions, uncosted_units, unconverted_cost_units, gross_margin,
    margin_pct, revenue_rank, margin_rank
)

WITH

transactions AS (
    SELECT
        event_date,
        event_time,
        product_id,
        product_category,
        reporting_currency,
        is_paid_order,
        is_refund,
        is_converted,
        quantity,
        gross_amount_reporting,
        refund_amount_reporting,
        net_amount_reporting
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

versions AS (
    -- the version valid at the event time
    SELECT
        transactions.*,
        coalesce(product_history.category, transactions.product_category) AS version_category,
        product_history.cost AS version_cost,
        product_history.currency AS cost_currency,
        CASE WHEN transactions.is_paid_order THEN coalesce(transactions.quantity, 0) ELSE 0 END AS paid_units,
        CASE WHEN transactions.is_refund THEN coalesce(transactions.quantity, 0) ELSE 0 END AS refunded_units
    FROM transactions
    LEFT JOIN product_history
        ON
            transactions.product_id = product_history.product_id
            AND transactions.event_time >= product_history.valid_from
            AND (product_history.valid_to IS NULL OR transactions.event_time < product_history.valid_to)
),

cost_currencies AS (
    SELECT DISTINCT
        event_date,
        cost_currency,
        reporting_currency
    FROM versions
    WHERE version_cost IS NOT NULL
),

cost_rates AS (
    -- one lookup per day and pair of currencies, not per sale
    SELECT
        event_date,
        cost_currency,
        reporting_currency,
        raw.fx_rate(cost_currency, reporting_currency, event_date) AS cost_fx_rate
    FROM cost_currencies
),

costed AS (
    SELECT
        versions.*,
        cost_rates.cost_fx_rate,
        round((versions.paid_units + versions.refunded_units) * versions.version_cost * cost_rates.cost_fx_rate, 2)
            AS cost_reporting
    FROM versions
    LEFT JOIN cost_rates
        ON
            versions.event_date = cost_rates.event_date
            AND versions.cost_currency = cost_rates.cost_currency
            AND versions.reporting_currency = cost_rates.reporting_currency
),

products AS (
    -- sum() skips the null amounts of unconverted sales and costs; they are counted instead
    SELECT
        event_date AS revenue_date,
        product_id,
        max(version_category) AS product_category,
        min(reporting_currency) AS reporting_currency,
        sum(paid_units) AS paid_units,
        sum(refunded_units) AS refunded_units,
        coalesce(sum(gross_amount_reporting), 0) AS revenue,
        coalesce(sum(refund_amount_reporting), 0) AS refunds,
        coalesce(sum(net_amount_reporting), 0) AS net_revenue,
        coalesce(
            sum(CASE WHEN is_refund THEN -cost_reporting ELSE cost_reporting END) FILTER (WHERE is_converted), 0
        ) AS cost_of_goods,
        count(*) FILTER (WHERE NOT is_converted) AS unconverted_transactions,
        coalesce(sum(paid_units + refunded_units) FILTER (WHERE version_cost IS NULL), 0) AS uncosted_units,
        coalesce(
            sum(paid_units + refunded_units) FILTER (WHERE version_cost IS NOT NULL AND cost_fx_rate IS NULL), 0
        ) AS unconverted_cost_units
    FROM costed
    GROUP BY event_date, product_id
),

margins AS (
    SELECT
        *,
        CASE
            WHEN unconverted_transactions = 0 AND uncosted_units = 0 AND unconverted_cost_units = 0
                THEN net_revenue - cost_of_goods
        END AS gross_margin
    FROM products
)

SELECT
    revenue_date,
    product_id,
    product_category,
    reporting_currency,
    paid_units,
    refunded_units,
    revenue,
    refunds,
    net_revenue,
    cost_of_goods,
    unconverted_transactions,
    uncosted_units,
    unconverted_cost_units,
    gross_margin,
    round(gross_margin * 100 / nullif(net_revenue, 0), 2) AS margin_pct,
    rank() OVER (PARTITION BY revenue_date ORDER BY net_revenue DESC) AS revenue_rank,
    CASE
        WHEN gross_margin IS NOT NULL
            THEN rank() OVER (PARTITION BY revenue_date, gross_margin IS NULL ORDER BY gross_margin DESC)
    END AS margin_rank
FROM margins;
