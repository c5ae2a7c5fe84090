"""Seed-style baseline (seed 004's psqlConsumer.py + streamProcessor.py in one process).

A plain Python consumer: confluent-kafka + psycopg2, poll() one message at a time, simple validation (the seed's
rules, adapted to the canonical event), buffer of 500 valid events, one `execute_batch` of
INSERT ... ON CONFLICT (event_id) DO NOTHING and one commit per batch, Kafka offsets committed after the DB commit.
Invalid events are counted and dropped, as in the seed (no dead-letter store).

To compare like with like it writes the same columns (payload as jsonb, Kafka origin, run id) into a scratch table
shaped like raw.events (LIKE raw.events INCLUDING ALL), instead of the seed's narrower six-column table.

    python baseline_consumer.py --topic T --expect N --table bench_baseline_x

Prints one line "RESULT {json}" (the same shape as bench/ingest/IngestBench.java).
"""
import argparse
import json
import os
import resource
import sys
import time
import uuid

import psycopg2
import psycopg2.extras
from confluent_kafka import Consumer

BATCH_SIZE = 500
EVENT_TYPES = {"PAGE_VIEW", "ADD_TO_CART", "PURCHASE", "REFUND"}

COLUMNS = ("event_id, event_type, event_time, source, session_id, customer_id, customer_email, customer_country, "
           "customer_tier, product_id, product_name, product_category, product_price, product_currency, "
           "transaction_id, amount, quantity, currency, payment_method, payment_status, payload, kafka_topic, "
           "kafka_partition, kafka_offset, run_id")


def validate(event):
    """The seed's checks (customer id, event type, positive amount, currency present), on the canonical event."""
    if not isinstance(event, dict):
        return False
    if not event.get("event_id") or not event.get("event_time"):
        return False
    try:
        uuid.UUID(str(event["event_id"]))  # the key column is a uuid: a bad one would abort the whole batch
    except ValueError:
        return False
    customer = event.get("customer")
    if not isinstance(customer, dict) or not customer.get("customer_id"):
        return False
    if event.get("event_type") not in EVENT_TYPES:
        return False
    tx = event.get("transaction")
    if event.get("event_type") in ("PURCHASE", "REFUND"):
        if not isinstance(tx, dict):
            return False
        amount = tx.get("amount")
        if not isinstance(amount, (int, float)) or amount <= 0:
            return False
        if not tx.get("currency"):
            return False
    return True


def storable(event, raw):
    """PostgreSQL takes neither a NUL nor a lone UTF-16 surrogate in text or jsonb; both can only come as \\u escapes.

    Such an event would abort the whole batch (psycopg2 cannot even encode a lone surrogate), so it counts as invalid,
    as the runtime dead-letters it. Only events with an escape are walked, to keep the common path cheap.
    """
    if b"\\u" not in raw:
        return True

    def ok(value):
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
            return "\x00" not in value
        if isinstance(value, dict):
            return all(ok(k) and ok(v) for k, v in value.items())
        if isinstance(value, list):
            return all(ok(v) for v in value)
        return True

    return ok(event)


def row(event, raw, msg, run_id):
    c = event.get("customer") or {}
    p = event.get("product") or {}
    t = event.get("transaction") or {}
    return (event["event_id"], event["event_type"], event["event_time"], event.get("source"), event.get("session_id"),
            c.get("customer_id"), c.get("email"), c.get("country"), c.get("tier"),
            p.get("product_id"), p.get("name"), p.get("category"), p.get("price"), p.get("currency"),
            t.get("transaction_id"), t.get("amount"), t.get("quantity"), t.get("currency"), t.get("payment_method"),
            t.get("payment_status"), raw, msg.topic(), msg.partition(), msg.offset(), run_id)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--topic", required=True)
    ap.add_argument("--expect", type=int, required=True)
    ap.add_argument("--table", required=True)
    args = ap.parse_args()

    url = os.environ.get("PG_URL", "jdbc:postgresql://127.0.0.1:5432/ecom").replace("jdbc:postgresql://", "")
    hostport, dbname = url.split("/", 1)
    host, port = hostport.split(":")
    conn = psycopg2.connect(host=host, port=port, dbname=dbname.split("?")[0],
                            user=os.environ.get("PG_USER", "ecom"), password=os.environ.get("PG_PASSWORD", ""))
    with conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {args.table}")
        cur.execute(f"CREATE TABLE {args.table} (LIKE raw.events INCLUDING ALL)")
    conn.commit()
    insert = (f"INSERT INTO {args.table} ({COLUMNS}) VALUES ({', '.join(['%s'] * 25)}) "
              "ON CONFLICT (event_id) DO NOTHING")

    consumer = Consumer({
        "bootstrap.servers": os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        "group.id": "bench-baseline-" + uuid.uuid4().hex,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    consumer.subscribe([args.topic])
    run_id = str(uuid.uuid4())
    buffer = []
    seen = valid = invalid = 0
    first = None
    cpu0 = os.times()

    def flush():
        with conn.cursor() as cur:
            psycopg2.extras.execute_batch(cur, insert, buffer, page_size=BATCH_SIZE)
        conn.commit()
        consumer.commit(asynchronous=False)  # offsets only after the rows are durable
        buffer.clear()

    deadline = time.monotonic() + 1800
    while seen < args.expect and time.monotonic() < deadline:
        msg = consumer.poll(1.0)
        if msg is None:
            continue
        if msg.error():
            print(f"kafka error: {msg.error()}", file=sys.stderr)
            continue
        if first is None:
            first = time.monotonic()
        seen += 1
        raw = msg.value()
        try:
            event = json.loads(raw)
            ok = validate(event) and storable(event, raw)
        except (ValueError, TypeError):
            ok = False
        if ok:
            valid += 1
            buffer.append(row(event, raw.decode("utf-8"), msg, run_id))
            if len(buffer) >= BATCH_SIZE:
                flush()
        else:
            invalid += 1
            if seen == args.expect and buffer:
                flush()
            continue
        if seen == args.expect and buffer:
            flush()
    if buffer:
        flush()
    seconds = time.monotonic() - first
    cpu1 = os.times()
    with conn.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {args.table}")
        rows = cur.fetchone()[0]
        cur.execute(f"DROP TABLE {args.table}")
    conn.commit()
    consumer.close()
    conn.close()
    result = {"contender": "baseline", "events": seen, "rows": rows, "dropped_invalid": invalid,
              "seconds": round(seconds, 4), "eps": round(seen / seconds, 4),
              "cpu_s": round((cpu1.user - cpu0.user) + (cpu1.system - cpu0.system), 4),
              "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
    print("RESULT " + json.dumps(result, separators=(",", ":")))


if __name__ == "__main__":
    main()
