-- marts.product_history: SCD Type 2 history of every product's price, cost, category and currency, built from all of
-- raw.products (consecutive versions with the same values are one version, so an unchanged or repeated record never
-- adds one); title and rating are the latest known (type 1). Only products whose history differs are rewritten. The
-- days with sales of a product from the first moment its valid version differs are queued for the gold job, which
-- costs every sale at the version valid at its event time (marts.daily_product_margin).

CREATE TEMP TABLE new_product_history ON COMMIT DROP AS

WITH

products AS (
    SELECT
        product_id,
        title,
        category,
        price,
        cost,
        currency,
        rating,
        updated_at
    FROM raw.products
),

latest AS (
    SELECT DISTINCT ON (product_id)
        product_id,
        title,
        rating
    FROM products
    ORDER BY product_id ASC, updated_at DESC
),

islands AS (
    -- gaps and islands: the difference of the two row numbers is constant within a run of equal values
    SELECT
        product_id,
        category,
        price,
        cost,
        currency,
        updated_at,
        row_number() OVER (PARTITION BY product_id ORDER BY updated_at)
        - row_number() OVER (PARTITION BY product_id, category, price, cost, currency ORDER BY updated_at) AS island
    FROM products
),

versions AS (
    SELECT
        product_id,
        category,
        price,
        cost,
        currency,
        min(updated_at) AS valid_from
    FROM islands
    GROUP BY product_id, category, price, cost, currency, island
)

SELECT
    versions.product_id,
    (row_number() OVER by_product)::integer AS version,
    versions.category,
    versions.price,
    versions.cost,
    versions.currency,
    latest.title,
    latest.rating,
    versions.valid_from,
    lead(versions.valid_from) OVER by_product AS valid_to,
    lead(versions.valid_from) OVER by_product IS NULL AS is_current
FROM versions
INNER JOIN latest ON versions.product_id = latest.product_id
WINDOW by_product AS (PARTITION BY versions.product_id ORDER BY versions.valid_from);

-- the products whose stored history differs in any column: rewritten below
CREATE TEMP TABLE rewritten_products ON COMMIT DROP AS
SELECT DISTINCT product_id
FROM (
    (
        SELECT * FROM new_product_history
        EXCEPT
        SELECT
            product_id,
            version,
            category,
            price,
            cost,
            currency,
            title,
            rating,
            valid_from,
            valid_to,
            is_current
        FROM marts.product_history
    )
    UNION ALL
    (
        SELECT
            product_id,
            version,
            category,
            price,
            cost,
            currency,
            title,
            rating,
            valid_from,
            valid_to,
            is_current
        FROM marts.product_history
        EXCEPT
        SELECT * FROM new_product_history
    )
) AS differences;

-- from when the version valid at a time differs: a version that only got shorter or longer differs from the earlier of
-- its two ends on, any other one from its start
INSERT INTO pipeline.gold_pending_days (day)

WITH

old_versions AS (
    SELECT
        product_id,
        category,
        price,
        cost,
        currency,
        valid_from,
        valid_to
    FROM marts.product_history
    WHERE product_id IN (SELECT rewritten_products.product_id FROM rewritten_products)
),

new_versions AS (
    SELECT
        product_id,
        category,
        price,
        cost,
        currency,
        valid_from,
        valid_to
    FROM new_product_history
    WHERE product_id IN (SELECT rewritten_products.product_id FROM rewritten_products)
),

changed_from AS (
    SELECT
        coalesce(new_versions.product_id, old_versions.product_id) AS product_id,
        min(
            CASE
                WHEN new_versions.product_id IS NULL THEN old_versions.valid_from
                WHEN old_versions.product_id IS NULL THEN new_versions.valid_from
                ELSE least(new_versions.valid_to, old_versions.valid_to)
            END
        ) AS affected_from
    FROM new_versions
    FULL OUTER JOIN old_versions
        ON
            new_versions.product_id = old_versions.product_id
            AND new_versions.valid_from = old_versions.valid_from
            AND new_versions.category = old_versions.category
            AND new_versions.price = old_versions.price
            AND new_versions.cost IS NOT DISTINCT FROM old_versions.cost
            AND new_versions.currency = old_versions.currency
    WHERE
        new_versions.product_id IS NULL
        OR old_versions.product_id IS NULL
        OR new_versions.valid_to IS DISTINCT FROM old_versions.valid_to
    GROUP BY coalesce(new_versions.product_id, old_versions.product_id)
)

SELECT DISTINCT transactions.event_date
FROM changed_from
INNER JOIN clean.transactions
    ON
        changed_from.product_id = transactions.product_id
        AND changed_from.affected_from <= transactions.event_time;

DELETE FROM marts.product_history
WHERE product_id IN (SELECT product_id FROM rewritten_products);

INSERT INTO marts.product_history (
    product_id, version, category, price, cost, currency, title, rating, valid_from, valid_to, is_current
)
SELECT
    product_id,
    version,
    category,
    price,
    cost,
    currency,
    title,
    rating,
    valid_from,
    valid_to,
    is_current
FROM new_product_history
WHERE product_id IN (SELECT rewritten_products.product_id FROM rewritten_products);
