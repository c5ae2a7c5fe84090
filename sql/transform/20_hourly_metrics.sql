-- marts.hourly_metrics (seed 003; indexed into Elasticsearch afterwards): transactions, amount and late share per
-- claimed hour. An hour without transactions gets no row (and its Elasticsearch document, if any, is deleted).

DELETE FROM marts.hourly_metrics
USING run_hours
WHERE hourly_metrics.event_hour = run_hours.event_hour;

INSERT INTO marts.hourly_metrics (
    event_hour, total_transactions, total_amount, late_transactions, late_ratio
)

WITH

transactions AS (
    SELECT
        event_hour,
        amount,
        is_late
    FROM run_clean_transactions
),

hours AS (
    SELECT
        event_hour,
        count(*) AS total_transactions,
        sum(amount) AS total_amount,
        count(*) FILTER (WHERE is_late) AS late_transactions
    FROM transactions
    GROUP BY event_hour
)

SELECT
    event_hour,
    total_transactions,
    total_amount,
    late_transactions,
    late_transactions::double precision / total_transactions AS late_ratio
FROM hours;
