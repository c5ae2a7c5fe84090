-- Incremental transformations: which event hours must be recomputed, what still has to reach Elasticsearch, and a
-- record of every transformation and indexing run.
--
-- Hours are UTC hours everywhere, so the session time zone never shifts a bucket. The triggers compute them with
-- date_bin('1 hour', event_time, '2000-01-01 00:00:00+00'), which equals date_trunc('hour', event_time, 'UTC') but is
-- plain arithmetic (about 3x cheaper per row than date_trunc with a time zone name: it runs on every ingested row).

-- Event hours whose raw events changed since they were last transformed. Append-only on the ingest side: one row per
-- distinct event hour per statement, no unique key, so concurrent ingest batches never wait on each other nor on a
-- running transformation (an upsert into a keyed table would make every batch of the same hour wait for the other
-- batch's commit, and for a run that is claiming that hour). Late events mark their own, older hour. A run claims
-- the rows visible to it with DELETE ... RETURNING in its own transaction; rows committed after that stay for the
-- next run. No watermark on ingested_at: transactions commit out of order, a watermark would skip rows.
CREATE TABLE transform_pending_hours (
    event_hour  timestamptz NOT NULL,
    marked_at   timestamptz NOT NULL DEFAULT now()
);

-- Statement-level triggers: one INSERT ... SELECT DISTINCT over the statement's transition table, i.e. a hash of a
-- batch's event hours and usually one or two inserted rows per 2000-row batch. Rows skipped by ON CONFLICT DO NOTHING
-- are not in the transition table, so a replayed event marks nothing.
-- SET search_path FROM CURRENT: the functions find their tables whatever search_path the inserting session has.
CREATE FUNCTION transform_mark_inserted_hours() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO transform_pending_hours (event_hour)
    SELECT DISTINCT date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') FROM new_rows;
    RETURN NULL;
END
$$;

CREATE FUNCTION transform_mark_updated_hours() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO transform_pending_hours (event_hour)
    SELECT date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') FROM old_rows
    UNION
    SELECT date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') FROM new_rows;
    RETURN NULL;
END
$$;

CREATE FUNCTION transform_mark_deleted_hours() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO transform_pending_hours (event_hour)
    SELECT DISTINCT date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') FROM old_rows;
    RETURN NULL;
END
$$;

CREATE TRIGGER raw_events_mark_inserted_hours AFTER INSERT ON raw_events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION transform_mark_inserted_hours();
CREATE TRIGGER raw_events_mark_updated_hours AFTER UPDATE ON raw_events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION transform_mark_updated_hours();
CREATE TRIGGER raw_events_mark_deleted_hours AFTER DELETE ON raw_events
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION transform_mark_deleted_hours();
-- (TRUNCATE has no transition table: after TRUNCATE raw_events, truncate the derived tables too.)

-- Everything already in raw_events is pending once. The triggers above exist in this same transaction and CREATE
-- TRIGGER blocks concurrent inserts until it commits, so no row is missed between the two.
INSERT INTO transform_pending_hours (event_hour)
SELECT DISTINCT date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') FROM raw_events;

-- Backfill / re-run on request (after changing a transformation or the late threshold): marks every hour in
-- [from_time, to_time) that has raw events. Returns the number of hours marked.
CREATE FUNCTION transform_request_hours(from_time timestamptz, to_time timestamptz) RETURNS integer
LANGUAGE sql SET search_path FROM CURRENT AS $$
    WITH marked AS (
        INSERT INTO transform_pending_hours (event_hour)
        SELECT DISTINCT date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') FROM raw_events
        WHERE event_time >= from_time AND event_time < to_time
        RETURNING 1
    )
    SELECT count(*)::integer FROM marked
$$;

-- Hours whose hourly_metrics changed and are not yet confirmed by Elasticsearch. Written by the transformation run in
-- its own transaction (so a committed run can never lose its indexing), removed only after a bulk response without
-- an error for that hour, and only if the hour was not recomputed meanwhile (generation unchanged).
CREATE SEQUENCE es_pending_generation_seq;
CREATE TABLE es_pending_hours (
    event_hour  timestamptz PRIMARY KEY,
    generation  bigint      NOT NULL DEFAULT nextval('es_pending_generation_seq'),
    queued_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per transformation or indexing run, whatever its outcome.
CREATE TABLE transform_runs (
    run_id         text        PRIMARY KEY,            -- the job run id (transform-<uuid>, index-<uuid>, gold-<uuid>)
    job            text        NOT NULL CHECK (job IN ('transform', 'index', 'gold')),
    trigger        text,                               -- schedule, http, test, ...
    instance       text        NOT NULL,               -- pid@host of the runtime that ran it
    status         text        NOT NULL
                               CHECK (status IN ('running', 'succeeded', 'failed', 'skipped', 'abandoned')),
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    hours_touched  integer,                            -- distinct event hours recomputed (gold: days)
    hours          timestamptz[],                      -- exactly which ones (gold: the days' starts)
    customers      integer,                            -- gold: customers rebuilt
    rows_affected  bigint,                             -- sum of the DML row counts of all transformation files
    steps          jsonb,                              -- per file: [{"file", "rows", "ms"}]
    index_status   text,                               -- indexed, failed, deferred, up_to_date
    indexed_docs   integer,
    deleted_docs   integer,
    index_pending  integer,                            -- hours still waiting for Elasticsearch afterwards
    index_error    text,
    error          text
);

CREATE INDEX transform_runs_started_at_idx ON transform_runs (started_at);
