-- Metrics that mean what they say (issue 12): no mart adds amounts of different currencies any more.
--   * every money figure that crosses currencies is in the reporting currency (converted per transaction in clean),
--     next to a count of the transactions left out for want of a rate (unconverted_*); the per-currency breakdowns
--     (hourly_revenue, daily_revenue, window_country_revenue) stay in the original currency
--   * revenue: gross = paid purchases, refunds, net = gross - refunds; pending and failed purchases are counted,
--     never summed into revenue
--   * hourly_metrics keeps seed 003's columns (total_amount is now the net revenue in the reporting currency) and
--     gains revenue and session figures; daily_metrics rolls it up per day; daily_funnel follows sessions through
--     view -> cart -> purchase by source and category
-- The marts are emptied and rebuilt by the next transform and gold runs (migration 019 requested every hour, and a
-- transform run queues the days and customers it touched for gold). Definitions: docs/metrics.md.

-- every rate and share of the marts: a quotient of two counts (or sums), null when there is nothing to divide by
CREATE FUNCTION marts.ratio(numerator numeric, denominator numeric) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT numerator::double precision / nullif(denominator, 0)
$$;
COMMENT ON FUNCTION marts.ratio(numeric, numeric) IS
'numerator / denominator as double precision; null when the denominator is 0 (every rate and share of the marts).';

