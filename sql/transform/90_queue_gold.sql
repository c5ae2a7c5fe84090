-- Hand the days and customers this run touched to the gold job (sql/gold, its own schedule): the gold tables are
-- rebuilt per day and per customer, which costs far more than this hourly run (a customer's whole history, a whole
-- day of transactions), so they are refreshed on their own, less frequent schedule from these queues.

INSERT INTO gold_pending_days (day)
SELECT day FROM run_days;

INSERT INTO gold_pending_customers (customer_id)
SELECT customer_id FROM run_customers;
