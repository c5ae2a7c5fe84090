-- marts.campaign_daily_roi: per campaign and claimed UTC day, the spend (clean.campaign_spend), the day's campaign
-- sessions and those that converted, the attributed paid orders and their revenue (marts.campaign_attributions),
-- ROAS and cost per order. Money stays in the campaign's currency: attributed sales in another currency are counted,
-- never added to its revenue.

DELETE FROM marts.campaign_daily_roi
USING run_days
WHERE campaign_daily_roi.roi_date = run_days.day;

INSERT INTO marts.campaign_daily_roi (
    campaign_id, roi_date, currency, spend, sessions, converted_sessions, conversion_rate, attributed_orders,
    attributed_revenue, other_currency_orders, roas, cost_per_order
)

WITH

campaigns AS (
    SELECT
        campaign_id,
        currency
    FROM clean.campaigns
),

spend AS (
    SELECT
        campaign_spend.campaign_id,
        campaign_spend.spend_date AS roi_date,
        sum(campaign_spend.amount) AS spend
    FROM clean.campaign_spend
    INNER JOIN run_days ON campaign_spend.spend_date = run_days.day
    GROUP BY campaign_spend.campaign_id, campaign_spend.spend_date
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
        campaign_attributions.currency,
        campaign_attributions.amount
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
    SELECT
        attributions.campaign_id,
        attributions.roi_date,
        count(*) AS attributed_orders,
        coalesce(sum(attributions.amount) FILTER (WHERE attributions.currency = campaigns.currency), 0)
            AS attributed_revenue,
        count(*) FILTER (WHERE attributions.currency IS DISTINCT FROM campaigns.currency) AS other_currency_orders
    FROM attributions
    LEFT JOIN campaigns ON attributions.campaign_id = campaigns.campaign_id
    GROUP BY attributions.campaign_id, attributions.roi_date
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
        campaigns.currency,
        coalesce(spend.spend, 0) AS spend,
        coalesce(sessions.sessions, 0) AS sessions,
        coalesce(converted.converted_sessions, 0) AS converted_sessions,
        coalesce(orders.attributed_orders, 0) AS attributed_orders,
        coalesce(orders.attributed_revenue, 0) AS attributed_revenue,
        coalesce(orders.other_currency_orders, 0) AS other_currency_orders
    FROM days
    LEFT JOIN campaigns ON days.campaign_id = campaigns.campaign_id
    LEFT JOIN spend ON days.campaign_id = spend.campaign_id AND days.roi_date = spend.roi_date
    LEFT JOIN sessions ON days.campaign_id = sessions.campaign_id AND days.roi_date = sessions.roi_date
    LEFT JOIN converted ON days.campaign_id = converted.campaign_id AND days.roi_date = converted.roi_date
    LEFT JOIN orders ON days.campaign_id = orders.campaign_id AND days.roi_date = orders.roi_date
)

SELECT
    campaign_id,
    roi_date,
    currency,
    spend,
    sessions,
    converted_sessions,
    round(converted_sessions::numeric / nullif(sessions, 0), 4) AS conversion_rate,
    attributed_orders,
    attributed_revenue,
    other_currency_orders,
    round(attributed_revenue / nullif(spend, 0), 4) AS roas,
    round(spend / nullif(attributed_orders, 0), 2) AS cost_per_order
FROM figures;
