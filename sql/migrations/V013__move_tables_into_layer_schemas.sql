-- Layers you can see: one PostgreSQL schema per layer instead of everything in public.
--   raw       events exactly as they arrived (raw.events)
--   pipeline  the pipeline's own bookkeeping: dead letters, ingest batches, job runs, work queues
--   clean     typed, derived per-event rows (clean.transactions)
--   marts     what analysts, Elasticsearch and Kibana read (hourly_metrics, windows, revenue, gold tables)
-- Tables move with their rows, keys, indexes, owned sequences and triggers (ALTER TABLE ... SET SCHEMA), so this runs
-- the same on an empty database and on one full of data. Indexes and constraints of renamed tables are renamed with
-- them; dead_letters keeps dead_letters_origin_key (ON CONFLICT ON CONSTRAINT names it). Function bodies are text and
-- would still name the old tables, so the trigger functions and transform_request_hours are recreated in pipeline
-- with schema-qualified names. Flyway's own history table stays in public.

CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS pipeline;
CREATE SCHEMA IF NOT EXISTS clean;
CREATE SCHEMA IF NOT EXISTS marts;

-- recreated as marts.customer_rfm_segments by R__customer_rfm_segments.sql, which runs after this migration
DROP VIEW IF EXISTS public.customer_rfm_segments;

-- raw --------------------------------------------------------------------------------------------------------------
ALTER TABLE public.raw_events SET SCHEMA raw;
ALTER TABLE raw.raw_events RENAME TO events;
ALTER INDEX raw.raw_events_pkey RENAME TO events_pkey;
ALTER INDEX raw.raw_events_event_time_idx RENAME TO events_event_time_idx;

-- pipeline ---------------------------------------------------------------------------------------------------------
ALTER TABLE public.dead_letters SET SCHEMA pipeline;
ALTER TABLE public.dead_letter_attempts SET SCHEMA pipeline;
ALTER TABLE public.ingest_batches SET SCHEMA pipeline;
ALTER TABLE public.transform_pending_hours SET SCHEMA pipeline;
ALTER TABLE public.es_pending_hours SET SCHEMA pipeline;
-- not owned by a column (it is es_pending_hours.generation's default), so it does not move with the table
ALTER SEQUENCE public.es_pending_generation_seq SET SCHEMA pipeline;
ALTER TABLE public.gold_pending_days SET SCHEMA pipeline;
ALTER TABLE public.gold_pending_customers SET SCHEMA pipeline;

-- one run table for every job (transform, gold, index), so it is named for that
ALTER TABLE public.transform_runs SET SCHEMA pipeline;
ALTER TABLE pipeline.transform_runs RENAME TO job_runs;
ALTER INDEX pipeline.transform_runs_pkey RENAME TO job_runs_pkey;
ALTER INDEX pipeline.transform_runs_started_at_idx RENAME TO job_runs_started_at_idx;
ALTER TABLE pipeline.job_runs RENAME CONSTRAINT transform_runs_job_check TO job_runs_job_check;
ALTER TABLE pipeline.job_runs RENAME CONSTRAINT transform_runs_status_check TO job_runs_status_check;

-- clean ------------------------------------------------------------------------------------------------------------
ALTER TABLE public.transactions_clean SET SCHEMA clean;
ALTER TABLE clean.transactions_clean RENAME TO transactions;
ALTER INDEX clean.transactions_clean_pkey RENAME TO transactions_pkey;
ALTER INDEX clean.transactions_clean_event_time_idx RENAME TO transactions_event_time_idx;
ALTER INDEX clean.transactions_clean_customer_id_idx RENAME TO transactions_customer_id_idx;
ALTER INDEX clean.transactions_clean_is_late_idx RENAME TO transactions_is_late_idx;
ALTER TABLE clean.transactions RENAME CONSTRAINT transactions_clean_event_type_check TO transactions_event_type_check;

-- marts ------------------------------------------------------------------------------------------------------------
ALTER TABLE public.hourly_metrics SET SCHEMA marts;
ALTER TABLE public.window_orders_by_category SET SCHEMA marts;
ALTER TABLE public.window_payment_methods SET SCHEMA marts;
ALTER TABLE public.window_country_revenue SET SCHEMA marts;
ALTER TABLE public.hourly_revenue SET SCHEMA marts;
ALTER TABLE public.daily_revenue SET SCHEMA marts;
ALTER TABLE public.daily_product_performance SET SCHEMA marts;
ALTER TABLE public.customer_tier_history SET SCHEMA marts;
ALTER TABLE public.customer_rfm SET SCHEMA marts;

-- pending hours: the same statement-level triggers as V010, with qualified names ----------------------------------
-- The triggers moved with raw.events but still call the old functions, whose bodies name transform_pending_hours
-- unqualified. New functions live in pipeline and name every table with its schema; search_path is pinned so that
-- nothing an inserting session sets can redirect them. (new_rows / old_rows are transition tables: they are found by
-- name whatever the search_path.)
CREATE FUNCTION pipeline.transform_mark_inserted_hours() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO pipeline.transform_pending_hours (event_hour)
    SELECT DISTINCT date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') FROM new_rows;
    RETURN NULL;
END
$$;

CREATE FUNCTION pipeline.transform_mark_updated_hours() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO pipeline.transform_pending_hours (event_hour)
    SELECT date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') FROM old_rows
    UNION
    SELECT date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') FROM new_rows;
    RETURN NULL;
END
$$;

CREATE FUNCTION pipeline.transform_mark_deleted_hours() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO pipeline.transform_pending_hours (event_hour)
    SELECT DISTINCT date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') FROM old_rows;
    RETURN NULL;
END
$$;

-- dropped and created in this one transaction: ingest waits on the table lock, no inserted row goes unmarked
DROP TRIGGER raw_events_mark_inserted_hours ON raw.events;
DROP TRIGGER raw_events_mark_updated_hours ON raw.events;
DROP TRIGGER raw_events_mark_deleted_hours ON raw.events;

CREATE TRIGGER events_mark_inserted_hours AFTER INSERT ON raw.events
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION pipeline.transform_mark_inserted_hours();
CREATE TRIGGER events_mark_updated_hours AFTER UPDATE ON raw.events
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION pipeline.transform_mark_updated_hours();
CREATE TRIGGER events_mark_deleted_hours AFTER DELETE ON raw.events
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION pipeline.transform_mark_deleted_hours();

DROP FUNCTION public.transform_mark_inserted_hours();
DROP FUNCTION public.transform_mark_updated_hours();
DROP FUNCTION public.transform_mark_deleted_hours();

-- Backfill / re-run on request (after changing a transformation, the late threshold or FX rates): marks every hour in
-- [from_time, to_time) that has raw events. Returns the number of hours marked.
CREATE FUNCTION pipeline.transform_request_hours(from_time timestamptz, to_time timestamptz) RETURNS integer
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    WITH marked AS (
        INSERT INTO pipeline.transform_pending_hours (event_hour)
        SELECT DISTINCT date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') FROM raw.events
        WHERE event_time >= from_time AND event_time < to_time
        RETURNING 1
    )
    SELECT count(*)::integer FROM marked
$$;

DROP FUNCTION public.transform_request_hours(timestamptz, timestamptz);
