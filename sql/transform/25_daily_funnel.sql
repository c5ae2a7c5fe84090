-- marts.daily_funnel: sessions through PAGE_VIEW -> ADD_TO_CART -> paid PURCHASE, per UTC day the session started,
-- session source and product category of the event, for the days of the claimed hours (run_day_clean_sessions:
-- the sessions that start on them, with all of their events, also those of the next day).

DELETE FROM marts.daily_funnel
USING run_days
WHERE daily_funnel.funnel_date = run_days.day;

INSERT INTO marts.daily_funnel (
    funnel_date, source, product_category, page_views, add_to_carts, paid_orders, viewing_sessions,
    carting_sessions, buying_sessions, abandoned_cart_sessions, view_to_cart_rate, cart_to_purchase_rate,
    cart_abandonment_rate
)

WITH

sessions AS (
    SELECT
        session_id,
        start_date,
        source
    FROM run_day_clean_sessions
),

funnel_events AS (
    SELECT
        sessions.session_id,
        sessions.start_date,
        coalesce(sessions.source, 'unknown') AS source,
        coalesce(events.product_category, 'unknown') AS product_category,
        events.is_page_view,
        events.is_add_to_cart,
        events.is_paid_order
    FROM sessions
    INNER JOIN clean.events ON sessions.session_id = events.session_id
    WHERE events.is_page_view OR events.is_add_to_cart OR events.is_paid_order
),

session_categories AS (
    SELECT
        start_date,
        source,
        product_category,
        session_id,
        count(*) FILTER (WHERE is_page_view) AS page_views,
        count(*) FILTER (WHERE is_add_to_cart) AS add_to_carts,
        count(*) FILTER (WHERE is_paid_order) AS paid_orders
    FROM funnel_events
    GROUP BY start_date, source, product_category, session_id
),

funnel AS (
    SELECT
        start_date,
        source,
        product_category,
        sum(page_views) AS page_views,
        sum(add_to_carts) AS add_to_carts,
        sum(paid_orders) AS paid_orders,
        count(*) FILTER (WHERE page_views > 0) AS viewing_sessions,
        count(*) FILTER (WHERE add_to_carts > 0) AS carting_sessions,
        count(*) FILTER (WHERE paid_orders > 0) AS buying_sessions,
        count(*) FILTER (WHERE add_to_carts > 0 AND paid_orders = 0) AS abandoned_cart_sessions
    FROM session_categories
    GROUP BY start_date, source, product_category
)

SELECT
    start_date AS funnel_date,
    source,
    product_category,
    page_views,
    add_to_carts,
    paid_orders,
    viewing_sessions,
    carting_sessions,
    buying_sessions,
    abandoned_cart_sessions,
    marts.ratio(carting_sessions, viewing_sessions) AS view_to_cart_rate,
    marts.ratio(buying_sessions, carting_sessions) AS cart_to_purchase_rate,
    marts.ratio(abandoned_cart_sessions, carting_sessions) AS cart_abandonment_rate
FROM funnel;
