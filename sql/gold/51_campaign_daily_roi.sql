-- marts.campaign_daily_roi: per campaign and claimed UTC day, the spend (clean.campaign_spend), the day's campaign
-- sessions and those that converted, the attributed paid orders and their revenue (marts.campaign_attributions),
-- ROAS and cost per order. Money is in the reporting currency (the one the warehouse is built in,
-- pipeline.warehouse_settings): each spend report converted from the campaign's currency at the rate of its day
-- (raw.fx_rate) and rounded to cents, each sale's converted amount (marts.campaign_attributions). Spend without a rate
-- is null (and so are ROAS and cost per order); attributed sales without one are counted, not summed, and leave ROAS
-- null.

DELETE FROM marts.campaign_daily_roi
USING run_days
WHERE campaign_daily_roi.roi_date = run_days.day;

INSERT INTO marts.campaign_daily_roi (
    campaign_id, roi_date, campaign_currency, reporting_currency, spend_in_campaign_currency, spend, sessions,
    converted_sessions, conversion_rate, attributed_orders, attributed_revenue, unconverted_orders, roas, cost_per_order
)

WITH

reporting AS (
    SELECT value AS reporting_currency
    FROM pipeline.warehouse_settings
    WHERE name = 'reporting_currency'
),

campaigns AS (
    SELECT
        campaign_id,
        currency
    FROM clean.campaigns
),

spend_reports AS (
    SELECT
        campaign_spend.campaign_id,
        campaign_spend.spend_date AS roi_date,
        campaign_spend.amount,
        campaign_spend.currency
    FROM clean.campaign_spend
    INNER JOIN run_days ON campaign_spend.spend_date = run_days.day
),

spend_currencies AS (
    SELECT DISTINCT
        roi_date,
        currency
    FROM spend_reports
),

spend_rates AS (
    -- one lookup per day and currency, not per report
    SELECT
        spend_currencies.roi_date,
        spend_currencies.currency,
        raw.fx_rate(spend_currencies.currency, reporting.reporting_currency, spend_currencies.roi_date) AS fx_rate
    FROM spend_currencies
    CROSS JOIN reporting
),

spend AS (
    -- a campaign's reports of a day share its currency: all of them convert, or none
    SELECT
        spend_reports.campaign_id,
        spend_reports.roi_date,
        sum(spend_reports.amount) AS spend_in_campaign_currency,
        CASE
            WHEN bool_and(spend_rates.fx_rate IS NOT NULL)
                THEN sum(round(spend_reports.amount * spend_rates.fx_rate, 2))
        END AS spend
    FROM spend_reports
    LEFT JOIN spend_rates
        ON
            spend_reports.roi_date = spend_rates.roi_date
            AND spend_reports.currency = spend_rates.currency
    GROUP BY spend_reports.campaign_id, spend_reports.roi_date
),

touches AS (
    SELECT
        campaign_touches.campaign_id,
        campaign_touches.event_date AS roi_date,
        campaign_touches.session_id
    FROM clean.campaign_touches
    INNER JOIN run_days
        ON
            campaign_touches.event_time >= run_days.day::timestamp AT TIME ZONE 'UTC'
            AND campaign_touches.event_time < (run_days.day + 1)::timestamp AT TIME ZONE 'UTC'
    WHERE campaign_touches.session_id IS NOT NULL
),

attributions AS (
    SELECT
        campaign_attributions.campaign_id,
        campaign_attributions.revenue_date AS roi_date,
        campaign_attributions.session_id,
        campaign_attributions.amount_reporting
    FROM marts.campaign_attributions
    INNER JOIN run_days ON campaign_attributions.revenue_date = run_days.day
),

sessions AS (
    SELECT
        campaign_id,
        roi_date,
        count(DISTINCT session_id) AS sessions
    FROM touches
    GROUP BY campaign_id, roi_date
),

converted AS (
    SELECT
        campaign_id,
        roi_date,
        count(DISTINCT session_id) AS converted_sessions
    FROM touches
    WHERE
        EXISTS (
            SELECT 1
            FROM attributions
            WHERE
                attributions.campaign_id = touches.campaign_id
                AND attributions.roi_date = touches.roi_date
                AND attributions.session_id = touches.session_id
        )
    GROUP BY campaign_id, roi_date
),

orders AS (
    -- sum() skips the null amounts of unconverted sales; they are counted in unconverted_orders
    SELECT
        campaign_id,
        roi_date,
        count(*) AS attributed_orders,
        coalesce(sum(amount_reporting), 0) AS attributed_revenue,
        count(*) FILTER (WHERE amount_reporting IS NULL) AS unconverted_orders
    FROM attributions
    GROUP BY campaign_id, roi_date
),

days AS (
    SELECT
        campaign_id,
        roi_date
    FROM spend
    UNION
    SELECT
        campaign_id,
        roi_date
    FROM sessions
    UNION
    SELECT
        campaign_id,
        roi_date
    FROM orders
),

figures AS (
    SELECT
        days.campaign_id,
        days.roi_date,
        campaigns.currency AS campaign_currency,
        reporting.reporting_currency,
        coalesce(spend.spend_in_campaign_currency, 0) AS spend_in_campaign_currency,
        CASE WHEN spend.campaign_id IS NULL THEN 0 ELSE spend.spend END AS spend,
        coalesce(sessions.sessions, 0) AS sessions,
        coalesce(converted.converted_sessions, 0) AS converted_sessions,
        coalesce(orders.attributed_orders, 0) AS attributed_orders,
        coalesce(orders.attributed_revenue, 0) AS attributed_revenue,
        coalesce(orders.unconverted_orders, 0) AS unconverted_orders
    FROM days
    CROSS JOIN reporting
    LEFT JOIN campaigns ON days.campaign_id = campaigns.campaign_id
    LEFT JOIN spend ON days.campaign_id = spend.campaign_id AND days.roi_date = spend.roi_date
    LEFT JOIN sessions ON days.campaign_id = sessions.campaign_id AND days.roi_date = sessions.roi_date
    LEFT JOIN converted ON days.campaign_id = converted.campaign_id AND days.roi_date = converted.roi_date
    LEFT JOIN orders ON days.campaign_id = orders.campaign_id AND days.roi_date = orders.roi_date
)

SELECT
    campaign_id,
    roi_date,
    campaign_currency,
    reporting_currency,
    spend_in_campaign_currency,
    spend,
    sessions,
    converted_sessions,
    round(converted_sessions::numeric / nullif(sessions, 0), 4) AS conversion_rate,
    attributed_orders,
    attributed_revenue,
    unconverted_orders,
    CASE WHEN unconverted_orders = 0 THEN round(attributed_revenue / nullif(spend, 0), 4) END AS roas,
    round(spend / nullif(attributed_orders, 0), 2) AS cost_per_order
FROM figures;
