-- marts.customer_tier_history: SCD Type 2 tier history of every claimed customer, rebuilt from all of that
-- customer's transactions. Consecutive transactions (by event time, then event id) with the same tier form one
-- version; a version ends where the next one starts, so a late transaction can split or merge versions.

DELETE FROM marts.customer_tier_history
USING run_customers
WHERE customer_tier_history.customer_id = run_customers.customer_id;

INSERT INTO marts.customer_tier_history (
    customer_id, tier, valid_from, valid_to, is_current
)

WITH

observations AS (
    SELECT
        transactions.customer_id,
        transactions.customer_tier AS tier,
        transactions.event_time,
        transactions.event_id
    FROM run_customers
    INNER JOIN clean.transactions ON run_customers.customer_id = transactions.customer_id
    WHERE transactions.customer_tier IS NOT NULL
),

islands AS (
    -- gaps and islands: the difference of the two row numbers is constant within a run of one tier
    SELECT
        customer_id,
        tier,
        event_time,
        row_number() OVER (PARTITION BY customer_id ORDER BY event_time, event_id)
        - row_number() OVER (PARTITION BY customer_id, tier ORDER BY event_time, event_id) AS island
    FROM observations
),

versions AS (
    SELECT
        customer_id,
        tier,
        min(event_time) AS valid_from
    FROM islands
    GROUP BY customer_id, tier, island
)

SELECT
    customer_id,
    tier,
    valid_from,
    lead(valid_from) OVER by_customer AS valid_to,
    lead(valid_from) OVER by_customer IS NULL AS is_current
FROM versions
WINDOW by_customer AS (PARTITION BY customer_id ORDER BY valid_from);
