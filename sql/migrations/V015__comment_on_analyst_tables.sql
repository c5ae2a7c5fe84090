-- What every table and column an analyst may query means, readable in psql (\d+), Metabase and any catalog.
-- Times are UTC; "late" means processing time (raw.events.ingested_at) - event_time > the late threshold
-- (pipeline.transform.late-threshold, default 2 minutes). The glossary is docs/metrics.md.

-- schemas -----------------------------------------------------------------------------------------------------------
COMMENT ON SCHEMA raw IS
'Events exactly as they arrived: every valid event once (key event_id), with its Kafka origin.';
COMMENT ON SCHEMA pipeline IS
'The pipeline''s bookkeeping: dead letters, ingest batches, job runs and work queues. Not for analysis.';
COMMENT ON SCHEMA clean IS 'Typed per-event rows derived from raw, with the columns every mart sums.';
COMMENT ON SCHEMA marts IS 'Aggregates for analysts, Elasticsearch and Kibana, rebuilt incrementally from clean.';

-- raw.events --------------------------------------------------------------------------------------------------------
COMMENT ON TABLE raw.events IS
'Every contract-valid event exactly once (a replay or redelivery never adds a row), as sent, plus its Kafka origin '
'and audit columns.';
COMMENT ON COLUMN raw.events.event_id IS 'Unique id of the event, as sent by the producer.';
COMMENT ON COLUMN raw.events.event_type IS 'PAGE_VIEW, ADD_TO_CART, PURCHASE or REFUND.';
COMMENT ON COLUMN raw.events.event_time IS 'When the event happened, as sent by the producer.';
COMMENT ON COLUMN raw.events.source IS 'Channel the event came from (e.g. web, mobile), as sent.';
COMMENT ON COLUMN raw.events.session_id IS 'Browsing session the event belongs to, as sent.';
COMMENT ON COLUMN raw.events.customer_id IS 'Customer id, as sent.';
COMMENT ON COLUMN raw.events.customer_email IS 'Customer e-mail address, as sent (personal data).';
COMMENT ON COLUMN raw.events.customer_country IS 'Customer country, ISO 3166-1 alpha-2, as sent with this event.';
COMMENT ON COLUMN raw.events.customer_tier IS 'Customer loyalty tier as sent with this event (e.g. BRONZE, GOLD).';
COMMENT ON COLUMN raw.events.product_id IS 'Product id; null for PAGE_VIEW events without a product.';
COMMENT ON COLUMN raw.events.product_name IS 'Product name, as sent.';
COMMENT ON COLUMN raw.events.product_category IS 'Product category, as sent with this event.';
COMMENT ON COLUMN raw.events.product_price IS
'Unit price, as sent (precision is the producer''s), in product_currency.';
COMMENT ON COLUMN raw.events.product_currency IS 'Currency of product_price, ISO 4217.';
COMMENT ON COLUMN raw.events.transaction_id IS 'Transaction id of a PURCHASE or REFUND, as sent.';
COMMENT ON COLUMN raw.events.amount IS
'Transaction amount in currency, always positive (also for refunds), as sent; null without a transaction.';
COMMENT ON COLUMN raw.events.quantity IS 'Units in the transaction, as sent.';
COMMENT ON COLUMN raw.events.currency IS 'Currency of amount, ISO 4217.';
COMMENT ON COLUMN raw.events.payment_method IS 'CARD, PAYPAL, BANK_TRANSFER, WALLET or COD.';
COMMENT ON COLUMN raw.events.payment_status IS 'PAID, PENDING, FAILED or REFUNDED.';
COMMENT ON COLUMN raw.events.payload IS 'The whole event as received (JSON).';
COMMENT ON COLUMN raw.events.kafka_topic IS 'Kafka topic the event was consumed from.';
COMMENT ON COLUMN raw.events.kafka_partition IS 'Kafka partition the event was consumed from.';
COMMENT ON COLUMN raw.events.kafka_offset IS 'Kafka offset of the record.';
COMMENT ON COLUMN raw.events.ingested_at IS
'Processing time: when the pipeline stored the event (start of the storing transaction). Lateness is measured '
'against it.';
COMMENT ON COLUMN raw.events.run_id IS 'Id of the runtime instance run that stored the event.';

