-- 5-minute window aggregates (orders by category, payment-method distribution, revenue by country) for the
-- windows inside the claimed hours. Windows never straddle an hour, so an hour's windows are recomputed whole.

CREATE TEMP TABLE run_window_orders ON COMMIT DROP AS
SELECT date_bin('5 minutes', c.event_time, timestamptz '2000-01-01 00:00:00+00') AS window_start, c.event_type,
       c.product_category, c.quantity, c.amount, c.currency, c.payment_method, c.status, c.customer_country
FROM run_transactions_clean c;

ANALYZE run_window_orders;

DELETE FROM window_orders_by_category w
USING run_ranges g
WHERE w.window_start >= g.range_start AND w.window_start < g.range_end;

INSERT INTO window_orders_by_category (window_start, product_category, orders, units, amount)
SELECT window_start, coalesce(product_category, 'unknown'), count(*), coalesce(sum(quantity), 0), sum(amount)
FROM run_window_orders
WHERE event_type = 'PURCHASE'
GROUP BY 1, 2;

DELETE FROM window_payment_methods w
USING run_ranges g
WHERE w.window_start >= g.range_start AND w.window_start < g.range_end;

INSERT INTO window_payment_methods (window_start, payment_method, orders, amount, share)
SELECT window_start, coalesce(payment_method, 'unknown'), count(*), sum(amount),
       count(*)::double precision / sum(count(*)) OVER (PARTITION BY window_start)
FROM run_window_orders
WHERE event_type = 'PURCHASE'
GROUP BY 1, 2;

DELETE FROM window_country_revenue w
USING run_ranges g
WHERE w.window_start >= g.range_start AND w.window_start < g.range_end;

INSERT INTO window_country_revenue (window_start, customer_country, currency, orders, revenue, refunds, net_revenue)
SELECT window_start, coalesce(customer_country, 'unknown'), coalesce(currency, 'unknown'),
       count(*) FILTER (WHERE event_type = 'PURCHASE'),
       coalesce(sum(amount) FILTER (WHERE event_type = 'PURCHASE' AND status = 'PAID'), 0),
       coalesce(sum(amount) FILTER (WHERE event_type = 'REFUND'), 0),
       coalesce(sum(amount) FILTER (WHERE event_type = 'PURCHASE' AND status = 'PAID'), 0)
         - coalesce(sum(amount) FILTER (WHERE event_type = 'REFUND'), 0)
FROM run_window_orders
GROUP BY 1, 2, 3;
