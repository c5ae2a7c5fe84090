-- Every amount also in the reporting currency (REPORTING_CURRENCY, default EUR), converted once per transaction at
-- the rate of its UTC event day (raw.fx_rates) by sql/transform/10_clean_transactions.sql, and rounded to cents. A
-- transaction whose currency (or the reporting currency) has no rate that day keeps null converted amounts and
-- is_converted = false: the marts leave it out of their sums and count it as unconverted.
--
-- Pending and failed purchases get their flags too: they are counted, never summed into revenue.
-- Rebuilt rather than backfilled, like migration 014: emptied here, recomputed at the next transform run.

TRUNCATE clean.transactions;

ALTER TABLE clean.transactions
ADD COLUMN is_pending_order boolean NOT NULL,
ADD COLUMN is_failed_order boolean NOT NULL,
ADD COLUMN reporting_currency text NOT NULL,
ADD COLUMN fx_rate numeric,
ADD COLUMN is_converted boolean NOT NULL,
ADD COLUMN gross_amount_reporting numeric,
ADD COLUMN refund_amount_reporting numeric,
ADD COLUMN net_amount_reporting numeric,
ADD CONSTRAINT transactions_converted_check CHECK (
    is_converted = (fx_rate IS NOT NULL)
    AND is_converted = (gross_amount_reporting IS NOT NULL)
    AND is_converted = (refund_amount_reporting IS NOT NULL)
    AND is_converted = (net_amount_reporting IS NOT NULL)
);

COMMENT ON COLUMN clean.transactions.is_pending_order IS 'A PURCHASE with payment status PENDING.';
COMMENT ON COLUMN clean.transactions.is_failed_order IS 'A PURCHASE with payment status FAILED.';
COMMENT ON COLUMN clean.transactions.reporting_currency IS
'The reporting currency (REPORTING_CURRENCY) of the _reporting columns.';
COMMENT ON COLUMN clean.transactions.fx_rate IS
'Units of reporting_currency per unit of currency on event_date (1 when they are the same); null without a rate.';
COMMENT ON COLUMN clean.transactions.is_converted IS
'fx_rate is known: the _reporting amounts are set and the row counts in reporting-currency sums.';
COMMENT ON COLUMN clean.transactions.gross_amount_reporting IS
'round(gross_amount * fx_rate, 2): in reporting_currency; null when not converted.';
COMMENT ON COLUMN clean.transactions.refund_amount_reporting IS
'round(refund_amount * fx_rate, 2): positive, in reporting_currency; null when not converted.';
COMMENT ON COLUMN clean.transactions.net_amount_reporting IS
'gross_amount_reporting - refund_amount_reporting; null when not converted.';

-- the quality report's FX coverage check reads the (few) unconverted rows of recent days
CREATE INDEX transactions_unconverted_idx ON clean.transactions (event_date) WHERE NOT is_converted;

SELECT pipeline.transform_request_hours('-infinity', 'infinity');
