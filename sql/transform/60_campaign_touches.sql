-- clean.campaign_touches: the events of the claimed hours that carry a campaign_id (any event type), with the
-- customer, session and UTM fields attribution needs. New touches mark their days for the catalog job, which queues the
-- attribution window after them for the gold job (trigger on this table, migration 042). The file contract
-- (run_hours, run_raw_events, ...) is in sql/README.md.

DELETE FROM clean.campaign_touches
USING run_ranges
WHERE
    campaign_touches.event_time >= run_ranges.range_start
    AND campaign_touches.event_time < run_ranges.range_end;

INSERT INTO clean.campaign_touches (
    event_id, event_type, event_time, event_date, customer_id, session_id, campaign_id, utm_source, utm_medium
)

WITH

raw_events AS (
    SELECT
        event_id,
        event_type,
        event_time,
        customer_id,
        session_id,
        payload
    FROM run_raw_events
    WHERE payload ? 'campaign_id'
)

SELECT
    event_id,
    event_type,
    event_time,
    (event_time AT TIME ZONE 'UTC')::date AS event_date,
    customer_id,
    session_id,
    payload ->> 'campaign_id' AS campaign_id,
    payload ->> 'utm_source' AS utm_source,
    payload ->> 'utm_medium' AS utm_medium
FROM raw_events;
