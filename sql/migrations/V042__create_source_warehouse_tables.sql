-- The warehouse of products, inventory and campaigns (issue 13), in the layers of migration 013:
--   clean.campaign_touches        events that carry a campaign_id (transform job, per hour)
--   marts.product_history         SCD Type 2 price / cost / category history (catalog job)
--   clean.campaigns, clean.campaign_spend   latest definition and latest spend report (catalog job)
--   marts.inventory_health        stock, cover and alerts per product and warehouse, as of the last run (catalog job)
--   marts.daily_product_margin    revenue, cost, margin and rankings per day, currency and product (gold job)
--   marts.campaign_attributions   which campaign a paid purchase is attributed to (gold job)
--   marts.campaign_daily_roi      spend, attributed orders and revenue, ROAS, cost per order, conversion (gold job)
-- plus two work queues in pipeline. Money is never added across currencies: margins are per transaction currency
-- and a campaign's figures are in the campaign's currency (attributed sales in another currency are counted, not
-- summed).

-- clean.campaign_touches ---------------------------------------------------------------------------------------------
CREATE TABLE clean.campaign_touches (
    event_id uuid PRIMARY KEY,
    event_type text NOT NULL,
    event_time timestamptz NOT NULL,
    event_date date NOT NULL,
    customer_id text,
    session_id text,
    campaign_id text NOT NULL,
    utm_source text,
    utm_medium text
);
CREATE INDEX campaign_touches_event_time_idx ON clean.campaign_touches (event_time);
CREATE INDEX campaign_touches_customer_time_idx ON clean.campaign_touches (customer_id, event_time);

