-- Clean (silver) and analytics (gold) layers, filled by sql/transform/*.sql. Each table is recomputed per event hour,
-- 5-minute window or day that a run touched, never rebuilt in full. All buckets are UTC. Amounts are summed per
-- currency where revenue is concerned; hourly_metrics keeps the seed's currency-blind total_amount.
--
-- Definitions used throughout:
--   transaction = a PURCHASE or REFUND event with a transaction id and an amount
--   order       = a PURCHASE event (any payment status)
--   revenue     = amount of PURCHASE events with payment_status PAID; refunds = amount of REFUND events
--   late        = processing time (raw_events.ingested_at) - event_time > pipeline.transform.late-threshold

CREATE TABLE transactions_clean (
    event_id          uuid        PRIMARY KEY,
    transaction_id    text        NOT NULL,
    event_type        text        NOT NULL CHECK (event_type IN ('PURCHASE', 'REFUND')),
    customer_id       text,
    customer_country  text,
    customer_tier     text,
    product_id        text,
    product_category  text,
    quantity          integer,
    amount            numeric     NOT NULL,
    currency          text,
    payment_method    text,
    status            text,                      -- payment_status
    event_time        timestamptz NOT NULL,
    processing_time   timestamptz NOT NULL,      -- raw_events.ingested_at
    event_date        date        NOT NULL,      -- UTC
    event_hour        timestamptz NOT NULL,      -- UTC hour
    latency_seconds   numeric     NOT NULL,      -- processing_time - event_time
    is_late           boolean     NOT NULL
);

-- event_time also serves the per-hour and per-day recomputation (range scans); event_hour needs no index of its own.
CREATE INDEX transactions_clean_event_time_idx ON transactions_clean (event_time);
CREATE INDEX transactions_clean_customer_id_idx ON transactions_clean (customer_id);
-- is_late: a partial index over the (few) late rows answers "late transactions in a period" without a boolean scan.
CREATE INDEX transactions_clean_is_late_idx ON transactions_clean (event_time) WHERE is_late;

-- The seed's analytics "view", kept as a table so each run only rewrites the hours it touched.
CREATE TABLE hourly_metrics (
    event_hour          timestamptz      PRIMARY KEY,
    total_transactions  integer          NOT NULL,
    total_amount        numeric          NOT NULL,
    late_transactions   integer          NOT NULL,
    late_ratio          double precision NOT NULL   -- late_transactions / total_transactions
);

-- 5-minute tumbling windows (window_start = date_bin('5 minutes', event_time, '2000-01-01 UTC')).
CREATE TABLE window_orders_by_category (
    window_start      timestamptz NOT NULL,
    product_category  text        NOT NULL,          -- 'unknown' when the event had none
    orders            integer     NOT NULL,
    units             bigint      NOT NULL,
    amount            numeric     NOT NULL,          -- all orders, any payment status, summed across currencies
    PRIMARY KEY (window_start, product_category)
);

CREATE TABLE window_payment_methods (
    window_start    timestamptz      NOT NULL,
    payment_method  text             NOT NULL,
    orders          integer          NOT NULL,
    amount          numeric          NOT NULL,
    share           double precision NOT NULL,       -- orders / all orders of the window
    PRIMARY KEY (window_start, payment_method)
);

CREATE TABLE window_country_revenue (
    window_start      timestamptz NOT NULL,
    customer_country  text        NOT NULL,
    currency          text        NOT NULL,
    orders            integer     NOT NULL,
    revenue           numeric     NOT NULL,
    refunds           numeric     NOT NULL,
    net_revenue       numeric     NOT NULL,
    PRIMARY KEY (window_start, customer_country, currency)
);

-- Revenue per hour and currency: recomputed per claimed hour, and the rollup source of daily_revenue (a day is the sum
-- of its 24 hourly rows, so a late event never makes a run re-read a whole day of transactions).
CREATE TABLE hourly_revenue (
    event_hour   timestamptz NOT NULL,
    currency     text        NOT NULL,
    orders       integer     NOT NULL,
    paid_orders  integer     NOT NULL,
    revenue      numeric     NOT NULL,
    refunds      numeric     NOT NULL,
    PRIMARY KEY (event_hour, currency)
);

-- Daily revenue per currency with the change against the previous calendar day (same currency).
CREATE TABLE daily_revenue (
    revenue_date      date    NOT NULL,
    currency          text    NOT NULL,
    orders            integer NOT NULL,
    paid_orders       integer NOT NULL,
    revenue           numeric NOT NULL,
    refunds           numeric NOT NULL,
    net_revenue       numeric NOT NULL,
    prev_net_revenue  numeric,                       -- null when the previous day has no row for this currency
    net_change        numeric,
    net_change_pct    numeric,                       -- null when there is no previous day or it was 0
    PRIMARY KEY (revenue_date, currency)
);