-- clean.transactions ------------------------------------------------------------------------------------------------
COMMENT ON TABLE clean.transactions IS
'One row per PURCHASE or REFUND event of raw.events that has a transaction id and an amount, with UTC buckets, '
'latency, lateness and the order and amount columns every mart sums.';
COMMENT ON COLUMN clean.transactions.event_id IS 'raw.events.event_id.';
COMMENT ON COLUMN clean.transactions.transaction_id IS 'raw.events.transaction_id.';
COMMENT ON COLUMN clean.transactions.event_type IS 'PURCHASE or REFUND.';
COMMENT ON COLUMN clean.transactions.customer_id IS 'raw.events.customer_id.';
COMMENT ON COLUMN clean.transactions.customer_country IS 'raw.events.customer_country.';
COMMENT ON COLUMN clean.transactions.customer_tier IS 'raw.events.customer_tier.';
COMMENT ON COLUMN clean.transactions.product_id IS 'raw.events.product_id.';
COMMENT ON COLUMN clean.transactions.product_category IS 'raw.events.product_category.';
COMMENT ON COLUMN clean.transactions.quantity IS 'raw.events.quantity.';
COMMENT ON COLUMN clean.transactions.amount IS 'raw.events.amount: positive, in currency, whatever the status.';
COMMENT ON COLUMN clean.transactions.currency IS 'raw.events.currency (ISO 4217).';
COMMENT ON COLUMN clean.transactions.payment_method IS 'raw.events.payment_method.';
COMMENT ON COLUMN clean.transactions.status IS 'raw.events.payment_status: PAID, PENDING, FAILED or REFUNDED.';
COMMENT ON COLUMN clean.transactions.event_time IS 'raw.events.event_time.';
COMMENT ON COLUMN clean.transactions.processing_time IS 'raw.events.ingested_at.';
COMMENT ON COLUMN clean.transactions.event_date IS 'UTC calendar day of event_time.';
COMMENT ON COLUMN clean.transactions.event_hour IS 'Start of the UTC hour of event_time.';
COMMENT ON COLUMN clean.transactions.window_start IS 'Start of the 5-minute UTC window of event_time.';
COMMENT ON COLUMN clean.transactions.latency_seconds IS 'processing_time - event_time, in seconds.';
COMMENT ON COLUMN clean.transactions.is_late IS 'latency above the late threshold (default 2 minutes).';
COMMENT ON COLUMN clean.transactions.is_order IS 'A PURCHASE, whatever its payment status.';
COMMENT ON COLUMN clean.transactions.is_paid_order IS 'A PURCHASE with payment status PAID.';
COMMENT ON COLUMN clean.transactions.is_refund IS 'A REFUND.';
COMMENT ON COLUMN clean.transactions.ordered_units IS 'quantity of a PURCHASE (any status), else 0.';
COMMENT ON COLUMN clean.transactions.gross_amount IS 'amount of a paid PURCHASE, else 0; in currency.';
COMMENT ON COLUMN clean.transactions.refund_amount IS 'amount of a REFUND, else 0; positive, in currency.';
COMMENT ON COLUMN clean.transactions.net_amount IS 'gross_amount - refund_amount, in currency.';

-- marts.hourly_metrics ----------------------------------------------------------------------------------------------
COMMENT ON TABLE marts.hourly_metrics IS
'Per UTC event hour with at least one transaction (seed 003): transaction count, amount and late share. Indexed '
'into Elasticsearch with _id = event_hour.';
COMMENT ON COLUMN marts.hourly_metrics.event_hour IS 'Start of the UTC hour (by event time).';
COMMENT ON COLUMN marts.hourly_metrics.total_transactions IS
'clean.transactions rows of the hour: purchases of any payment status plus refunds.';
COMMENT ON COLUMN marts.hourly_metrics.total_amount IS
'Sum of amount over those rows, refunds added as positive amounts, summed across currencies (no conversion).';
COMMENT ON COLUMN marts.hourly_metrics.late_transactions IS 'Of total_transactions, those that arrived late.';
COMMENT ON COLUMN marts.hourly_metrics.late_ratio IS 'late_transactions / total_transactions.';

-- 5-minute windows --------------------------------------------------------------------------------------------------
COMMENT ON TABLE marts.window_orders_by_category IS
'Orders (PURCHASE events, any payment status) per 5-minute UTC window and product category.';
COMMENT ON COLUMN marts.window_orders_by_category.window_start IS 'Start of the 5-minute UTC window (event time).';
COMMENT ON COLUMN marts.window_orders_by_category.product_category IS 'Product category; ''unknown'' when absent.';
COMMENT ON COLUMN marts.window_orders_by_category.orders IS 'PURCHASE events, any payment status.';
COMMENT ON COLUMN marts.window_orders_by_category.units IS 'Sum of quantity of those orders.';
COMMENT ON COLUMN marts.window_orders_by_category.amount IS
'Sum of amount of those orders, any payment status, summed across currencies (no conversion).';