-- Days with new touches: a touch can change the attribution of the customer's purchases up to the attribution window
-- after it, so the catalog job queues those days for the gold job (filled here, claimed by the catalog job).
CREATE TABLE pipeline.attribution_pending_days (
    day date NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION pipeline.campaign_touches_mark_days() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO pipeline.attribution_pending_days (day) SELECT DISTINCT event_date FROM new_rows;
    RETURN NULL;
END
$$;

CREATE TRIGGER campaign_touches_mark_days AFTER INSERT ON clean.campaign_touches
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION pipeline.campaign_touches_mark_days();

-- marts.product_history ----------------------------------------------------------------------------------------------
CREATE TABLE marts.product_history (
    product_id text NOT NULL,
    version integer NOT NULL,
    category text NOT NULL,
    price numeric NOT NULL,
    cost numeric,
    currency text NOT NULL,
    title text NOT NULL,
    rating numeric,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz,
    is_current boolean NOT NULL,
    PRIMARY KEY (product_id, valid_from),
    UNIQUE (product_id, version)
);
CREATE INDEX product_history_current_idx ON marts.product_history (product_id) WHERE is_current;

-- clean.campaigns, clean.campaign_spend ------------------------------------------------------------------------------
CREATE TABLE clean.campaigns (
    campaign_id text PRIMARY KEY,
    name text NOT NULL,
    channel text NOT NULL,
    currency text NOT NULL,
    budget numeric,
    start_date date NOT NULL,
    end_date date,
    updated_at timestamptz NOT NULL
);

CREATE TABLE clean.campaign_spend (
    campaign_id text NOT NULL,
    spend_date date NOT NULL,
    channel text NOT NULL,
    amount numeric NOT NULL,
    currency text,
    reported_at timestamptz NOT NULL,
    PRIMARY KEY (campaign_id, spend_date, channel)
);

-- marts.inventory_health ---------------------------------------------------------------------------------------------
CREATE TABLE marts.inventory_health (
    product_id text NOT NULL,
    warehouse_id text NOT NULL,
    snapshot_time timestamptz NOT NULL,
    on_hand integer NOT NULL,
    reserved integer NOT NULL,
    available integer NOT NULL,
    reorder_point integer NOT NULL,
    unit_cost numeric,
    currency text,
    stock_value numeric,
    units_sold integer NOT NULL,
    daily_velocity numeric NOT NULL,
    days_of_cover numeric,
    last_sale_at timestamptz,
    is_out_of_stock boolean NOT NULL,
    is_low_stock boolean NOT NULL,
    is_overstock boolean NOT NULL,
    is_dead_stock boolean NOT NULL,
    stock_status text NOT NULL CHECK (stock_status IN ('out_of_stock', 'low_stock', 'dead_stock', 'overstock', 'ok')),
    as_of timestamptz NOT NULL,
    PRIMARY KEY (product_id, warehouse_id)
);

-- Products that turned low-stock, waiting for their alert (filled by the catalog job, drained by
-- observe.LowStockAlerts).
CREATE TABLE pipeline.low_stock_alerts (
    id bigserial PRIMARY KEY,
    product_id text NOT NULL,
    warehouse_id text NOT NULL,
    available integer NOT NULL,
    reorder_point integer NOT NULL,
    days_of_cover numeric,
    detected_at timestamptz NOT NULL DEFAULT now()
);

-- Sales per product by time: the last sale and recent velocity of each stocked product (catalog job), and the days of
-- a product's sales since a changed version (queued for the gold job), by index.
CREATE INDEX transactions_product_time_idx ON clean.transactions (product_id, event_time);

-- marts.daily_product_margin -----------------------------------------------------------------------------------------
CREATE TABLE marts.daily_product_margin (
    revenue_date date NOT NULL,
    currency text NOT NULL,
    product_id text NOT NULL,
    product_category text,
    paid_units bigint NOT NULL,
    refunded_units bigint NOT NULL,
    revenue numeric NOT NULL,
    refunds numeric NOT NULL,
    net_revenue numeric NOT NULL,
    cost_of_goods numeric NOT NULL,
    uncosted_units bigint NOT NULL,
    gross_margin numeric,
    margin_pct numeric,
    revenue_rank integer NOT NULL,
    margin_rank integer,
    PRIMARY KEY (revenue_date, currency, product_id)
);

-- marts.campaign_attributions, marts.campaign_daily_roi --------------------------------------------------------------
CREATE TABLE marts.campaign_attributions (
    event_id uuid PRIMARY KEY,
    transaction_id text NOT NULL,
    customer_id text,
    session_id text,
    purchase_time timestamptz NOT NULL,
    revenue_date date NOT NULL,
    currency text,
    amount numeric NOT NULL,
    campaign_id text NOT NULL,
    touch_event_id uuid NOT NULL,
    touch_time timestamptz NOT NULL,
    same_session boolean NOT NULL
);
CREATE INDEX campaign_attributions_day_idx ON marts.campaign_attributions (revenue_date, campaign_id);

CREATE TABLE marts.campaign_daily_roi (
    campaign_id text NOT NULL,
    roi_date date NOT NULL,
    currency text,
    spend numeric NOT NULL,
    sessions integer NOT NULL,
    converted_sessions integer NOT NULL,
    conversion_rate numeric,
    attributed_orders integer NOT NULL,
    attributed_revenue numeric NOT NULL,
    other_currency_orders integer NOT NULL,
    roas numeric,
    cost_per_order numeric,
    PRIMARY KEY (campaign_id, roi_date)
);

-- comments ------------------------------------------------------------------------------------------------------------
COMMENT ON TABLE clean.campaign_touches IS
'Events (any type) that carry a campaign_id: the touches purchases are attributed to. One row per event.';
COMMENT ON COLUMN clean.campaign_touches.event_id IS 'raw.events.event_id.';
COMMENT ON COLUMN clean.campaign_touches.event_type IS 'PAGE_VIEW, ADD_TO_CART, PURCHASE or REFUND.';
COMMENT ON COLUMN clean.campaign_touches.event_time IS 'When the touch happened.';
COMMENT ON COLUMN clean.campaign_touches.event_date IS 'UTC calendar day of event_time.';
COMMENT ON COLUMN clean.campaign_touches.customer_id IS 'Customer who was touched.';
COMMENT ON COLUMN clean.campaign_touches.session_id IS 'Browsing session of the touch.';
COMMENT ON COLUMN clean.campaign_touches.campaign_id IS 'Campaign the event came from (event field campaign_id).';
COMMENT ON COLUMN clean.campaign_touches.utm_source IS 'utm_source of the event (e.g. google), as sent.';
COMMENT ON COLUMN clean.campaign_touches.utm_medium IS 'utm_medium of the event (e.g. cpc), as sent.';

COMMENT ON TABLE marts.product_history IS
'SCD Type 2: each product''s price, cost and category over time. A new version starts when one of them (or the '
'currency) changes; title and rating are the latest known (type 1). Orders join the version valid at event time.';
COMMENT ON COLUMN marts.product_history.product_id IS 'Product id.';
COMMENT ON COLUMN marts.product_history.version IS '1 for the first version of the product, then 2, 3, ...';
COMMENT ON COLUMN marts.product_history.category IS 'Category in this version.';
COMMENT ON COLUMN marts.product_history.price IS 'List price per unit in this version, in currency.';
COMMENT ON COLUMN marts.product_history.cost IS 'Cost per unit in this version, in currency; null when unknown.';
COMMENT ON COLUMN marts.product_history.currency IS 'Currency of price and cost, ISO 4217.';
COMMENT ON COLUMN marts.product_history.title IS 'Latest known product name.';
COMMENT ON COLUMN marts.product_history.rating IS 'Latest known average rating (0-5).';
COMMENT ON COLUMN marts.product_history.valid_from IS 'updated_at of the first record showing this version.';
COMMENT ON COLUMN marts.product_history.valid_to IS
'valid_from of the next version (exclusive); null for the current version.';
COMMENT ON COLUMN marts.product_history.is_current IS 'True for the latest version of the product.';

COMMENT ON TABLE clean.campaigns IS 'The latest definition of every campaign (by updated_at).';
COMMENT ON COLUMN clean.campaigns.campaign_id IS 'Campaign id.';
COMMENT ON COLUMN clean.campaigns.name IS 'Campaign name.';
COMMENT ON COLUMN clean.campaigns.channel IS 'Main marketing channel.';
COMMENT ON COLUMN clean.campaigns.currency IS 'Currency of the budget, the spend and the ROI figures, ISO 4217.';
COMMENT ON COLUMN clean.campaigns.budget IS 'Total budget in currency; null when open.';
COMMENT ON COLUMN clean.campaigns.start_date IS 'First day.';
COMMENT ON COLUMN clean.campaigns.end_date IS 'Last day; null when open-ended.';
COMMENT ON COLUMN clean.campaigns.updated_at IS 'When this definition was issued.';

COMMENT ON TABLE clean.campaign_spend IS
'Spend per campaign, UTC day and channel: the latest report (by reported_at) of each.';
COMMENT ON COLUMN clean.campaign_spend.campaign_id IS 'Campaign id.';
COMMENT ON COLUMN clean.campaign_spend.spend_date IS 'UTC day of the spend.';
COMMENT ON COLUMN clean.campaign_spend.channel IS 'Channel of the spend.';
COMMENT ON COLUMN clean.campaign_spend.amount IS 'Spend in currency.';
COMMENT ON COLUMN clean.campaign_spend.currency IS
'The campaign''s currency (clean.campaigns); null while the campaign''s definition has not arrived.';
COMMENT ON COLUMN clean.campaign_spend.reported_at IS 'When the figure used here was reported.';

COMMENT ON TABLE marts.inventory_health IS
'Stock health per product and warehouse from the latest stock snapshot and recent paid sales, as of the last catalog '
'run. Thresholds: INVENTORY_VELOCITY_DAYS, INVENTORY_LOW_COVER_DAYS, INVENTORY_OVERSTOCK_COVER_DAYS, '
'INVENTORY_DEAD_STOCK_DAYS.';
COMMENT ON COLUMN marts.inventory_health.product_id IS 'Product id.';
COMMENT ON COLUMN marts.inventory_health.warehouse_id IS 'Warehouse id.';
COMMENT ON COLUMN marts.inventory_health.snapshot_time IS 'Time of the latest stock snapshot used.';
COMMENT ON COLUMN marts.inventory_health.on_hand IS 'Units on hand in the latest snapshot.';
COMMENT ON COLUMN marts.inventory_health.reserved IS 'Units reserved in the latest snapshot.';
COMMENT ON COLUMN marts.inventory_health.available IS 'on_hand - reserved.';
COMMENT ON COLUMN marts.inventory_health.reorder_point IS 'Reorder point of the latest snapshot.';
COMMENT ON COLUMN marts.inventory_health.unit_cost IS 'Unit cost of the latest snapshot, in currency.';
COMMENT ON COLUMN marts.inventory_health.currency IS 'Currency of unit_cost and stock_value.';
COMMENT ON COLUMN marts.inventory_health.stock_value IS 'on_hand * unit_cost, in currency; null without a unit cost.';
COMMENT ON COLUMN marts.inventory_health.units_sold IS
'Units of paid purchases of the product (all warehouses) in the velocity window before as_of.';
COMMENT ON COLUMN marts.inventory_health.daily_velocity IS 'units_sold / the velocity window in days.';
COMMENT ON COLUMN marts.inventory_health.days_of_cover IS
'The product''s available units in all warehouses / daily_velocity; null when nothing sold in the window.';
COMMENT ON COLUMN marts.inventory_health.last_sale_at IS
'Event time of the product''s last paid purchase; null if none.';
COMMENT ON COLUMN marts.inventory_health.is_out_of_stock IS 'available <= 0.';
COMMENT ON COLUMN marts.inventory_health.is_low_stock IS
'available <= reorder_point, or days_of_cover below the low-cover threshold. Turning low raises a low-stock alert.';
COMMENT ON COLUMN marts.inventory_health.is_overstock IS 'days_of_cover above the overstock threshold.';
COMMENT ON COLUMN marts.inventory_health.is_dead_stock IS
'on_hand > 0 and no paid purchase of the product within the dead-stock threshold (days) before as_of.';
COMMENT ON COLUMN marts.inventory_health.stock_status IS
'The first that applies: out_of_stock, low_stock, dead_stock, overstock, ok.';
COMMENT ON COLUMN marts.inventory_health.as_of IS 'When the catalog run computed this row.';

COMMENT ON TABLE marts.daily_product_margin IS
'Revenue, cost of goods and gross margin per UTC day, transaction currency and product; every sale is costed at the '
'product version (marts.product_history) valid at its event time. Ranked within the day and currency.';
COMMENT ON COLUMN marts.daily_product_margin.revenue_date IS 'UTC calendar day (by event time).';
COMMENT ON COLUMN marts.daily_product_margin.currency IS 'Transaction currency (ISO 4217); ''unknown'' when absent.';
COMMENT ON COLUMN marts.daily_product_margin.product_id IS 'Product id.';
COMMENT ON COLUMN marts.daily_product_margin.product_category IS
'Category of the product version valid at the day''s sales (the greatest, should it change within the day); the '
'events'' category when no version is known.';
COMMENT ON COLUMN marts.daily_product_margin.paid_units IS 'Units of paid PURCHASE events.';
COMMENT ON COLUMN marts.daily_product_margin.refunded_units IS 'Units of REFUND events.';
COMMENT ON COLUMN marts.daily_product_margin.revenue IS 'Gross: sum of amount of paid PURCHASE events, in currency.';
COMMENT ON COLUMN marts.daily_product_margin.refunds IS 'Sum of amount of REFUND events, positive, in currency.';
COMMENT ON COLUMN marts.daily_product_margin.net_revenue IS 'revenue - refunds, in currency.';
COMMENT ON COLUMN marts.daily_product_margin.cost_of_goods IS
'Cost of paid units minus cost of refunded units, each at the cost of the version valid at its event time; only '
'units with a known cost in the same currency.';
COMMENT ON COLUMN marts.daily_product_margin.uncosted_units IS
'Paid or refunded units without a known cost (no version at that time, no cost, or another currency).';
COMMENT ON COLUMN marts.daily_product_margin.gross_margin IS
'net_revenue - cost_of_goods; null when uncosted_units > 0 (the margin would be overstated).';
COMMENT ON COLUMN marts.daily_product_margin.margin_pct IS
'gross_margin * 100 / net_revenue, 2 decimals; null when gross_margin is null or net_revenue is 0.';
COMMENT ON COLUMN marts.daily_product_margin.revenue_rank IS
'1 = highest net_revenue of the day in this currency (ties: same rank).';
COMMENT ON COLUMN marts.daily_product_margin.margin_rank IS
'1 = highest gross_margin of the day in this currency (ties: same rank); null when gross_margin is null.';

COMMENT ON TABLE marts.campaign_attributions IS
'Paid purchases attributed to a campaign. Rule: last touch - the customer''s latest event with a campaign_id at or '
'before the purchase and less than ATTRIBUTION_WINDOW (default 7 days) before it; a purchase carrying a campaign_id '
'is its own last touch. Purchases without such a touch are not attributed.';
COMMENT ON COLUMN marts.campaign_attributions.event_id IS 'event_id of the paid PURCHASE.';
COMMENT ON COLUMN marts.campaign_attributions.transaction_id IS 'Its transaction id.';
COMMENT ON COLUMN marts.campaign_attributions.customer_id IS 'Its customer.';
COMMENT ON COLUMN marts.campaign_attributions.session_id IS 'Its browsing session.';
COMMENT ON COLUMN marts.campaign_attributions.purchase_time IS 'Its event time.';
COMMENT ON COLUMN marts.campaign_attributions.revenue_date IS 'UTC day of purchase_time.';
COMMENT ON COLUMN marts.campaign_attributions.currency IS 'Transaction currency.';
COMMENT ON COLUMN marts.campaign_attributions.amount IS 'Paid amount, in currency.';
COMMENT ON COLUMN marts.campaign_attributions.campaign_id IS 'Campaign of the last touch.';
COMMENT ON COLUMN marts.campaign_attributions.touch_event_id IS 'event_id of the last touch.';
COMMENT ON COLUMN marts.campaign_attributions.touch_time IS 'Event time of the last touch.';
COMMENT ON COLUMN marts.campaign_attributions.same_session IS 'The touch and the purchase share a session.';

COMMENT ON TABLE marts.campaign_daily_roi IS
'Per campaign and UTC day: spend, attributed paid orders and revenue (marts.campaign_attributions), ROAS, cost per '
'order and conversion of the day''s campaign sessions. Money in the campaign''s currency; attributed sales in another '
'currency are counted in other_currency_orders and not summed.';
COMMENT ON COLUMN marts.campaign_daily_roi.campaign_id IS 'Campaign id.';
COMMENT ON COLUMN marts.campaign_daily_roi.roi_date IS 'UTC calendar day.';
COMMENT ON COLUMN marts.campaign_daily_roi.currency IS
'The campaign''s currency; null while its definition has not arrived (then revenue is 0).';
COMMENT ON COLUMN marts.campaign_daily_roi.spend IS 'Spend of the day over all channels (clean.campaign_spend).';
COMMENT ON COLUMN marts.campaign_daily_roi.sessions IS 'Distinct sessions with a touch of the campaign that day.';
COMMENT ON COLUMN marts.campaign_daily_roi.converted_sessions IS
'Of those sessions, the ones with a paid purchase that day attributed to the campaign.';
COMMENT ON COLUMN marts.campaign_daily_roi.conversion_rate IS
'converted_sessions / sessions, 4 decimals; null without sessions.';
COMMENT ON COLUMN marts.campaign_daily_roi.attributed_orders IS
'Paid purchases of the day attributed to the campaign (any currency).';
COMMENT ON COLUMN marts.campaign_daily_roi.attributed_revenue IS
'Paid amount of those in the campaign''s currency (others: other_currency_orders), in currency.';
COMMENT ON COLUMN marts.campaign_daily_roi.other_currency_orders IS
'Of attributed_orders, those in another currency than the campaign''s: counted, their amount not in revenue.';
COMMENT ON COLUMN marts.campaign_daily_roi.roas IS 'attributed_revenue / spend, 4 decimals; null when spend is 0.';
COMMENT ON COLUMN marts.campaign_daily_roi.cost_per_order IS
'spend / attributed_orders, 2 decimals; null without attributed orders.';

COMMENT ON TABLE pipeline.attribution_pending_days IS
'Days with new campaign touches, claimed by the catalog job, which queues the following attribution window for gold.';
COMMENT ON TABLE pipeline.low_stock_alerts IS
'Product/warehouse pairs that turned low-stock, waiting for their alert (drained after each catalog run).';
