-- Margins and campaign ROI in the reporting currency (issue 13 after issue 12). Migration 042 kept them per
-- transaction / campaign currency, so a sale whose catalog cost was in another currency had no margin and a campaign's
-- sales in other currencies were counted, never summed. Now every amount of the three gold tables below is converted
-- into the reporting currency at the rate of its UTC day (raw.fx_rates), the way clean.transactions converts sales:
--   * revenue: the sale's *_reporting amounts of clean.transactions (converted once there, rounded to cents)
--   * cost of goods: the product version's cost, converted from the version's currency, rounded per transaction
--   * spend: each spend report of clean.campaign_spend, converted from the campaign's currency, rounded per report
-- An amount without a rate is never summed: it is left out of the converted totals and counted (unconverted_*), and
-- the figures it would change (gross margin, ROAS, cost per order) are null rather than wrong.
--
-- The tables are emptied here and rebuilt by the next gold run for every day that has transactions or spend.

-- The conversion factor every gold file uses: units of to_currency per unit of from_currency on a UTC day, from the
-- rates per EUR of raw.fx_rates (EUR is 1 on every day); 1 for the same currency; null when either has no rate. The
-- same rule as the conversion in sql/transform/11_clean_transactions.sql (to 10 places).
CREATE FUNCTION raw.fx_rate(from_currency text, to_currency text, on_day date) RETURNS numeric
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    WITH units_per_eur AS (
        SELECT
            currency,
            units_per_eur AS units
        FROM raw.fx_rates
        WHERE rate_date = on_day AND currency <> 'EUR'
        UNION ALL
        SELECT
            'EUR' AS currency,
            1 AS units
    )

    SELECT
        CASE
            WHEN from_currency = to_currency THEN 1
            ELSE round(
                (SELECT to_units.units FROM units_per_eur AS to_units WHERE to_units.currency = to_currency)
                / (SELECT from_units.units FROM units_per_eur AS from_units WHERE from_units.currency = from_currency),
                10
            )
        END
$$;
COMMENT ON FUNCTION raw.fx_rate(text, text, date) IS
'Units of to_currency per unit of from_currency on on_day (raw.fx_rates, EUR = 1), 10 places; 1 for the same '
'currency; null when either has no rate that day.';

-- marts.daily_product_margin: per day and product in the reporting currency -----------------------------------------
DROP TABLE marts.daily_product_margin;

CREATE TABLE marts.daily_product_margin (
    revenue_date date NOT NULL,
    product_id text NOT NULL,
    product_category text,
    reporting_currency text NOT NULL,
    paid_units bigint NOT NULL,
    refunded_units bigint NOT NULL,
    revenue numeric NOT NULL,
    refunds numeric NOT NULL,
    net_revenue numeric NOT NULL,
    cost_of_goods numeric NOT NULL,
    unconverted_transactions integer NOT NULL,
    uncosted_units bigint NOT NULL,
    unconverted_cost_units bigint NOT NULL,
    gross_margin numeric,
    margin_pct numeric,
    revenue_rank integer NOT NULL,
    margin_rank integer,
    PRIMARY KEY (revenue_date, product_id)
);

COMMENT ON TABLE marts.daily_product_margin IS
'Revenue, cost of goods and gross margin per UTC day and product in the reporting currency; every sale is costed at '
'the product version (marts.product_history) valid at its event time, sale and cost converted at the day''s rate. '
'Ranked within the day.';
COMMENT ON COLUMN marts.daily_product_margin.revenue_date IS 'UTC calendar day (by event time).';
COMMENT ON COLUMN marts.daily_product_margin.product_id IS 'Product id.';
COMMENT ON COLUMN marts.daily_product_margin.product_category IS
'Category of the product version valid at the day''s sales (the greatest, should it change within the day); the '
'events'' category when no version is known.';
COMMENT ON COLUMN marts.daily_product_margin.reporting_currency IS 'Currency of every amount of the row.';
COMMENT ON COLUMN marts.daily_product_margin.paid_units IS 'Units of paid PURCHASE events (converted or not).';
COMMENT ON COLUMN marts.daily_product_margin.refunded_units IS 'Units of REFUND events (converted or not).';
COMMENT ON COLUMN marts.daily_product_margin.revenue IS
'Gross: paid PURCHASE amounts in reporting_currency (converted transactions only).';
COMMENT ON COLUMN marts.daily_product_margin.refunds IS
'REFUND amounts, positive, in reporting_currency (converted transactions only).';
COMMENT ON COLUMN marts.daily_product_margin.net_revenue IS 'revenue - refunds.';
COMMENT ON COLUMN marts.daily_product_margin.cost_of_goods IS
'Cost of paid units minus cost of refunded units of the converted transactions, each at the cost of the version '
'valid at its event time, converted from the version''s currency at the day''s rate and rounded to cents per '
'transaction; only units whose cost is known and convertible.';
COMMENT ON COLUMN marts.daily_product_margin.unconverted_transactions IS
'Paid purchases and refunds whose currency had no FX rate on the day: their units are counted, their amounts and '
'costs left out.';
COMMENT ON COLUMN marts.daily_product_margin.uncosted_units IS
'Paid or refunded units without a known cost (no product version at that time, or a version without cost).';
COMMENT ON COLUMN marts.daily_product_margin.unconverted_cost_units IS
'Paid or refunded units whose cost is known but in a currency without an FX rate on the day (not costed).';
COMMENT ON COLUMN marts.daily_product_margin.gross_margin IS
'net_revenue - cost_of_goods; null when any transaction or unit of the day is unconverted or uncosted (the margin '
'would be wrong).';
COMMENT ON COLUMN marts.daily_product_margin.margin_pct IS
'gross_margin * 100 / net_revenue, 2 decimals; null when gross_margin is null or net_revenue is 0.';
COMMENT ON COLUMN marts.daily_product_margin.revenue_rank IS '1 = highest net_revenue of the day (ties: same rank).';
COMMENT ON COLUMN marts.daily_product_margin.margin_rank IS
'1 = highest gross_margin of the day (ties: same rank); null when gross_margin is null.';