COMMENT ON TABLE marts.window_payment_methods IS
'Orders (PURCHASE events, any payment status) per 5-minute UTC window and payment method.';
COMMENT ON COLUMN marts.window_payment_methods.window_start IS 'Start of the 5-minute UTC window (event time).';
COMMENT ON COLUMN marts.window_payment_methods.payment_method IS 'Payment method; ''unknown'' when absent.';
COMMENT ON COLUMN marts.window_payment_methods.orders IS 'PURCHASE events, any payment status.';
COMMENT ON COLUMN marts.window_payment_methods.amount IS
'Sum of amount of those orders, any payment status, summed across currencies (no conversion).';
COMMENT ON COLUMN marts.window_payment_methods.share IS 'orders / all orders of the window (0-1).';

COMMENT ON TABLE marts.window_country_revenue IS
'Orders and revenue per 5-minute UTC window, customer country and transaction currency.';
COMMENT ON COLUMN marts.window_country_revenue.window_start IS 'Start of the 5-minute UTC window (event time).';
COMMENT ON COLUMN marts.window_country_revenue.customer_country IS 'Customer country; ''unknown'' when absent.';
COMMENT ON COLUMN marts.window_country_revenue.currency IS 'Transaction currency (ISO 4217); ''unknown'' when absent.';
COMMENT ON COLUMN marts.window_country_revenue.orders IS 'PURCHASE events, any payment status.';
COMMENT ON COLUMN marts.window_country_revenue.revenue IS 'Gross: sum of amount of paid PURCHASE events, in currency.';
COMMENT ON COLUMN marts.window_country_revenue.refunds IS 'Sum of amount of REFUND events, positive, in currency.';
COMMENT ON COLUMN marts.window_country_revenue.net_revenue IS 'revenue - refunds, in currency.';

-- revenue -----------------------------------------------------------------------------------------------------------
COMMENT ON TABLE marts.hourly_revenue IS
'Orders and revenue per UTC event hour and transaction currency; the source of marts.daily_revenue.';
COMMENT ON COLUMN marts.hourly_revenue.event_hour IS 'Start of the UTC hour (by event time).';
COMMENT ON COLUMN marts.hourly_revenue.currency IS 'Transaction currency (ISO 4217); ''unknown'' when absent.';
COMMENT ON COLUMN marts.hourly_revenue.orders IS 'PURCHASE events, any payment status.';
COMMENT ON COLUMN marts.hourly_revenue.paid_orders IS 'PURCHASE events with payment status PAID.';
COMMENT ON COLUMN marts.hourly_revenue.revenue IS 'Gross: sum of amount of paid PURCHASE events, in currency.';
COMMENT ON COLUMN marts.hourly_revenue.refunds IS 'Sum of amount of REFUND events, positive, in currency.';

COMMENT ON TABLE marts.daily_revenue IS
'Orders and revenue per UTC day and transaction currency, with the change against the previous day.';
COMMENT ON COLUMN marts.daily_revenue.revenue_date IS 'UTC calendar day (by event time).';
COMMENT ON COLUMN marts.daily_revenue.currency IS 'Transaction currency (ISO 4217); ''unknown'' when absent.';
COMMENT ON COLUMN marts.daily_revenue.orders IS 'PURCHASE events, any payment status.';
COMMENT ON COLUMN marts.daily_revenue.paid_orders IS 'PURCHASE events with payment status PAID.';
COMMENT ON COLUMN marts.daily_revenue.revenue IS 'Gross: sum of amount of paid PURCHASE events, in currency.';
COMMENT ON COLUMN marts.daily_revenue.refunds IS 'Sum of amount of REFUND events, positive, in currency.';
COMMENT ON COLUMN marts.daily_revenue.net_revenue IS 'revenue - refunds, in currency.';
COMMENT ON COLUMN marts.daily_revenue.prev_net_revenue IS
'net_revenue of the previous calendar day in the same currency; null when that day has no row.';
COMMENT ON COLUMN marts.daily_revenue.net_change IS 'net_revenue - prev_net_revenue.';
COMMENT ON COLUMN marts.daily_revenue.net_change_pct IS
'net_change * 100 / |prev_net_revenue|, 4 decimals; null when prev_net_revenue is null or 0.';

