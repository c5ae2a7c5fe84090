-- The expressions every mart repeated ("is it an order", "paid purchase amount", "refund amount", "net", "units",
-- "5-minute window") become columns of the clean layer, computed once by sql/transform/10_clean_transactions.sql and
-- summed by the marts.
--
-- The clean layer is derived from raw.events and holds nothing of its own, so it is emptied and rebuilt rather than
-- backfilled with a second copy of the definitions: the columns can be NOT NULL, and the next transform run
-- recomputes every hour (requested below), whose marts come out unchanged. Until that run, the marts keep their rows.

TRUNCATE clean.transactions;

ALTER TABLE clean.transactions
ADD COLUMN window_start timestamptz NOT NULL,
ADD COLUMN is_order boolean NOT NULL,
ADD COLUMN is_paid_order boolean NOT NULL,
ADD COLUMN is_refund boolean NOT NULL,
ADD COLUMN ordered_units integer NOT NULL,
ADD COLUMN gross_amount numeric NOT NULL,
ADD COLUMN refund_amount numeric NOT NULL,
ADD COLUMN net_amount numeric NOT NULL;

SELECT pipeline.transform_request_hours('-infinity', 'infinity');
