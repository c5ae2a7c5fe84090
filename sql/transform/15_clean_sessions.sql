-- clean.sessions: one row per session touched by this run (run_sessions: a session with an event in the claimed
-- hours before or after this run), rebuilt from all of its events in clean.events, wherever they fall. A session
-- counts in the UTC hour and day of its first event; TransformJob added those hours (old and new) to the claimed
-- ones, so the marts below recompute them too.

DELETE FROM clean.sessions
USING run_sessions
WHERE sessions.session_id = run_sessions.session_id;

INSERT INTO clean.sessions (
    session_id, customer_id, source, started_at, ended_at, start_date, start_hour, duration_seconds, events,
    page_views, add_to_carts, orders, paid_orders, is_bounce, is_converted
)

WITH

events AS (
    SELECT
        events.session_id,
        events.event_id,
        events.event_time,
        events.event_date,
        events.event_hour,
        events.customer_id,
        events.source,
        events.is_page_view,
        events.is_add_to_cart,
        events.is_order,
        events.is_paid_order
    FROM run_sessions
    INNER JOIN clean.events ON run_sessions.session_id = events.session_id
),

ordered AS (
    SELECT
        *,
        row_number() OVER (PARTITION BY session_id ORDER BY event_time ASC, event_id ASC) AS position
    FROM events
),

sessions AS (
    SELECT
        session_id,
        min(event_time) AS started_at,
        max(event_time) AS ended_at,
        count(*) AS events,
        count(*) FILTER (WHERE is_page_view) AS page_views,
        count(*) FILTER (WHERE is_add_to_cart) AS add_to_carts,
        count(*) FILTER (WHERE is_order) AS orders,
        count(*) FILTER (WHERE is_paid_order) AS paid_orders
    FROM ordered
    GROUP BY session_id
),

first_events AS (
    SELECT
        session_id,
        event_date,
        event_hour,
        customer_id,
        source
    FROM ordered
    WHERE position = 1
)

SELECT
    sessions.session_id,
    first_events.customer_id,
    first_events.source,
    sessions.started_at,
    sessions.ended_at,
    first_events.event_date AS start_date,
    first_events.event_hour AS start_hour,
    extract(EPOCH FROM sessions.ended_at - sessions.started_at) AS duration_seconds,
    sessions.events,
    sessions.page_views,
    sessions.add_to_carts,
    sessions.orders,
    sessions.paid_orders,
    sessions.events = 1 AS is_bounce,
    sessions.paid_orders > 0 AS is_converted
FROM sessions
INNER JOIN first_events ON sessions.session_id = first_events.session_id;
