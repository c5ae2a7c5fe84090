-- Raw tables of the sources besides events (issue 13), written by ingest and redelivery (persist/*Writer) exactly like
-- raw.events: every contract-valid record once, keyed so that a replayed or redelivered record is skipped, with the
-- whole record as received and its origin. For records polled from the products API the origin is
-- source_topic 'api:products', partition 0 and, as offset, a 63-bit hash of the item as the API sent it.

CREATE TABLE raw.products (
    product_id text NOT NULL,
    title text NOT NULL,
    category text NOT NULL,
    price numeric NOT NULL,
    cost numeric,
    currency text NOT NULL,
    rating numeric,
    rating_count integer,
    updated_at timestamptz NOT NULL,
    payload jsonb NOT NULL,
    source_topic text NOT NULL,
    source_partition integer NOT NULL,
    source_offset bigint NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    run_id uuid NOT NULL,
    PRIMARY KEY (product_id, updated_at)
);

CREATE TABLE raw.inventory_snapshots (
    product_id text NOT NULL,
    warehouse_id text NOT NULL,
    on_hand integer NOT NULL,
    reserved integer NOT NULL,
    reorder_point integer NOT NULL,
    unit_cost numeric,
    currency text,
    snapshot_time timestamptz NOT NULL,
    payload jsonb NOT NULL,
    source_topic text NOT NULL,
    source_partition integer NOT NULL,
    source_offset bigint NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    run_id uuid NOT NULL,
    PRIMARY KEY (product_id, warehouse_id, snapshot_time)
);

CREATE TABLE raw.campaigns (
    campaign_id text NOT NULL,
    name text NOT NULL,
    channel text NOT NULL,
    currency text NOT NULL,
    budget numeric,
    start_date date NOT NULL,
    end_date date,
    updated_at timestamptz NOT NULL,
    payload jsonb NOT NULL,
    source_topic text NOT NULL,
    source_partition integer NOT NULL,
    source_offset bigint NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    run_id uuid NOT NULL,
    PRIMARY KEY (campaign_id, updated_at)
);

CREATE TABLE raw.campaign_spend (
    campaign_id text NOT NULL,
    spend_date date NOT NULL,
    channel text NOT NULL,
    amount numeric NOT NULL,
    reported_at timestamptz NOT NULL,
    payload jsonb NOT NULL,
    source_topic text NOT NULL,
    source_partition integer NOT NULL,
    source_offset bigint NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    run_id uuid NOT NULL,
    PRIMARY KEY (campaign_id, spend_date, channel, reported_at)
);

COMMENT ON TABLE raw.products IS
'Product versions as they arrived from the products topic or the products API: one row per change (a record equal to '
'the product''s latest version is not stored again). History by price, cost and category: marts.product_history.';
COMMENT ON COLUMN raw.products.product_id IS 'Product id, as in the events (e.g. P-100).';
COMMENT ON COLUMN raw.products.title IS 'Product name.';
COMMENT ON COLUMN raw.products.category IS 'Product category.';
COMMENT ON COLUMN raw.products.price IS 'List price per unit, in currency.';
COMMENT ON COLUMN raw.products.cost IS 'Cost per unit, in currency; null when the source does not give it.';
COMMENT ON COLUMN raw.products.currency IS 'Currency of price and cost, ISO 4217.';
COMMENT ON COLUMN raw.products.rating IS 'Average customer rating, 0-5; null when not given.';
COMMENT ON COLUMN raw.products.rating_count IS 'Number of ratings behind rating.';
COMMENT ON COLUMN raw.products.updated_at IS
'When this version became true: as sent on the topic; for the API, the time of the poll that saw the change.';
COMMENT ON COLUMN raw.products.payload IS
'The record as validated (for the API: the item mapped to the products contract).';
COMMENT ON COLUMN raw.products.source_topic IS 'Kafka topic, or api:products for the products API.';
COMMENT ON COLUMN raw.products.source_partition IS 'Kafka partition (0 for the API).';
COMMENT ON COLUMN raw.products.source_offset IS 'Kafka offset (for the API: a hash of the item as sent).';
COMMENT ON COLUMN raw.products.ingested_at IS 'When the pipeline stored the row.';
COMMENT ON COLUMN raw.products.run_id IS 'Id of the runtime instance run that stored the row.';

COMMENT ON TABLE raw.inventory_snapshots IS
'Stock of a product in a warehouse at a time, as reported on the inventory topic; the latest one counts '
'(marts.inventory_health).';
COMMENT ON COLUMN raw.inventory_snapshots.product_id IS 'Product id, as in the events.';
COMMENT ON COLUMN raw.inventory_snapshots.warehouse_id IS 'Warehouse id.';
COMMENT ON COLUMN raw.inventory_snapshots.on_hand IS 'Units physically in the warehouse.';
COMMENT ON COLUMN raw.inventory_snapshots.reserved IS 'Of on_hand, units promised to open orders.';
COMMENT ON COLUMN raw.inventory_snapshots.reorder_point IS 'Available units at or below which stock is reordered.';
COMMENT ON COLUMN raw.inventory_snapshots.unit_cost IS 'Cost per unit in currency; null when not reported.';
COMMENT ON COLUMN raw.inventory_snapshots.currency IS 'Currency of unit_cost, ISO 4217.';
COMMENT ON COLUMN raw.inventory_snapshots.snapshot_time IS 'When the stock was counted.';
COMMENT ON COLUMN raw.inventory_snapshots.payload IS 'The record as received (JSON).';
COMMENT ON COLUMN raw.inventory_snapshots.source_topic IS 'Kafka topic.';
COMMENT ON COLUMN raw.inventory_snapshots.source_partition IS 'Kafka partition.';
COMMENT ON COLUMN raw.inventory_snapshots.source_offset IS 'Kafka offset.';
COMMENT ON COLUMN raw.inventory_snapshots.ingested_at IS 'When the pipeline stored the row.';
COMMENT ON COLUMN raw.inventory_snapshots.run_id IS 'Id of the runtime instance run that stored the row.';

COMMENT ON TABLE raw.campaigns IS
'Campaign definitions as they arrived on the campaigns topic (record_type campaign); the latest per campaign counts.';
COMMENT ON COLUMN raw.campaigns.campaign_id IS 'Campaign id, as carried by events (campaign_id).';
COMMENT ON COLUMN raw.campaigns.name IS 'Campaign name.';
COMMENT ON COLUMN raw.campaigns.channel IS 'Main marketing channel (search, social, email, display, affiliate, video).';
COMMENT ON COLUMN raw.campaigns.currency IS 'Currency of the budget and of all the campaign''s spend, ISO 4217.';
COMMENT ON COLUMN raw.campaigns.budget IS 'Total budget in currency; null when open.';
COMMENT ON COLUMN raw.campaigns.start_date IS 'First day of the campaign.';
COMMENT ON COLUMN raw.campaigns.end_date IS 'Last day of the campaign; null when open-ended.';
COMMENT ON COLUMN raw.campaigns.updated_at IS 'When this definition was issued.';
COMMENT ON COLUMN raw.campaigns.payload IS 'The record as received (JSON).';
COMMENT ON COLUMN raw.campaigns.source_topic IS 'Kafka topic.';
COMMENT ON COLUMN raw.campaigns.source_partition IS 'Kafka partition.';
COMMENT ON COLUMN raw.campaigns.source_offset IS 'Kafka offset.';
COMMENT ON COLUMN raw.campaigns.ingested_at IS 'When the pipeline stored the row.';
COMMENT ON COLUMN raw.campaigns.run_id IS 'Id of the runtime instance run that stored the row.';

COMMENT ON TABLE raw.campaign_spend IS
'Daily spend reports per campaign and channel (record_type spend), in the campaign''s currency; a later report of '
'the same day and channel replaces the earlier one (clean.campaign_spend).';
COMMENT ON COLUMN raw.campaign_spend.campaign_id IS 'Campaign id.';
COMMENT ON COLUMN raw.campaign_spend.spend_date IS 'UTC day the money was spent.';
COMMENT ON COLUMN raw.campaign_spend.channel IS 'Channel the money was spent on.';
COMMENT ON COLUMN raw.campaign_spend.amount IS 'Spend of that day on that channel, in the campaign''s currency.';
COMMENT ON COLUMN raw.campaign_spend.reported_at IS 'When the figure was reported (the latest report wins).';
COMMENT ON COLUMN raw.campaign_spend.payload IS 'The record as received (JSON).';
COMMENT ON COLUMN raw.campaign_spend.source_topic IS 'Kafka topic.';
COMMENT ON COLUMN raw.campaign_spend.source_partition IS 'Kafka partition.';
COMMENT ON COLUMN raw.campaign_spend.source_offset IS 'Kafka offset.';
COMMENT ON COLUMN raw.campaign_spend.ingested_at IS 'When the pipeline stored the row.';
COMMENT ON COLUMN raw.campaign_spend.run_id IS 'Id of the runtime instance run that stored the row.';