-- marts.campaign_attributions: the purchase's amount in the reporting currency too -----------------------------------
TRUNCATE marts.campaign_attributions;

ALTER TABLE marts.campaign_attributions
ADD COLUMN reporting_currency text NOT NULL,
ADD COLUMN amount_reporting numeric;

COMMENT ON COLUMN marts.campaign_attributions.reporting_currency IS 'Currency of amount_reporting.';
COMMENT ON COLUMN marts.campaign_attributions.amount_reporting IS
'amount in reporting_currency (clean.transactions.gross_amount_reporting); null when its currency had no FX rate '
'on the day.';

-- marts.campaign_daily_roi: per campaign and day in the reporting currency ------------------------------------------
DROP TABLE marts.campaign_daily_roi;

CREATE TABLE marts.campaign_daily_roi (
    campaign_id text NOT NULL,
    roi_date date NOT NULL,
    campaign_currency text,
    reporting_currency text NOT NULL,
    spend_in_campaign_currency numeric NOT NULL,
    spend numeric,
    sessions integer NOT NULL,
    converted_sessions integer NOT NULL,
    conversion_rate numeric,
    attributed_orders integer NOT NULL,
    attributed_revenue numeric NOT NULL,
    unconverted_orders integer NOT NULL,
    roas numeric,
    cost_per_order numeric,
    PRIMARY KEY (campaign_id, roi_date)
);

COMMENT ON TABLE marts.campaign_daily_roi IS
'Per campaign and UTC day: spend, attributed paid orders and revenue (marts.campaign_attributions), ROAS, cost per '
'order and conversion of the day''s campaign sessions. Money in the reporting currency: spend converted from the '
'campaign''s currency, sales from theirs, each at the day''s rate; amounts without a rate are counted, never summed.';
COMMENT ON COLUMN marts.campaign_daily_roi.campaign_id IS 'Campaign id.';
COMMENT ON COLUMN marts.campaign_daily_roi.roi_date IS 'UTC calendar day.';
COMMENT ON COLUMN marts.campaign_daily_roi.campaign_currency IS
'The campaign''s currency (of its budget and spend reports); null while its definition has not arrived.';
COMMENT ON COLUMN marts.campaign_daily_roi.reporting_currency IS
'Currency of spend, attributed_revenue and cost_per_order.';
COMMENT ON COLUMN marts.campaign_daily_roi.spend_in_campaign_currency IS
'Spend of the day over all channels (clean.campaign_spend), in campaign_currency.';
COMMENT ON COLUMN marts.campaign_daily_roi.spend IS
'The same spend in reporting_currency, each report converted at the day''s rate and rounded to cents; null when the '
'campaign''s currency has no FX rate on the day (or is not known yet) - then roas and cost_per_order are null.';
COMMENT ON COLUMN marts.campaign_daily_roi.sessions IS 'Distinct sessions with a touch of the campaign that day.';
COMMENT ON COLUMN marts.campaign_daily_roi.converted_sessions IS
'Of those sessions, the ones with a paid purchase that day attributed to the campaign.';
COMMENT ON COLUMN marts.campaign_daily_roi.conversion_rate IS
'converted_sessions / sessions, 4 decimals; null without sessions.';
COMMENT ON COLUMN marts.campaign_daily_roi.attributed_orders IS
'Paid purchases of the day attributed to the campaign (any currency, converted or not).';
COMMENT ON COLUMN marts.campaign_daily_roi.attributed_revenue IS
'Paid amount of those in reporting_currency (converted ones only; the others: unconverted_orders).';
COMMENT ON COLUMN marts.campaign_daily_roi.unconverted_orders IS
'Of attributed_orders, those whose currency had no FX rate on the day: counted, their amount not in revenue.';
COMMENT ON COLUMN marts.campaign_daily_roi.roas IS
'attributed_revenue / spend, 4 decimals; null when spend is null or 0, or when unconverted_orders > 0 (it would be '
'understated).';
COMMENT ON COLUMN marts.campaign_daily_roi.cost_per_order IS
'spend / attributed_orders, 2 decimals; null when spend is null or without attributed orders.';

-- rebuilt by the next gold run
INSERT INTO pipeline.gold_pending_days (day)
SELECT DISTINCT event_date FROM clean.transactions
UNION
SELECT DISTINCT spend_date FROM clean.campaign_spend;
