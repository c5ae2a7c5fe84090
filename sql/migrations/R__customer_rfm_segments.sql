-- RFM segments over customer_rfm, computed when queried: recency is measured against the latest paid purchase in
-- the data (not the wall clock, so the same data always gives the same segments), and each score is the customer's
-- quintile (1-5, 5 = best) among all customers. Ties are broken by customer_id so scores are deterministic.
CREATE OR REPLACE VIEW customer_rfm_segments AS
WITH reference AS (
    SELECT max(last_order_at) AS as_of FROM customer_rfm
), scored AS (
    SELECT f.customer_id, r.as_of,
           round(extract(epoch FROM r.as_of - f.last_order_at) / 86400, 2) AS recency_days,
           f.orders AS frequency,
           f.monetary,
           ntile(5) OVER (ORDER BY f.last_order_at, f.customer_id) AS r_score,
           ntile(5) OVER (ORDER BY f.orders, f.customer_id) AS f_score,
           ntile(5) OVER (ORDER BY f.monetary, f.customer_id) AS m_score
    FROM customer_rfm f
    CROSS JOIN reference r
)
SELECT customer_id, as_of, recency_days, frequency, monetary, r_score, f_score, m_score,
       CASE
           WHEN r_score >= 4 AND f_score >= 4 AND m_score >= 4 THEN 'champions'
           WHEN r_score >= 3 AND f_score >= 3 THEN 'loyal'
           WHEN r_score >= 4 AND f_score <= 2 THEN 'recent'
           WHEN r_score <= 2 AND f_score >= 3 THEN 'at_risk'
           WHEN r_score = 1 THEN 'lost'
           ELSE 'needs_attention'
       END AS segment
FROM scored;
