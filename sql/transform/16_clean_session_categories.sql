-- clean.session_categories: the funnel events of every session this run rebuilt (run_sessions) per product category,
-- from all of the session's events in clean.events; the start day and source come from its clean.sessions row.

DELETE FROM clean.session_categories
USING run_sessions
WHERE session_categories.session_id = run_sessions.session_id;

INSERT INTO clean.session_categories (
    session_id, product_category, start_date, source, page_views, add_to_carts, paid_orders
)

WITH

sessions AS (
    SELECT
        sessions.session_id,
        sessions.start_date,
        coalesce(sessions.source, 'unknown') AS source
    FROM run_sessions
    INNER JOIN clean.sessions ON run_sessions.session_id = sessions.session_id
),

funnel_events AS (
    SELECT
        sessions.session_id,
        sessions.start_date,
        sessions.source,
        coalesce(events.product_category, 'unknown') AS product_category,
        events.is_page_view,
        events.is_add_to_cart,
        events.is_paid_order
    FROM sessions
    INNER JOIN clean.events ON sessions.session_id = events.session_id
    WHERE events.is_page_view OR events.is_add_to_cart OR events.is_paid_order
)

SELECT
    session_id,
    product_category,
    start_date,
    source,
    count(*) FILTER (WHERE is_page_view) AS page_views,
    count(*) FILTER (WHERE is_add_to_cart) AS add_to_carts,
    count(*) FILTER (WHERE is_paid_order) AS paid_orders
FROM funnel_events
GROUP BY session_id, product_category, start_date, source;
