-- clean.session_categories: a session's funnel events per product category, kept per session like clean.sessions, so
-- that marts.daily_funnel rolls a day up from these small rows instead of re-reading every event of every session
-- that started on that day (a very late event reopened whole days: the funnel was most of an incremental run).

CREATE TABLE clean.session_categories (
    session_id text NOT NULL,
    product_category text NOT NULL,
    start_date date NOT NULL,
    source text NOT NULL,
    page_views integer NOT NULL,
    add_to_carts integer NOT NULL,
    paid_orders integer NOT NULL,
    PRIMARY KEY (session_id, product_category)
);

CREATE INDEX session_categories_start_date_idx ON clean.session_categories (start_date);

COMMENT ON TABLE clean.session_categories IS
'One row per session and product category with a PAGE_VIEW, ADD_TO_CART or paid PURCHASE in it: the building block '
'of marts.daily_funnel.';
COMMENT ON COLUMN clean.session_categories.session_id IS 'The session (clean.sessions).';
COMMENT ON COLUMN clean.session_categories.product_category IS
'Product category of the events; ''unknown'' for events without one.';
COMMENT ON COLUMN clean.session_categories.start_date IS 'UTC day of the session''s first event.';
COMMENT ON COLUMN clean.session_categories.source IS
'Source (channel) of the session''s first event; ''unknown'' when absent.';
COMMENT ON COLUMN clean.session_categories.page_views IS 'PAGE_VIEW events of the session in the category.';
COMMENT ON COLUMN clean.session_categories.add_to_carts IS 'ADD_TO_CART events of the session in the category.';
COMMENT ON COLUMN clean.session_categories.paid_orders IS 'Paid PURCHASE events of the session in the category.';

-- the sessions already built: from then on the transform job keeps this table for the sessions it rebuilds
INSERT INTO clean.session_categories (
    session_id, product_category, start_date, source, page_views, add_to_carts, paid_orders
)
SELECT
    sessions.session_id,
    coalesce(events.product_category, 'unknown') AS product_category,
    sessions.start_date,
    coalesce(sessions.source, 'unknown') AS source,
    count(*) FILTER (WHERE events.is_page_view) AS page_views,
    count(*) FILTER (WHERE events.is_add_to_cart) AS add_to_carts,
    count(*) FILTER (WHERE events.is_paid_order) AS paid_orders
FROM clean.sessions
INNER JOIN clean.events ON sessions.session_id = events.session_id
WHERE events.is_page_view OR events.is_add_to_cart OR events.is_paid_order
GROUP BY
    sessions.session_id,
    coalesce(events.product_category, 'unknown'),
    sessions.start_date,
    coalesce(sessions.source, 'unknown');
