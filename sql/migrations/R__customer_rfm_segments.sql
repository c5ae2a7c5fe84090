-- RFM segments over marts.customer_rfm, computed when queried: recency is measured against the latest paid purchase
-- in the data (not the wall clock, so the same data always gives the same segments), and each score is the
-- customer's quintile (1-5, 5 = best) among all customers. Ties are broken by customer_id so scores are
-- deterministic.
CREATE OR REPLACE VIEW marts.customer_rfm_segments AS

WITH

customer_rfm AS (
    SELECT
        customer_id,
        last_order_at,
        orders,
        monetary
    FROM marts.customer_rfm
),

reference AS (
    SELECT max(last_order_at) AS as_of
    FROM customer_rfm
),

scored AS (
    SELECT
        customer_rfm.customer_id,
        reference.as_of,
        customer_rfm.orders AS frequency,
        customer_rfm.monetary,
        round(extract(EPOCH FROM reference.as_of - customer_rfm.last_order_at) / 86400, 2) AS recency_days,
        ntile(5) OVER (ORDER BY customer_rfm.last_order_at, customer_rfm.customer_id) AS r_score,
        ntile(5) OVER (ORDER BY customer_rfm.orders, customer_rfm.customer_id) AS f_score,
        ntile(5) OVER (ORDER BY customer_rfm.monetary, customer_rfm.customer_id) AS m_score
    FROM customer_rfm
    CROSS JOIN reference
)

SELECT
    customer_id,
    as_of,
    recency_days,
    frequency,
    monetary,
    r_score,
    f_score,
    m_score,
    CASE
        WHEN r_score >= 4 AND f_score >= 4 AND m_score >= 4 THEN 'champions'
        WHEN r_score >= 3 AND f_score >= 3 THEN 'loyal'
        WHEN r_score >= 4 AND f_score <= 2 THEN 'recent'
        WHEN r_score <= 2 AND f_score >= 3 THEN 'at_risk'
        WHEN r_score = 1 THEN 'lost'
        ELSE 'needs_attention'
    END AS segment
FROM scored;

COMMENT ON VIEW marts.customer_rfm_segments IS
'RFM scores (quintiles among all customers, 5 = best) and segment per customer of marts.customer_rfm.';
COMMENT ON COLUMN marts.customer_rfm_segments.customer_id IS 'Customer id.';
COMMENT ON COLUMN marts.customer_rfm_segments.as_of IS
'The latest paid purchase in the data: recency is measured against it, not the wall clock.';
COMMENT ON COLUMN marts.customer_rfm_segments.recency_days IS 'Days from the customer''s last paid purchase to as_of.';
COMMENT ON COLUMN marts.customer_rfm_segments.frequency IS 'marts.customer_rfm.orders.';
COMMENT ON COLUMN marts.customer_rfm_segments.monetary IS 'marts.customer_rfm.monetary.';
COMMENT ON COLUMN marts.customer_rfm_segments.r_score IS 'Recency quintile, 5 = most recent.';
COMMENT ON COLUMN marts.customer_rfm_segments.f_score IS 'Frequency quintile, 5 = most paid purchases.';
COMMENT ON COLUMN marts.customer_rfm_segments.m_score IS 'Monetary quintile, 5 = most money.';
COMMENT ON COLUMN marts.customer_rfm_segments.segment IS
'champions, loyal, recent, at_risk, lost or needs_attention (first rule that matches, in that order).';
