-- Gold: RFM inputs (first/last paid purchase, paid purchases, money) of every claimed customer,
-- from all of that customer's transactions. Scores and segments: the view customer_rfm_segments.

DELETE FROM customer_rfm f
USING run_customers r
WHERE f.customer_id = r.customer_id;

INSERT INTO customer_rfm (customer_id, first_order_at, last_order_at, orders, monetary)
SELECT c.customer_id,
       min(c.event_time) FILTER (WHERE c.event_type = 'PURCHASE' AND c.status = 'PAID'),
       max(c.event_time) FILTER (WHERE c.event_type = 'PURCHASE' AND c.status = 'PAID'),
       count(*) FILTER (WHERE c.event_type = 'PURCHASE' AND c.status = 'PAID'),
       coalesce(sum(c.amount) FILTER (WHERE c.event_type = 'PURCHASE' AND c.status = 'PAID'), 0)
         - coalesce(sum(c.amount) FILTER (WHERE c.event_type = 'REFUND'), 0)
FROM run_customers r
JOIN transactions_clean c ON c.customer_id = r.customer_id
GROUP BY c.customer_id
HAVING count(*) FILTER (WHERE c.event_type = 'PURCHASE' AND c.status = 'PAID') > 0;
