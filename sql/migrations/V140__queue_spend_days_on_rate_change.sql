-- A changed FX rate (or reporting currency) must reach every gold table that converts with it. Until now a change
-- requested only the hours with raw events (V016), so a campaign's spend on a day without events kept its old
-- conversion (or none) in marts.campaign_daily_roi. Days with campaign spend are now queued for the gold job too.

-- Queues the days of clean.campaign_spend among days (all of them when days is null) for the next gold run; returns
-- how many were queued.
CREATE FUNCTION pipeline.gold_request_spend_days(days date[]) RETURNS integer
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    WITH queued AS (
        INSERT INTO pipeline.gold_pending_days (day)
        SELECT DISTINCT spend.spend_date
        FROM clean.campaign_spend AS spend
        WHERE days IS NULL OR spend.spend_date = any(days)
        RETURNING 1
    )

    SELECT count(*)::integer FROM queued
$$;
COMMENT ON FUNCTION pipeline.gold_request_spend_days(date[]) IS
'Queues the days with campaign spend among days (every such day when null) for the next gold run.';

-- V016's trigger function, now also queueing the spend days of the changed rates.
CREATE OR REPLACE FUNCTION pipeline.fx_mark_changed_days() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    changed date[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pipeline.transform_request_hours('-infinity', 'infinity');
        PERFORM pipeline.gold_request_spend_days(NULL);
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        changed := ARRAY(SELECT DISTINCT rate_date FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        changed := ARRAY(SELECT DISTINCT rate_date FROM old_rows);
    ELSE
        changed := ARRAY(SELECT rate_date FROM new_rows UNION SELECT rate_date FROM old_rows);
    END IF;
    PERFORM pipeline.transform_request_days(changed);
    PERFORM pipeline.gold_request_spend_days(changed);
    RETURN NULL;
END
$$;