-- every change against an earlier period: in percent of the earlier value's size, null when it is null or 0
CREATE FUNCTION marts.pct_change(current_value numeric, previous_value numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT round((current_value - previous_value) * 100 / nullif(abs(previous_value), 0), 4)
$$;
COMMENT ON FUNCTION marts.pct_change(numeric, numeric) IS
'(current - previous) * 100 / |previous|, 4 decimals; null when previous is null or 0 (day/week/year-over-year).';

-- hourly_metrics ----------------------------------------------------------------------------------------------------
TRUNCATE marts.hourly_metrics;

ALTER TABLE marts.hourly_metrics
ALTER COLUMN late_ratio DROP NOT NULL,
ADD COLUMN reporting_currency text NOT NULL,
ADD COLUMN orders integer NOT NULL,
ADD COLUMN paid_orders integer NOT NULL,
ADD COLUMN pending_orders integer NOT NULL,
ADD COLUMN failed_orders integer NOT NULL,
ADD COLUMN refund_transactions integer NOT NULL,
ADD COLUMN unconverted_transactions integer NOT NULL,
ADD COLUMN gross_revenue numeric NOT NULL,
ADD COLUMN refunds numeric NOT NULL,
ADD COLUMN net_revenue numeric NOT NULL,
ADD COLUMN sessions integer NOT NULL,
ADD COLUMN session_events integer NOT NULL,
ADD COLUMN bounced_sessions integer NOT NULL,
ADD COLUMN converted_sessions integer NOT NULL,
ADD COLUMN session_duration_seconds numeric NOT NULL,
ADD COLUMN events_per_session double precision,
ADD COLUMN avg_session_duration_seconds double precision,
ADD COLUMN bounce_rate double precision,
ADD COLUMN conversion_rate double precision;

COMMENT ON TABLE marts.hourly_metrics IS
'Per UTC event hour with a transaction or a session start: transactions, lateness, revenue in the reporting '
'currency and sessions (counted in the hour they start). Indexed into Elasticsearch with _id = event_hour.';
COMMENT ON COLUMN marts.hourly_metrics.total_transactions IS
'clean.transactions rows of the hour: purchases of any payment status plus refunds (0: only sessions).';
COMMENT ON COLUMN marts.hourly_metrics.total_amount IS
'Seed 003''s amount, now net_revenue: paid purchases - refunds in reporting_currency (converted rows only).';
COMMENT ON COLUMN marts.hourly_metrics.late_ratio IS
'late_transactions / total_transactions; null when the hour has no transaction.';
COMMENT ON COLUMN marts.hourly_metrics.reporting_currency IS
'Currency of every amount of the row (REPORTING_CURRENCY).';
COMMENT ON COLUMN marts.hourly_metrics.orders IS 'PURCHASE events, any payment status.';
COMMENT ON COLUMN marts.hourly_metrics.paid_orders IS 'PURCHASE events with payment status PAID.';
COMMENT ON COLUMN marts.hourly_metrics.pending_orders IS 'PURCHASE events with payment status PENDING (no revenue).';
COMMENT ON COLUMN marts.hourly_metrics.failed_orders IS 'PURCHASE events with payment status FAILED (no revenue).';
COMMENT ON COLUMN marts.hourly_metrics.refund_transactions IS 'REFUND events.';
COMMENT ON COLUMN marts.hourly_metrics.unconverted_transactions IS
'Transactions whose currency had no FX rate on their day: counted above, left out of every amount.';
COMMENT ON COLUMN marts.hourly_metrics.gross_revenue IS
'Sum of paid PURCHASE amounts, converted to reporting_currency (converted rows only).';
COMMENT ON COLUMN marts.hourly_metrics.refunds IS
'Sum of REFUND amounts, positive, converted to reporting_currency (converted rows only).';
COMMENT ON COLUMN marts.hourly_metrics.net_revenue IS 'gross_revenue - refunds.';
COMMENT ON COLUMN marts.hourly_metrics.sessions IS 'Sessions whose first event falls in the hour.';
COMMENT ON COLUMN marts.hourly_metrics.session_events IS 'Events of those sessions, wherever they fall.';
COMMENT ON COLUMN marts.hourly_metrics.bounced_sessions IS 'Of those sessions, the ones with exactly one event.';
COMMENT ON COLUMN marts.hourly_metrics.converted_sessions IS 'Of those sessions, the ones with a paid PURCHASE.';
COMMENT ON COLUMN marts.hourly_metrics.session_duration_seconds IS
'Sum of their durations (last event - first event), seconds.';
COMMENT ON COLUMN marts.hourly_metrics.events_per_session IS 'session_events / sessions; null without sessions.';
COMMENT ON COLUMN marts.hourly_metrics.avg_session_duration_seconds IS
'session_duration_seconds / sessions; null without sessions.';
COMMENT ON COLUMN marts.hourly_metrics.bounce_rate IS 'bounced_sessions / sessions; null without sessions.';
COMMENT ON COLUMN marts.hourly_metrics.conversion_rate IS 'converted_sessions / sessions; null without sessions.';

-- daily_metrics: the hourly figures per UTC day ---------------------------------------------------------------------
CREATE TABLE marts.daily_metrics (
    event_date date PRIMARY KEY,
    reporting_currency text NOT NULL,
    total_transactions integer NOT NULL,
    late_transactions integer NOT NULL,
    late_ratio double precision,
    orders integer NOT NULL,
    paid_orders integer NOT NULL,
    pending_orders integer NOT NULL,
    failed_orders integer NOT NULL,
    refund_transactions integer NOT NULL,
    unconverted_transactions integer NOT NULL,
    gross_revenue numeric NOT NULL,
    refunds numeric NOT NULL,
    net_revenue numeric NOT NULL,
    sessions integer NOT NULL,
    session_events integer NOT NULL,
    bounced_sessions integer NOT NULL,
    converted_sessions integer NOT NULL,
    session_duration_seconds numeric NOT NULL,
    events_per_session double precision,
    avg_session_duration_seconds double precision,
    bounce_rate double precision,
    conversion_rate double precision
);

COMMENT ON TABLE marts.daily_metrics IS
'marts.hourly_metrics summed per UTC day (ratios recomputed from the sums); trends: view marts.daily_revenue_trends.';
COMMENT ON COLUMN marts.daily_metrics.event_date IS 'UTC calendar day (by event time; sessions by their first event).';
COMMENT ON COLUMN marts.daily_metrics.reporting_currency IS 'Currency of every amount of the row (REPORTING_CURRENCY).';
COMMENT ON COLUMN marts.daily_metrics.total_transactions IS 'Purchases of any payment status plus refunds.';
COMMENT ON COLUMN marts.daily_metrics.late_transactions IS 'Of total_transactions, those that arrived late.';
COMMENT ON COLUMN marts.daily_metrics.late_ratio IS 'late_transactions / total_transactions; null without any.';
COMMENT ON COLUMN marts.daily_metrics.orders IS 'PURCHASE events, any payment status.';
COMMENT ON COLUMN marts.daily_metrics.paid_orders IS 'PURCHASE events with payment status PAID.';
COMMENT ON COLUMN marts.daily_metrics.pending_orders IS 'PURCHASE events with payment status PENDING (no revenue).';
COMMENT ON COLUMN marts.daily_metrics.failed_orders IS 'PURCHASE events with payment status FAILED (no revenue).';
COMMENT ON COLUMN marts.daily_metrics.refund_transactions IS 'REFUND events.';
COMMENT ON COLUMN marts.daily_metrics.unconverted_transactions IS
'Transactions whose currency had no FX rate on the day: counted above, left out of every amount.';
COMMENT ON COLUMN marts.daily_metrics.gross_revenue IS 'Paid PURCHASE amounts in reporting_currency.';
COMMENT ON COLUMN marts.daily_metrics.refunds IS 'REFUND amounts, positive, in reporting_currency.';
COMMENT ON COLUMN marts.daily_metrics.net_revenue IS 'gross_revenue - refunds.';
COMMENT ON COLUMN marts.daily_metrics.sessions IS 'Sessions whose first event falls on the day.';
COMMENT ON COLUMN marts.daily_metrics.session_events IS 'Events of those sessions, wherever they fall.';
COMMENT ON COLUMN marts.daily_metrics.bounced_sessions IS 'Of those sessions, the ones with exactly one event.';
COMMENT ON COLUMN marts.daily_metrics.converted_sessions IS 'Of those sessions, the ones with a paid PURCHASE.';
COMMENT ON COLUMN marts.daily_metrics.session_duration_seconds IS 'Sum of their durations, seconds.';
COMMENT ON COLUMN marts.daily_metrics.events_per_session IS 'session_events / sessions; null without sessions.';
COMMENT ON COLUMN marts.daily_metrics.avg_session_duration_seconds IS
'session_duration_seconds / sessions; null without sessions.';
COMMENT ON COLUMN marts.daily_metrics.bounce_rate IS 'bounced_sessions / sessions; null without sessions.';
COMMENT ON COLUMN marts.daily_metrics.conversion_rate IS 'converted_sessions / sessions; null without sessions.';

-- daily_funnel ------------------------------------------------------------------------------------------------------
CREATE TABLE marts.daily_funnel (
    funnel_date date NOT NULL,
    source text NOT NULL,
    product_category text NOT NULL,
    page_views integer NOT NULL,
    add_to_carts integer NOT NULL,
    paid_orders integer NOT NULL,
    viewing_sessions integer NOT NULL,
    carting_sessions integer NOT NULL,
    buying_sessions integer NOT NULL,
    abandoned_cart_sessions integer NOT NULL,
    view_to_cart_rate double precision,
    cart_to_purchase_rate double precision,
    cart_abandonment_rate double precision,
    PRIMARY KEY (funnel_date, source, product_category)
);

COMMENT ON TABLE marts.daily_funnel IS
'Sessions through PAGE_VIEW -> ADD_TO_CART -> paid PURCHASE per UTC day the session started, session source and '
'product category of the event.';
COMMENT ON COLUMN marts.daily_funnel.funnel_date IS 'UTC day of the session''s first event.';
COMMENT ON COLUMN marts.daily_funnel.source IS
'Source (channel) of the session''s first event; ''unknown'' when absent.';
COMMENT ON COLUMN marts.daily_funnel.product_category IS
'Product category of the event; ''unknown'' for events without one (e.g. a page view that shows no product).';
COMMENT ON COLUMN marts.daily_funnel.page_views IS 'PAGE_VIEW events of those sessions in the category.';
COMMENT ON COLUMN marts.daily_funnel.add_to_carts IS 'ADD_TO_CART events of those sessions in the category.';
COMMENT ON COLUMN marts.daily_funnel.paid_orders IS 'Paid PURCHASE events of those sessions in the category.';
COMMENT ON COLUMN marts.daily_funnel.viewing_sessions IS 'Sessions with a PAGE_VIEW in the category.';
COMMENT ON COLUMN marts.daily_funnel.carting_sessions IS 'Sessions with an ADD_TO_CART in the category.';
COMMENT ON COLUMN marts.daily_funnel.buying_sessions IS 'Sessions with a paid PURCHASE in the category.';
COMMENT ON COLUMN marts.daily_funnel.abandoned_cart_sessions IS
'Sessions with an ADD_TO_CART but no paid PURCHASE in the category.';
COMMENT ON COLUMN marts.daily_funnel.view_to_cart_rate IS 'carting_sessions / viewing_sessions; null without views.';
COMMENT ON COLUMN marts.daily_funnel.cart_to_purchase_rate IS
'buying_sessions / carting_sessions; null without carts.';
COMMENT ON COLUMN marts.daily_funnel.cart_abandonment_rate IS
'abandoned_cart_sessions / carting_sessions; null without carts.';

-- 5-minute windows: amounts of any status across currencies become paid revenue in the reporting currency ----------
TRUNCATE marts.window_orders_by_category, marts.window_payment_methods;

ALTER TABLE marts.window_orders_by_category
DROP COLUMN amount,
ADD COLUMN reporting_currency text NOT NULL,
ADD COLUMN paid_orders integer NOT NULL,
ADD COLUMN gross_revenue numeric NOT NULL,
ADD COLUMN unconverted_orders integer NOT NULL;

COMMENT ON COLUMN marts.window_orders_by_category.reporting_currency IS 'Currency of gross_revenue.';
COMMENT ON COLUMN marts.window_orders_by_category.paid_orders IS 'Of orders, those with payment status PAID.';
COMMENT ON COLUMN marts.window_orders_by_category.gross_revenue IS
'Sum of paid order amounts in reporting_currency (converted orders only).';
COMMENT ON COLUMN marts.window_orders_by_category.unconverted_orders IS
'Orders whose currency had no FX rate on their day (left out of gross_revenue).';

ALTER TABLE marts.window_payment_methods
DROP COLUMN amount,
ADD COLUMN reporting_currency text NOT NULL,
ADD COLUMN paid_orders integer NOT NULL,
ADD COLUMN gross_revenue numeric NOT NULL,
ADD COLUMN unconverted_orders integer NOT NULL;

COMMENT ON COLUMN marts.window_payment_methods.reporting_currency IS 'Currency of gross_revenue.';
COMMENT ON COLUMN marts.window_payment_methods.paid_orders IS 'Of orders, those with payment status PAID.';
COMMENT ON COLUMN marts.window_payment_methods.gross_revenue IS
'Sum of paid order amounts in reporting_currency (converted orders only).';
COMMENT ON COLUMN marts.window_payment_methods.unconverted_orders IS
'Orders whose currency had no FX rate on their day (left out of gross_revenue).';

-- gold: product performance per day in the reporting currency, RFM money in the reporting currency ----------------
DROP TABLE marts.daily_product_performance;

CREATE TABLE marts.daily_product_performance (
    revenue_date date NOT NULL,
    product_id text NOT NULL,
    product_category text,
    reporting_currency text NOT NULL,
    orders integer NOT NULL,
    paid_orders integer NOT NULL,
    units bigint NOT NULL,
    gross_revenue numeric NOT NULL,
    refunds numeric NOT NULL,
    net_revenue numeric NOT NULL,
    unconverted_transactions integer NOT NULL,
    revenue_rank integer NOT NULL,
    PRIMARY KEY (revenue_date, product_id)
);

COMMENT ON TABLE marts.daily_product_performance IS
'Orders and revenue per UTC day and product in the reporting currency, ranked within the day by net revenue.';
COMMENT ON COLUMN marts.daily_product_performance.revenue_date IS 'UTC calendar day (by event time).';
COMMENT ON COLUMN marts.daily_product_performance.product_id IS 'Product id.';
COMMENT ON COLUMN marts.daily_product_performance.product_category IS
'The product''s category on that day (the greatest, should events disagree).';
COMMENT ON COLUMN marts.daily_product_performance.reporting_currency IS 'Currency of the amounts.';
COMMENT ON COLUMN marts.daily_product_performance.orders IS 'PURCHASE events, any payment status.';
COMMENT ON COLUMN marts.daily_product_performance.paid_orders IS 'PURCHASE events with payment status PAID.';
COMMENT ON COLUMN marts.daily_product_performance.units IS 'Sum of quantity of the orders (any payment status).';
COMMENT ON COLUMN marts.daily_product_performance.gross_revenue IS 'Paid PURCHASE amounts in reporting_currency.';
COMMENT ON COLUMN marts.daily_product_performance.refunds IS 'REFUND amounts, positive, in reporting_currency.';
COMMENT ON COLUMN marts.daily_product_performance.net_revenue IS 'gross_revenue - refunds.';
COMMENT ON COLUMN marts.daily_product_performance.unconverted_transactions IS
'Transactions whose currency had no FX rate on the day: counted in orders, left out of the amounts.';
COMMENT ON COLUMN marts.daily_product_performance.revenue_rank IS
'1 = highest net_revenue of the day (ties share a rank).';

TRUNCATE marts.customer_rfm;

ALTER TABLE marts.customer_rfm
ADD COLUMN reporting_currency text NOT NULL,
ADD COLUMN unconverted_transactions integer NOT NULL;

COMMENT ON COLUMN marts.customer_rfm.monetary IS
'Paid purchases - refunds of the customer in reporting_currency (converted transactions only).';
COMMENT ON COLUMN marts.customer_rfm.reporting_currency IS 'Currency of monetary.';
COMMENT ON COLUMN marts.customer_rfm.unconverted_transactions IS
'The customer''s transactions whose currency had no FX rate on their day (left out of monetary).';
