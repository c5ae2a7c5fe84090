-- Dead letters counted as they change, not by scanning them. The dead-letter summary (GET /api/dead-letters/summary
-- and the ecom_dead_letters* gauges, refreshed every 15 s on every instance) counted the whole store by status, and
-- the waiting and parked entries by error class and by rule with jsonb_array_elements: 0.8 s of one backend for
-- 150,000 waiting entries, growing with the store, in bursts beside ingest on the same cores (BENCHMARKS.md, issue 17
-- seventh stop). Statement-level triggers now add the changes of every statement to a tally, and the summary sums it.

-- Append-only deltas, like pipeline.transform_pending_hours: concurrent batches never wait on each other's counter
-- rows (an upsert into keyed counters would make every batch wait for the other's commit). pipeline
-- .compact_dead_letter_tallies() folds them into one row per key.
CREATE TABLE pipeline.dead_letter_tallies (
    status text NOT NULL,
    error_class text NOT NULL,
    rule text,
    letters bigint NOT NULL
);
COMMENT ON TABLE pipeline.dead_letter_tallies IS
'Counts of pipeline.dead_letters kept by triggers: the sum of letters per (status, error_class) over rows with a null '
'rule is the number of dead letters; per (status, error_class, rule) the number of them with that rule among their '
'reasons (once per rule). Rows are deltas (negative ones too) until folded by pipeline.compact_dead_letter_tallies().';

-- The keys a dead letter counts under, from its reasons: a null rule (the letter itself) and each distinct rule. A
-- SQL-standard body without SET options, so the planner inlines it into the triggers' queries: measured on 15-row
-- inserts (an ingest batch's dead letters), the same function called per row (with SET search_path, which prevents
-- inlining) doubled the trigger's cost (+510 against +225 us per statement over ~790 without a trigger).
CREATE FUNCTION pipeline.dead_letter_tally_rules(reasons jsonb) RETURNS TABLE (rule text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT NULL::text
    UNION ALL
    SELECT DISTINCT coalesce(reason ->> 'rule', 'unknown')
    FROM jsonb_array_elements(CASE jsonb_typeof(reasons) WHEN 'array' THEN reasons ELSE '[]'::jsonb END) AS reason;
END;

CREATE FUNCTION pipeline.dead_letters_tally_inserted() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO pipeline.dead_letter_tallies (status, error_class, rule, letters)
    SELECT added.status, added.error_class, keys.rule, count(*)
    FROM new_rows AS added
    CROSS JOIN LATERAL pipeline.dead_letter_tally_rules(added.reasons) AS keys
    GROUP BY added.status, added.error_class, keys.rule;
    RETURN NULL;
END
$$;

-- Only what changed is written: an update that keeps status, error class and rules (a redelivery attempt that fails
-- again for the same reasons) nets to nothing.
CREATE FUNCTION pipeline.dead_letters_tally_updated() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO pipeline.dead_letter_tallies (status, error_class, rule, letters)
    SELECT changed.status, changed.error_class, keys.rule, sum(changed.sign)
    FROM (
        SELECT removed.status, removed.error_class, removed.reasons, -1 AS sign FROM old_rows AS removed
        UNION ALL
        SELECT added.status, added.error_class, added.reasons, 1 AS sign FROM new_rows AS added
    ) AS changed
    CROSS JOIN LATERAL pipeline.dead_letter_tally_rules(changed.reasons) AS keys
    GROUP BY changed.status, changed.error_class, keys.rule
    HAVING sum(changed.sign) <> 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION pipeline.dead_letters_tally_deleted() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO pipeline.dead_letter_tallies (status, error_class, rule, letters)
    SELECT removed.status, removed.error_class, keys.rule, -count(*)
    FROM old_rows AS removed
    CROSS JOIN LATERAL pipeline.dead_letter_tally_rules(removed.reasons) AS keys
    GROUP BY removed.status, removed.error_class, keys.rule;
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
SELECT
    existing.status,
    existing.error_class,
    keys.rule,
    count(*) AS letters
FROM pipeline.dead_letters AS existing
CROSS JOIN LATERAL pipeline.dead_letter_tally_rules(existing.reasons) AS keys
GROUP BY existing.status, existing.error_class, keys.rule;
