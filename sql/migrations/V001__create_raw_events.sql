-- Bronze layer: every valid event exactly once (key event_id), with its origin and audit columns.
CREATE TABLE raw_events (
    event_id          uuid        PRIMARY KEY,
    event_type        text        NOT NULL,
    event_time        timestamptz NOT NULL,
    source            text,
    session_id        text,
    customer_id       text,
    customer_email    text,
    customer_country  text,
    customer_tier     text,
    product_id        text,
    product_name      text,
    product_category  text,
    product_price     numeric,        -- exactly as sent; precision is the producer's
    product_currency  text,
    transaction_id    text,
    amount            numeric,
    quantity          integer,
    currency          text,
    payment_method    text,
    payment_status    text,
    payload           jsonb       NOT NULL,
    kafka_topic       text        NOT NULL,
    kafka_partition   integer     NOT NULL,
    kafka_offset      bigint      NOT NULL,
    ingested_at       timestamptz NOT NULL DEFAULT now(),
    run_id            uuid        NOT NULL
);

CREATE INDEX raw_events_event_time_idx ON raw_events (event_time);
