-- Gold: product performance per day and currency for the claimed days, ranked by net revenue.
--
-- Contract for every file in sql/gold (run in name order, all in ONE transaction by GoldRunner, job "gold"):
--   run_days(day)                  temp table: the UTC days to rebuild (claimed from gold_pending_days)
--   run_customers(customer_id)     temp table: the customers to rebuild (claimed from gold_pending_customers)
--   run_day_transactions_clean     temp view: the transactions_clean rows of those days (ranges as constants)
-- Both queues are filled by the transform run (sql/transform/90_queue_gold.sql). A file deletes what it owns for
-- those days/customers and rebuilds it from transactions_clean, so running it twice gives the same rows.

DELETE FROM daily_product_performance p
USING run_days d
WHERE p.revenue_date = d.day;

INSERT INTO daily_product_performance (revenue_date, currency, product_id, product_category, orders, units, revenue,
                                       refunds, net_revenue, revenue_rank)
SELECT c.event_date, coalesce(c.currency, 'unknown'), c.product_id, max(c.product_category),
       count(*) FILTER (WHERE c.event_type = 'PURCHASE'),
       coalesce(sum(c.quantity) FILTER (WHERE c.event_type = 'PURCHASE'), 0),
       coalesce(sum(c.amount) FILTER (WHERE c.event_type = 'PURCHASE' AND c.status = 'PAID'), 0),
       coalesce(sum(c.amount) FILTER (WHERE c.event_type = 'REFUND'), 0),
       coalesce(sum(c.amount) FILTER (WHERE c.event_type = 'PURCHASE' AND c.status = 'PAID'), 0)
         - coalesce(sum(c.amount) FILTER (WHERE c.event_type = 'REFUND'), 0),
       rank() OVER (PARTITION BY c.event_date, coalesce(c.currency, 'unknown')
                    ORDER BY coalesce(sum(c.amount) FILTER (WHERE c.event_type = 'PURCHASE' AND c.status = 'PAID'), 0)
                               - coalesce(sum(c.amount) FILTER (WHERE c.event_type = 'REFUND'), 0) DESC,
                             c.product_id)
FROM run_day_transactions_clean c
WHERE c.product_id IS NOT NULL
GROUP BY c.event_date, coalesce(c.currency, 'unknown'), c.product_id;
