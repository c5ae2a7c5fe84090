-- Dead letters counted as they change, not by scanning them. The dead-letter summary (GET /api/dead-letters/summary
-- and the ecom_dead_letters* gauges, refreshed every 15 s on every instance) counted the whole store by status, and
-- the waiting and parked entries by error class and by rule with jsonb_array_elements: 0.8 s of one backend for
-- 150,000 waiting entries, growing with the store, in bursts beside ingest on the same cores (BENCHMARKS.md, issue 17
-- seventh stop). Statement-level triggers now add the changes of every statement to a tally, and the summary sums it.

-- Append-only deltas, like pipeline.transform_pending_hours: concurrent batches never wait on each other's counter
-- rows (an upsert into keyed counters would make every batch wait for the other's commit). pipeline
-- .compact_dead_letter_tallies() folds them into one row per key.
CREATE TABLE pipeline.dead_letter_tallies (
    status       text   NOT NULL,
    error_class  text   NOT NULL,
    rule         text,
    letters      bigint NOT NULL
);
COMMENT ON TABLE pipeline.dead_letter_tallies IS
'Counts of pipeline.dead_letters kept by triggers: the sum of letters per (status, error_class) over rows with a null '
'rule is the number of dead letters; per (status, error_class, rule) the number of them with that rule among their '
'reasons (once per rule). Rows are deltas (negative ones too) until folded by pipeline.compact_dead_letter_tallies().';

-- A dead letter counts once under its (status, error class) with a null rule, and once under each distinct rule of
-- its reasons. Written out in each trigger rather than as a set-returning SQL function called per row: measured on
-- 15-row inserts (an ingest batch's dead letters), the function call doubled the trigger's cost (+510 against +225 us
-- per statement over ~790 without a trigger).
CREATE FUNCTION pipeline.dead_letters_tally_inserted() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO pipeline.dead_letter_tallies (status, error_class, rule, letters)
    SELECT added.status, added.error_class, NULL, count(*)
    FROM new_rows AS added
    GROUP BY added.status, added.error_class
    UNION ALL
    SELECT rules.status, rules.error_class, rules.rule, count(*)
    FROM (
        SELECT DISTINCT added.id, added.status, added.error_class, coalesce(reason ->> 'rule', 'unknown') AS rule
        FROM new_rows AS added
        CROSS JOIN LATERAL jsonb_array_elements(
            CASE jsonb_typeof(added.reasons) WHEN 'array' THEN added.reasons ELSE '[]'::jsonb END) AS reason
    ) AS rules
    GROUP BY rules.status, rules.error_class, rules.rule;
    RETURN NULL;
END
$$;

-- Only what changed is written: an update that keeps status, error class and rules (a redelivery attempt that fails
-- again for the same reasons) nets to nothing.
CREATE FUNCTION pipeline.dead_letters_tally_updated() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    WITH letters AS (
        SELECT letter.id, letter.status, letter.error_class, letter.reasons, -1 AS sign
        FROM old_rows AS letter
        UNION ALL
        SELECT letter.id, letter.status, letter.error_class, letter.reasons, 1 AS sign
        FROM new_rows AS letter
    ),

    rules AS (
        SELECT DISTINCT letters.id, letters.sign, letters.status, letters.error_class,
            coalesce(reason ->> 'rule', 'unknown') AS rule
        FROM letters
        CROSS JOIN LATERAL jsonb_array_elements(
            CASE jsonb_typeof(letters.reasons) WHEN 'array' THEN letters.reasons ELSE '[]'::jsonb END) AS reason
    ),

    changes AS (
        SELECT letters.status, letters.error_class, NULL AS rule, letters.sign FROM letters
        UNION ALL
        SELECT rules.status, rules.error_class, rules.rule, rules.sign FROM rules
    )

    INSERT INTO pipeline.dead_letter_tallies (status, error_class, rule, letters)
    SELECT changes.status, changes.error_class, changes.rule, sum(changes.sign)
    FROM changes
    GROUP BY changes.status, changes.error_class, changes.rule
    HAVING sum(changes.sign) <> 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION pipeline.dead_letters_tally_deleted() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO pipeline.dead_letter_tallies (status, error_class, rule, letters)
    SELECT removed.status, removed.error_class, NULL, -count(*)
    FROM old_rows AS removed
    GROUP BY removed.status, removed.error_class
    UNION ALL
    SELECT rules.status, rules.error_class, rules.rule, -count(*)
    FROM (
        SELECT DISTINCT removed.id, removed.status, removed.error_class, coalesce(reason ->> 'rule', 'unknown') AS rule
        FROM old_rows AS removed
        CROSS JOIN LATERAL jsonb_array_elements(
            CASE jsonb_typeof(removed.reasons) WHEN 'array' THEN removed.reasons ELSE '[]'::jsonb END) AS reason
    ) AS rules
    GROUP BY rules.status, rules.error_class, rules.rule;
    RETURN NULL;
END
$$;

CREATE FUNCTION pipeline.dead_letters_tally_truncated() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM pipeline.dead_letter_tallies;
    RETURN NULL;
END
$$;

CREATE TRIGGER dead_letters_tally_inserted AFTER INSERT ON pipeline.dead_letters
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pipeline.dead_letters_tally_inserted();
CREATE TRIGGER dead_letters_tally_updated AFTER UPDATE ON pipeline.dead_letters
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pipeline.dead_letters_tally_updated();
CREATE TRIGGER dead_letters_tally_deleted AFTER DELETE ON pipeline.dead_letters
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pipeline.dead_letters_tally_deleted();
CREATE TRIGGER dead_letters_tally_truncated AFTER TRUNCATE ON pipeline.dead_letters
    FOR EACH STATEMENT EXECUTE FUNCTION pipeline.dead_letters_tally_truncated();

-- Folds the deltas into one row per key (dropping keys that net to zero); returns how many rows it folded. Safe beside
-- writers and another compaction: the DELETE takes only rows committed before it started, each exactly once.
CREATE FUNCTION pipeline.compact_dead_letter_tallies() RETURNS integer
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    WITH folded AS (
        DELETE FROM pipeline.dead_letter_tallies
        RETURNING status, error_class, rule, letters
    ),

    summed AS (
        INSERT INTO pipeline.dead_letter_tallies (status, error_class, rule, letters)
        SELECT folded.status, folded.error_class, folded.rule, sum(folded.letters)
        FROM folded
        GROUP BY folded.status, folded.error_class, folded.rule
        HAVING sum(folded.letters) <> 0
    )

    SELECT count(*)::integer FROM folded
$$;
COMMENT ON FUNCTION pipeline.compact_dead_letter_tallies() IS
'Folds the deltas of pipeline.dead_letter_tallies into one row per key; returns how many rows it folded.';

-- The oldest waiting entry, read by the summary, without a walk over the resolved ones.
CREATE INDEX dead_letters_waiting_since_idx ON pipeline.dead_letters (first_failed_at) WHERE status = 'waiting';

-- What the store already holds. The triggers above exist in this same transaction and CREATE TRIGGER blocks concurrent
-- writes until it commits, so nothing is counted twice or missed.
INSERT INTO pipeline.dead_letter_tallies (status, error_class, rule, letters)
SELECT existing.status, existing.error_class, NULL, count(*)
FROM pipeline.dead_letters AS existing
GROUP BY existing.status, existing.error_class
UNION ALL
SELECT rules.status, rules.error_class, rules.rule, count(*)
FROM (
    SELECT DISTINCT existing.id, existing.status, existing.error_class, coalesce(reason ->> 'rule', 'unknown') AS rule
    FROM pipeline.dead_letters AS existing
    CROSS JOIN LATERAL jsonb_array_elements(
        CASE jsonb_typeof(existing.reasons) WHEN 'array' THEN existing.reasons ELSE '[]'::jsonb END) AS reason
) AS rules
GROUP BY rules.status, rules.error_class, rules.rule;
