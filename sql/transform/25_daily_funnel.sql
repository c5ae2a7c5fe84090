-- marts.daily_funnel: sessions through PAGE_VIEW -> ADD_TO_CART -> paid PURCHASE, per UTC day the session started,
-- session source and product category of the event, for the days of the claimed hours, rolled up from
-- clean.session_categories (each session's events in a category, also those of the next day, counted there).

DELETE FROM marts.daily_funnel
USING run_days
WHERE daily_funnel.funnel_date = run_days.day;

INSERT INTO marts.daily_funnel (
    funnel_date, source, product_category, page_views, add_to_carts, paid_orders, viewing_sessions,
    carting_sessions, buying_sessions, abandoned_cart_sessions, view_to_cart_rate, cart_to_purchase_rate,
    cart_abandonment_rate
)

WITH

session_categories AS (
    SELECT
        session_categories.start_date,
        session_categories.source,
        session_categories.product_category,
        session_categories.page_views,
        session_categories.add_to_carts,
        session_categories.paid_orders
    FROM run_days
    INNER JOIN clean.session_categories ON run_days.day = session_categories.start_date
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
