-- Gold: product performance per day and currency for the days of the claimed hours, ranked by net revenue.

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
