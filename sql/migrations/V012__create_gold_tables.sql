-- Gold analytics (F12), filled by the gold job (sql/gold/*.sql) in the same incremental pattern: the transform run
-- queues the days and customers its hours touched (sql/transform/90_queue_gold.sql), a gold run claims them and
-- rebuilds exactly those days and customers. Amounts follow V011's definitions; customer-level money
-- (customer_rfm.monetary) is summed across currencies, like hourly_metrics.total_amount (no FX conversion).

-- Work queues of the gold job, append-only like transform_pending_hours (claimed with DELETE ... RETURNING).
CREATE TABLE gold_pending_days (
    day        date        NOT NULL,
    queued_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE gold_pending_customers (
    customer_id  text        NOT NULL,
    queued_at    timestamptz NOT NULL DEFAULT now()
);

-- Product performance per UTC day and currency, ranked within the day by net revenue.
CREATE TABLE daily_product_performance (
    revenue_date      date    NOT NULL,
    currency          text    NOT NULL,
    product_id        text    NOT NULL,
    product_category  text,
    orders            integer NOT NULL,          -- PURCHASE events, any payment status
    units             bigint  NOT NULL,          -- quantity of those orders
    revenue           numeric NOT NULL,          -- PAID purchases
    refunds           numeric NOT NULL,
    net_revenue       numeric NOT NULL,
    revenue_rank      integer NOT NULL,          -- 1 = highest net revenue of the day in this currency
    PRIMARY KEY (revenue_date, currency, product_id)
);

-- SCD Type 2: each customer's tier over time, as seen on their transactions. A version starts with the first
-- transaction showing a tier and ends where the next version starts; late events are placed by event time, so a
-- late transaction can split or merge versions.
CREATE TABLE customer_tier_history (
    customer_id  text        NOT NULL,
    tier         text        NOT NULL,
    valid_from   timestamptz NOT NULL,
    valid_to     timestamptz,                    -- null for the current version
    is_current   boolean     NOT NULL,
    PRIMARY KEY (customer_id, valid_from)
);
CREATE INDEX customer_tier_history_current_idx ON customer_tier_history (customer_id) WHERE is_current;

-- RFM inputs per customer with at least one paid purchase; scores and segments are computed at query time by the
-- view customer_rfm_segments (R__customer_rfm_segments.sql), because they are relative to all customers.
CREATE TABLE customer_rfm (
    customer_id     text        PRIMARY KEY,
    first_order_at  timestamptz NOT NULL,        -- first PAID purchase
    last_order_at   timestamptz NOT NULL,        -- last PAID purchase (recency)
    orders          integer     NOT NULL,        -- PAID purchases (frequency)
    monetary        numeric     NOT NULL         -- PAID purchases - refunds, across currencies (monetary)
);
