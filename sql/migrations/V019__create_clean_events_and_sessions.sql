-- Sessions and funnels need every event type, not only purchases and refunds: clean.events holds every raw event of
-- the transformed hours (typed, bucketed, with the event-type flags computed once), clean.transactions is now built
-- from it, and clean.sessions holds one row per session_id, rebuilt whenever one of its events changes.
--
-- Session rule: a session is all events sharing a session_id (events without one belong to none). It is counted
-- once, in the UTC hour and day of its first event (started_at), even when later events fall into the next hour or
-- day; a late event that joins a session reopens the hour and day the session started in.

CREATE TABLE clean.events (
    event_id uuid PRIMARY KEY,
    event_type text NOT NULL,
    event_time timestamptz NOT NULL,
    processing_time timestamptz NOT NULL,
    event_date date NOT NULL,
    event_hour timestamptz NOT NULL,
    window_start timestamptz NOT NULL,
    latency_seconds numeric NOT NULL,
    is_late boolean NOT NULL,
    source text,
    session_id text,
    customer_id text,
    customer_country text,
    customer_tier text,
    product_id text,
    product_category text,
    transaction_id text,
    amount numeric,
    quantity integer,
    currency text,
    payment_method text,
    payment_status text,
    is_page_view boolean NOT NULL,
    is_add_to_cart boolean NOT NULL,
    is_order boolean NOT NULL,
    is_paid_order boolean NOT NULL,
    is_pending_order boolean NOT NULL,
    is_failed_order boolean NOT NULL,
    is_refund boolean NOT NULL
);

CREATE INDEX events_event_time_idx ON clean.events (event_time);
CREATE INDEX events_session_id_idx ON clean.events (session_id) WHERE session_id IS NOT NULL;

COMMENT ON TABLE clean.events IS
'One row per raw.events row (every event type), typed, with UTC buckets, lateness and the event-type flags.';
COMMENT ON COLUMN clean.events.event_id IS 'raw.events.event_id.';
COMMENT ON COLUMN clean.events.event_type IS 'PAGE_VIEW, ADD_TO_CART, PURCHASE or REFUND.';
COMMENT ON COLUMN clean.events.event_time IS 'raw.events.event_time.';
COMMENT ON COLUMN clean.events.processing_time IS 'raw.events.ingested_at.';
COMMENT ON COLUMN clean.events.event_date IS 'UTC calendar day of event_time.';
COMMENT ON COLUMN clean.events.event_hour IS 'Start of the UTC hour of event_time.';
COMMENT ON COLUMN clean.events.window_start IS 'Start of the 5-minute UTC window of event_time.';
COMMENT ON COLUMN clean.events.latency_seconds IS 'processing_time - event_time, in seconds.';
COMMENT ON COLUMN clean.events.is_late IS 'latency above the late threshold (default 2 minutes).';
COMMENT ON COLUMN clean.events.source IS 'raw.events.source (channel).';
COMMENT ON COLUMN clean.events.session_id IS 'raw.events.session_id; null: the event belongs to no session.';
COMMENT ON COLUMN clean.events.customer_id IS 'raw.events.customer_id.';
COMMENT ON COLUMN clean.events.customer_country IS 'raw.events.customer_country.';
COMMENT ON COLUMN clean.events.customer_tier IS 'raw.events.customer_tier.';
COMMENT ON COLUMN clean.events.product_id IS 'raw.events.product_id.';
COMMENT ON COLUMN clean.events.product_category IS 'raw.events.product_category.';
COMMENT ON COLUMN clean.events.transaction_id IS 'raw.events.transaction_id.';
COMMENT ON COLUMN clean.events.amount IS 'raw.events.amount (positive, in currency).';
COMMENT ON COLUMN clean.events.quantity IS 'raw.events.quantity.';
COMMENT ON COLUMN clean.events.currency IS 'raw.events.currency.';
COMMENT ON COLUMN clean.events.payment_method IS 'raw.events.payment_method.';
COMMENT ON COLUMN clean.events.payment_status IS 'raw.events.payment_status.';
COMMENT ON COLUMN clean.events.is_page_view IS 'A PAGE_VIEW.';
COMMENT ON COLUMN clean.events.is_add_to_cart IS 'An ADD_TO_CART.';
COMMENT ON COLUMN clean.events.is_order IS 'A PURCHASE, whatever its payment status.';
COMMENT ON COLUMN clean.events.is_paid_order IS 'A PURCHASE with payment status PAID.';
COMMENT ON COLUMN clean.events.is_pending_order IS 'A PURCHASE with payment status PENDING.';
COMMENT ON COLUMN clean.events.is_failed_order IS 'A PURCHASE with payment status FAILED.';
COMMENT ON COLUMN clean.events.is_refund IS 'A REFUND.';

CREATE TABLE clean.sessions (
    session_id text PRIMARY KEY,
    customer_id text,
    source text,
    started_at timestamptz NOT NULL,
    ended_at timestamptz NOT NULL,
    start_date date NOT NULL,
    start_hour timestamptz NOT NULL,
    duration_seconds numeric NOT NULL,
    events integer NOT NULL,
    page_views integer NOT NULL,
    add_to_carts integer NOT NULL,
    orders integer NOT NULL,
    paid_orders integer NOT NULL,
    is_bounce boolean NOT NULL,
    is_converted boolean NOT NULL
);

CREATE INDEX sessions_started_at_idx ON clean.sessions (started_at);

COMMENT ON TABLE clean.sessions IS
'One row per session_id: its events summed up. Counted in the UTC hour and day of its first event (started_at).';
COMMENT ON COLUMN clean.sessions.session_id IS 'raw.events.session_id.';
COMMENT ON COLUMN clean.sessions.customer_id IS 'customer_id of the first event (by event_time, then event_id).';
COMMENT ON COLUMN clean.sessions.source IS 'source (channel) of the first event (by event_time, then event_id).';
COMMENT ON COLUMN clean.sessions.started_at IS 'event_time of the first event.';
COMMENT ON COLUMN clean.sessions.ended_at IS 'event_time of the last event.';
COMMENT ON COLUMN clean.sessions.start_date IS 'UTC day of started_at: the day the session counts in.';
COMMENT ON COLUMN clean.sessions.start_hour IS 'Start of the UTC hour of started_at: the hour the session counts in.';
COMMENT ON COLUMN clean.sessions.duration_seconds IS 'ended_at - started_at in seconds (0 for a single event).';
COMMENT ON COLUMN clean.sessions.events IS 'Events of the session, every type.';
COMMENT ON COLUMN clean.sessions.page_views IS 'PAGE_VIEW events.';
COMMENT ON COLUMN clean.sessions.add_to_carts IS 'ADD_TO_CART events.';
COMMENT ON COLUMN clean.sessions.orders IS 'PURCHASE events, any payment status.';
COMMENT ON COLUMN clean.sessions.paid_orders IS 'PURCHASE events with payment status PAID.';
COMMENT ON COLUMN clean.sessions.is_bounce IS 'The session has exactly one event.';
COMMENT ON COLUMN clean.sessions.is_converted IS 'The session has at least one paid PURCHASE.';

-- built from every raw event, so every hour is transformed again
SELECT pipeline.transform_request_hours('-infinity', 'infinity');
