-- New campaign touches on the claimed days (run_touch_days, from pipeline.attribution_pending_days) can change which
-- campaign the customer's paid purchases up to the attribution window later are attributed to: queue those days for
-- the gold job (marts.campaign_attributions, marts.campaign_daily_roi), none after today.

INSERT INTO pipeline.gold_pending_days (day)
SELECT DISTINCT attribution_days.attribution_day::date AS day
FROM run_touch_days
CROSS JOIN LATERAL generate_series(
    day::timestamp,
    least(
        (day + current_setting('ecom.attribution_window')::interval)::date,
        (now() AT TIME ZONE 'UTC')::date
    )::timestamp,
    interval '1 day'
) AS attribution_days (attribution_day);
