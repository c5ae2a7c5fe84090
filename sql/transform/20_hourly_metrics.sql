-- Hourly metrics (indexed into Elasticsearch afterwards): transactions, amount and late share per claimed hour.
-- An hour without transactions gets no row (and its Elasticsearch document, if any, is deleted).

DELETE FROM hourly_metrics m
USING run_hours h
WHERE m.event_hour = h.event_hour;

INSERT INTO hourly_metrics (event_hour, total_transactions, total_amount, late_transactions, late_ratio)
SELECT h.event_hour,
       count(*),
       sum(c.amount),
       count(*) FILTER (WHERE c.is_late),
       (count(*) FILTER (WHERE c.is_late))::double precision / count(*)
FROM run_hours h
JOIN transactions_clean c ON c.event_time >= h.event_hour AND c.event_time < h.event_hour + interval '1 hour'
GROUP BY h.event_hour;
