-- marts.campaign_attributions: the paid purchases of the claimed days attributed to a campaign. Rule (last touch): the
-- customer's latest event carrying a campaign_id (clean.campaign_touches) at or before the purchase and less than
-- ecom.attribution_window (ATTRIBUTION_WINDOW, default 7 days) before it; a purchase that carries a campaign_id is its
-- own last touch. Purchases without such a touch are not attributed. The amount is kept in the transaction's currency
-- and in the reporting currency (null when its currency had no rate that day, clean.transactions).

DELETE FROM marts.campaign_attributions
USING run_days
WHERE campaign_attributions.revenue_date = run_days.day;

INSERT INTO marts.campaign_attributions (
    event_id, transaction_id, customer_id, session_id, purchase_time, revenue_date, currency, amount,
    reporting_currency, amount_reporting, campaign_id, touch_event_id, touch_time, same_session
)

WITH

purchases AS (
    SELECT
        transactions.event_id,
        transactions.transaction_id,
        transactions.customer_id,
        raw_events.session_id,
        transactions.event_time,
        transactions.event_date,
        transactions.currency,
        transactions.gross_amount,
        transactions.reporting_currency,
        transactions.gross_amount_reporting
    FROM run_day_clean_transactions AS transactions
    INNER JOIN raw.events AS raw_events ON transactions.event_id = raw_events.event_id
    WHERE transactions.is_paid_order AND transactions.customer_id IS NOT NULL
),

last_touches AS (
    SELECT
        purchases.*,
        touches.campaign_id,
        touches.event_id AS touch_event_id,
        touches.event_time AS touch_time,
        touches.session_id AS touch_session_id
    FROM purchases
    CROSS JOIN LATERAL (
        SELECT
            campaign_touches.campaign_id,
            campaign_touches.event_id,
            campaign_touches.event_time,
            campaign_touches.session_id
        FROM clean.campaign_touches
        WHERE
            campaign_touches.customer_id = purchases.customer_id
            AND campaign_touches.event_time <= purchases.event_time
            AND campaign_touches.event_time
            > purchases.event_time - current_setting('ecom.attribution_window')::interval
        ORDER BY campaign_touches.event_time DESC, campaign_touches.event_id DESC
        LIMIT 1
    ) AS touches
)

SELECT
    event_id,
    transaction_id,
    customer_id,
    session_id,
    event_time AS purchase_time,
    event_date AS revenue_date,
    currency,
    gross_amount AS amount,
    reporting_currency,
    gross_amount_reporting AS amount_reporting,
    campaign_id,
    touch_event_id,
    touch_time,
    coalesce(touch_session_id = session_id, FALSE) AS same_session
FROM last_touches;
