-- FX reference rates: how many units of a currency one euro buys on a UTC day (the ECB's reference-rate convention),
-- so any currency converts to any reporting currency on the event's day: amount * rate(reporting) / rate(currency).
-- The euro itself is 1 on every day and needs no row. A sample (sql/reference/fx_rates_sample.csv, 2025-2026) is
-- loaded by migration 017; replace or extend it with your own rates (docs/metrics.md, "FX rates").
--
-- Changing rates changes converted amounts: every change marks the hours of the changed days for the next transform
-- run (the same queue as raw.events; TRUNCATE marks every hour), so no metric keeps an amount converted at an old rate.

CREATE TABLE raw.fx_rates (
    rate_date date NOT NULL,
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    units_per_eur numeric NOT NULL CHECK (units_per_eur > 0),
    loaded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rate_date, currency),
    CONSTRAINT fx_rates_euro_is_one CHECK (currency <> 'EUR' OR units_per_eur = 1)
);

COMMENT ON TABLE raw.fx_rates IS
'FX reference rates per UTC day: units of currency per 1 EUR. Amounts convert on the event''s UTC day; a currency '
'without a rate on that day is not converted (counted as unconverted). Replace with \copy (docs/metrics.md).';
COMMENT ON COLUMN raw.fx_rates.rate_date IS 'UTC day the rate applies to (the whole day).';
COMMENT ON COLUMN raw.fx_rates.currency IS 'ISO 4217 code of the quoted currency.';
COMMENT ON COLUMN raw.fx_rates.units_per_eur IS 'Units of currency that 1 EUR buys on rate_date (EUR itself: 1).';
COMMENT ON COLUMN raw.fx_rates.loaded_at IS 'When the row was loaded.';

-- Backfill / re-run on request by UTC day: marks every hour of those days that has raw events; returns how many.
CREATE FUNCTION pipeline.transform_request_days(days date[]) RETURNS integer
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    WITH marked AS (
        INSERT INTO pipeline.transform_pending_hours (event_hour)
        SELECT DISTINCT date_bin('1 hour', e.event_time, timestamptz '2000-01-01 00:00:00+00')
        FROM unnest(days) AS d (day)
        INNER JOIN raw.events AS e
            ON e.event_time >= d.day::timestamp AT TIME ZONE 'UTC'
            AND e.event_time < (d.day + 1)::timestamp AT TIME ZONE 'UTC'
        RETURNING 1
    )
    SELECT count(*)::integer FROM marked
$$;

-- The days whose rates changed, for the next transform run (one function for the four triggers; each trigger has its
-- own transition tables, so each operation reads only the ones it has).
CREATE FUNCTION pipeline.fx_mark_changed_days() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pipeline.transform_request_hours('-infinity', 'infinity');
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM pipeline.transform_request_days(ARRAY(SELECT DISTINCT rate_date FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pipeline.transform_request_days(ARRAY(SELECT DISTINCT rate_date FROM old_rows));
    ELSE
        PERFORM pipeline.transform_request_days(ARRAY(SELECT rate_date FROM new_rows UNION SELECT rate_date FROM old_rows));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER fx_rates_mark_inserted_days AFTER INSERT ON raw.fx_rates
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION pipeline.fx_mark_changed_days();
CREATE TRIGGER fx_rates_mark_updated_days AFTER UPDATE ON raw.fx_rates
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION pipeline.fx_mark_changed_days();
CREATE TRIGGER fx_rates_mark_deleted_days AFTER DELETE ON raw.fx_rates
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION pipeline.fx_mark_changed_days();
CREATE TRIGGER fx_rates_mark_truncated AFTER TRUNCATE ON raw.fx_rates
FOR EACH STATEMENT EXECUTE FUNCTION pipeline.fx_mark_changed_days();

-- The reporting currency the warehouse was last built in (REPORTING_CURRENCY). A transform run that finds another
-- one configured requests every hour again, so no table mixes two reporting currencies for long.
CREATE TABLE pipeline.warehouse_settings (
    name text PRIMARY KEY,
    value text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE pipeline.warehouse_settings IS
'Settings the warehouse tables were built with (reporting_currency); a transform run rebuilds all when one changes.';
INSERT INTO pipeline.warehouse_settings (name, value) VALUES ('reporting_currency', 'EUR');
