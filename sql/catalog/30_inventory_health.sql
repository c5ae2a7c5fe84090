-- marts.inventory_health: stock health of every product and warehouse as of now, from its latest stock snapshot and
-- the product's paid sales (clean.transactions): sales velocity over the last ecom.velocity_days days, days of cover of
-- the product's available stock in all warehouses, and the low-stock, overstock and dead-stock flags (thresholds:
-- ecom.low_cover_days, ecom.overstock_cover_days, ecom.dead_stock_days). Rebuilt in full (one row per product and
-- warehouse); pairs that turned low-stock are queued for their alert (pipeline.low_stock_alerts).

CREATE TEMP TABLE new_inventory_health ON COMMIT DROP AS

WITH

settings AS (
    SELECT
        now() AS as_of,
        current_setting('ecom.velocity_days')::integer AS velocity_days,
        current_setting('ecom.low_cover_days')::numeric AS low_cover_days,
        current_setting('ecom.overstock_cover_days')::numeric AS overstock_cover_days,
        current_setting('ecom.dead_stock_days')::integer AS dead_stock_days
),

snapshots AS (
    SELECT DISTINCT ON (product_id, warehouse_id)
        product_id,
        warehouse_id,
        snapshot_time,
        on_hand,
        reserved,
        reorder_point,
        unit_cost,
        currency
    FROM raw.inventory_snapshots
    ORDER BY product_id ASC, warehouse_id ASC, snapshot_time DESC
),

products AS (
    SELECT
        product_id,
        sum(on_hand - reserved) AS product_available
    FROM snapshots
    GROUP BY product_id
),

sales AS (
    SELECT
        products.product_id,
        products.product_available,
        coalesce((
            SELECT sum(transactions.quantity)
            FROM clean.transactions
            WHERE
                transactions.product_id = products.product_id
                AND transactions.is_paid_order
                AND transactions.event_time > settings.as_of - make_interval(days => settings.velocity_days)
                AND transactions.event_time <= settings.as_of
        ), 0) AS units_sold,
        (
            SELECT max(transactions.event_time)
            FROM clean.transactions
            WHERE
                transactions.product_id = products.product_id
                AND transactions.is_paid_order
                AND transactions.event_time <= settings.as_of
        ) AS last_sale_at
    FROM products
    CROSS JOIN settings
),

velocity AS (
    SELECT
        sales.product_id,
        sales.units_sold,
        sales.last_sale_at,
        round(sales.units_sold::numeric / settings.velocity_days, 4) AS daily_velocity,
        CASE
            WHEN sales.units_sold > 0
                THEN round(sales.product_available * settings.velocity_days::numeric / sales.units_sold, 2)
        END AS days_of_cover
    FROM sales
    CROSS JOIN settings
),

health AS (
    SELECT
        snapshots.*,
        snapshots.on_hand - snapshots.reserved AS available,
        velocity.units_sold,
        velocity.daily_velocity,
        velocity.days_of_cover,
        velocity.last_sale_at,
        settings.as_of,
        snapshots.on_hand - snapshots.reserved <= 0 AS is_out_of_stock,
        snapshots.on_hand - snapshots.reserved <= snapshots.reorder_point
        OR coalesce(velocity.days_of_cover < settings.low_cover_days, FALSE) AS is_low_stock,
        coalesce(velocity.days_of_cover > settings.overstock_cover_days, FALSE) AS is_overstock,
        snapshots.on_hand > 0
        AND coalesce(
            velocity.last_sale_at < settings.as_of - make_interval(days => settings.dead_stock_days), TRUE
        ) AS is_dead_stock
    FROM snapshots
    INNER JOIN velocity ON snapshots.product_id = velocity.product_id
    CROSS JOIN settings
)

SELECT
    product_id,
    warehouse_id,
    snapshot_time,
    on_hand,
    reserved,
    available,
    reorder_point,
    unit_cost,
    currency,
    on_hand * unit_cost AS stock_value,
    units_sold,
    daily_velocity,
    days_of_cover,
    last_sale_at,
    is_out_of_stock,
    is_low_stock,
    is_overstock,
    is_dead_stock,
    CASE
        WHEN is_out_of_stock THEN 'out_of_stock'
        WHEN is_low_stock THEN 'low_stock'
        WHEN is_dead_stock THEN 'dead_stock'
        WHEN is_overstock THEN 'overstock'
        ELSE 'ok'
    END AS stock_status,
    as_of
FROM health;

-- turned low-stock since the last run (or low when first seen): one alert each
INSERT INTO pipeline.low_stock_alerts (product_id, warehouse_id, available, reorder_point, days_of_cover)
SELECT
    new_health.product_id,
    new_health.warehouse_id,
    new_health.available,
    new_health.reorder_point,
    new_health.days_of_cover
FROM new_inventory_health AS new_health
LEFT JOIN marts.inventory_health AS old_health
    ON
        new_health.product_id = old_health.product_id
        AND new_health.warehouse_id = old_health.warehouse_id
WHERE new_health.is_low_stock AND NOT coalesce(old_health.is_low_stock, FALSE);

DELETE FROM marts.inventory_health;

INSERT INTO marts.inventory_health (
    product_id, warehouse_id, snapshot_time, on_hand, reserved, available, reorder_point, unit_cost, currency,
    stock_value, units_sold, daily_velocity, days_of_cover, last_sale_at, is_out_of_stock, is_low_stock, is_overstock,
    is_dead_stock, stock_status, as_of
)
SELECT
    product_id,
    warehouse_id,
    snapshot_time,
    on_hand,
    reserved,
    available,
    reorder_point,
    unit_cost,
    currency,
    stock_value,
    units_sold,
    daily_velocity,
    days_of_cover,
    last_sale_at,
    is_out_of_stock,
    is_low_stock,
    is_overstock,
    is_dead_stock,
    stock_status,
    as_of
FROM new_inventory_health;