-- gold --------------------------------------------------------------------------------------------------------------
COMMENT ON TABLE marts.daily_product_performance IS
'Orders and revenue per UTC day, transaction currency and product, ranked within the day and currency.';
COMMENT ON COLUMN marts.daily_product_performance.revenue_date IS 'UTC calendar day (by event time).';
COMMENT ON COLUMN marts.daily_product_performance.currency IS
'Transaction currency (ISO 4217); ''unknown'' when absent.';
COMMENT ON COLUMN marts.daily_product_performance.product_id IS 'Product id.';
COMMENT ON COLUMN marts.daily_product_performance.product_category IS
'The product''s category on that day (the greatest, should events disagree).';
COMMENT ON COLUMN marts.daily_product_performance.orders IS 'PURCHASE events, any payment status.';
COMMENT ON COLUMN marts.daily_product_performance.units IS 'Sum of quantity of those orders.';
COMMENT ON COLUMN marts.daily_product_performance.revenue IS
'Gross: sum of amount of paid PURCHASE events, in currency.';
COMMENT ON COLUMN marts.daily_product_performance.refunds IS
'Sum of amount of REFUND events, positive, in currency.';
COMMENT ON COLUMN marts.daily_product_performance.net_revenue IS 'revenue - refunds, in currency.';
COMMENT ON COLUMN marts.daily_product_performance.revenue_rank IS
'1 = highest net_revenue of the day in this currency (ties: same rank; ordered by product_id after that).';

COMMENT ON TABLE marts.customer_tier_history IS
'SCD Type 2: each customer''s loyalty tier over time as seen on their transactions; consecutive transactions with '
'one tier form one version.';
COMMENT ON COLUMN marts.customer_tier_history.customer_id IS 'Customer id.';
COMMENT ON COLUMN marts.customer_tier_history.tier IS 'Loyalty tier of this version.';
COMMENT ON COLUMN marts.customer_tier_history.valid_from IS 'Event time of the first transaction showing this tier.';
COMMENT ON COLUMN marts.customer_tier_history.valid_to IS
'valid_from of the next version (exclusive); null for the current version.';
COMMENT ON COLUMN marts.customer_tier_history.is_current IS 'True for the latest version of the customer.';

COMMENT ON TABLE marts.customer_rfm IS
'RFM inputs per customer with at least one paid purchase; scores and segments: view marts.customer_rfm_segments.';
COMMENT ON COLUMN marts.customer_rfm.customer_id IS 'Customer id.';
COMMENT ON COLUMN marts.customer_rfm.first_order_at IS 'Event time of the first paid PURCHASE.';
COMMENT ON COLUMN marts.customer_rfm.last_order_at IS 'Event time of the last paid PURCHASE (recency).';
COMMENT ON COLUMN marts.customer_rfm.orders IS 'Paid PURCHASE events (frequency).';
COMMENT ON COLUMN marts.customer_rfm.monetary IS
'Paid purchases - refunds of the customer, summed across currencies (no conversion).';

-- pipeline: one line each, for whoever looks --------------------------------------------------------------------------
COMMENT ON TABLE pipeline.dead_letters IS
'Records that could not become a raw.events row, with raw bytes, reasons and Kafka origin; redelivered later.';
COMMENT ON TABLE pipeline.dead_letter_attempts IS 'Every redelivery attempt of a dead letter and its outcome.';
COMMENT ON TABLE pipeline.ingest_batches IS
'One row per ingested Kafka batch: received = inserted + duplicates + dead_lettered.';
COMMENT ON TABLE pipeline.job_runs IS
'One row per run of a recorded job (transform, gold, index), whatever its outcome.';
COMMENT ON TABLE pipeline.transform_pending_hours IS
'Event hours whose raw events changed since their last transform run (filled by triggers on raw.events).';
COMMENT ON TABLE pipeline.es_pending_hours IS
'Hours whose marts.hourly_metrics row is not yet confirmed by Elasticsearch.';
COMMENT ON TABLE pipeline.gold_pending_days IS 'Days the gold job must rebuild (queued by transform runs).';
COMMENT ON TABLE pipeline.gold_pending_customers IS 'Customers the gold job must rebuild (queued by transform runs).';
