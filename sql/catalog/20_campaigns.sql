-- clean.campaigns (the latest definition of each campaign) and clean.campaign_spend (the latest report of each
-- campaign, day and channel, in the campaign's currency), rebuilt from raw.campaigns and raw.campaign_spend. The days
-- whose ROI can change are queued for the gold job: the days of changed spend, and every day with ROI figures of a
-- campaign whose currency changed (or whose definition just arrived).

CREATE TEMP TABLE new_campaigns ON COMMIT DROP AS
SELECT DISTINCT ON (campaign_id)
    campaign_id,
    name,
    channel,
    currency,
    budget,
    start_date,
    end_date,
    updated_at
FROM raw.campaigns
ORDER BY campaign_id ASC, updated_at DESC;

CREATE TEMP TABLE new_campaign_spend ON COMMIT DROP AS
SELECT DISTINCT ON (spend.campaign_id, spend.spend_date, spend.channel)
    spend.campaign_id,
    spend.spend_date,
    spend.channel,
    spend.amount,
    new_campaigns.currency,
    spend.reported_at
FROM raw.campaign_spend AS spend
LEFT JOIN new_campaigns ON spend.campaign_id = new_campaigns.campaign_id
ORDER BY spend.campaign_id ASC, spend.spend_date ASC, spend.channel ASC, spend.reported_at DESC;

INSERT INTO pipeline.gold_pending_days (day)

WITH

changed_spend AS (
    (
        SELECT * FROM new_campaign_spend
        EXCEPT
        SELECT
            campaign_id,
            spend_date,
            channel,
            amount,
            currency,
            reported_at
        FROM clean.campaign_spend
    )
    UNION ALL
    (
        SELECT
            campaign_id,
            spend_date,
            channel,
            amount,
            currency,
            reported_at
        FROM clean.campaign_spend
        EXCEPT
        SELECT * FROM new_campaign_spend
    )
),

changed_currency AS (
    (
        SELECT
            campaign_id,
            currency
        FROM new_campaigns
        EXCEPT
        SELECT
            campaign_id,
            currency
        FROM clean.campaigns
    )
    UNION
    (
        SELECT
            campaign_id,
            currency
        FROM clean.campaigns
        EXCEPT
        SELECT
            campaign_id,
            currency
        FROM new_campaigns
    )
)

SELECT changed_spend.spend_date FROM changed_spend
UNION
SELECT campaign_daily_roi.roi_date
FROM marts.campaign_daily_roi
INNER JOIN changed_currency ON campaign_daily_roi.campaign_id = changed_currency.campaign_id;

DELETE FROM clean.campaigns;

INSERT INTO clean.campaigns (campaign_id, name, channel, currency, budget, start_date, end_date, updated_at)
SELECT
    campaign_id,
    name,
    channel,
    currency,
    budget,
    start_date,
    end_date,
    updated_at
FROM new_campaigns;

DELETE FROM clean.campaign_spend;

INSERT INTO clean.campaign_spend (campaign_id, spend_date, channel, amount, currency, reported_at)
SELECT
    campaign_id,
    spend_date,
    channel,
    amount,
    currency,
    reported_at
FROM new_campaign_spend;
