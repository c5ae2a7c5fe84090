-- Hourly metrics (indexed into Elasticsearch afterwards): transactions, amount and late share per claimed hour.
-- An hour without transactions gets no row (and its Elasticsearch document, if any, is deleted).

DELETE FROM hourly_metrics m
USING run_hours h
WHERE m.event_hour = h.event_hour;

INSERT INTO hourly_metrics (event_hour, total_transactions, total_amount, late_transactions, late_ratio)
SELECT c.event_hour,
       count(*),
       sum(c.amount),
       count(*) FILTER (WHERE c.is_late),
       (count(*) FILTER (WHERE c.is_late))::double precision / count(*)
FROM run_transactions_clean c
GROUP BY c.event_hour;
