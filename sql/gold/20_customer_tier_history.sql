-- Gold: SCD Type 2 tier history of every claimed customer, rebuilt from all of that customer's
-- transactions (consecutive transactions with the same tier form one version).

DELETE FROM customer_tier_history h
USING run_customers r
WHERE h.customer_id = r.customer_id;

INSERT INTO customer_tier_history (customer_id, tier, valid_from, valid_to, is_current)
SELECT customer_id, tier, valid_from,
       lead(valid_from) OVER by_customer,
       lead(valid_from) OVER by_customer IS NULL
FROM (
    SELECT customer_id, tier, min(event_time) AS valid_from
    FROM (
        SELECT c.customer_id, c.customer_tier AS tier, c.event_time,
               row_number() OVER (PARTITION BY c.customer_id ORDER BY c.event_time, c.event_id)
             - row_number() OVER (PARTITION BY c.customer_id, c.customer_tier ORDER BY c.event_time, c.event_id) AS island
        FROM run_customers r
        JOIN transactions_clean c ON c.customer_id = r.customer_id
        WHERE c.customer_tier IS NOT NULL
    ) observations
    GROUP BY customer_id, tier, island
) versions
WINDOW by_customer AS (PARTITION BY customer_id ORDER BY valid_from);
