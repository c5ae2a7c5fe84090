#!/usr/bin/env bash
# bench/deadletters/summary.sh [N]   (after `bash scripts/local-stack.sh up` and `mvn package`)
# The dead-letter summary and the quality report's rejects by rule, before (queries of 2bdfd62) and after (this stop),
# over N synthetic dead letters (1-3 reasons of 6 rules, 90% waiting) in a database migrated to this stop's schema.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."; eval "$(scripts/local-stack.sh env)"; export PGPASSWORD="$PG_PASSWORD"
N=${1:-450000}
source bench/ingest/tool.sh
bench_database ecom_scale scale >/dev/null
bench_tool target/ecom-pipeline.jar "${TMPDIR:-/tmp}/ecom-scale-tool" 256m
bench migrate >/dev/null 2>&1
P="psql_ -d ecom_scale"
$P -c "TRUNCATE pipeline.dead_letters CASCADE; TRUNCATE pipeline.ingest_batches"
$P -c "INSERT INTO pipeline.dead_letters (source, source_topic, source_partition, source_offset, payload, error_class, reasons, status, next_attempt_at, run_id)
SELECT 'events', 'scale', g % 6, g, convert_to(repeat('x', 400), 'UTF8'), CASE WHEN g % 5 = 0 THEN 'malformed' ELSE 'invalid' END,
  (SELECT jsonb_agg(jsonb_build_object('rule', (ARRAY['schema.required','schema.type','rule.amount_positive','storage.out_of_range','rule.currency_known','malformed.json'])[1 + (g * k) % 6], 'field', 'f', 'message', 'a message of some length for realism')) FROM generate_series(1, 1 + g % 3) k),
  CASE WHEN g % 10 = 0 THEN 'recovered' ELSE 'waiting' END, now() + interval '15 minutes', gen_random_uuid()
FROM generate_series(1, $N) g"
# the batches that wrote them: 2000 records, 500 of them dead letters, per batch
$P -c "INSERT INTO pipeline.ingest_batches (run_id, source, received, inserted, duplicates, dead_lettered, offsets, rejects_by_rule, started_at, finished_at)
SELECT gen_random_uuid(), 'events', 2000, 1500, 0, 500, '{}', '{\"schema.required\": 200, \"schema.type\": 180, \"rule.amount_positive\": 150, \"storage.out_of_range\": 120, \"rule.currency_known\": 90, \"malformed.json\": 100}', now() - interval '50 minutes', now() - interval '50 minutes' + (b || ' ms')::interval FROM generate_series(1, $N / 500) b"
$P -c "VACUUM ANALYZE pipeline.dead_letters" -c "VACUUM ANALYZE pipeline.ingest_batches" -c "SELECT pipeline.compact_dead_letter_tallies()" >/dev/null
t() { local best=999999; for i in 1 2 3; do local s=$(date +%s%N); $P -c "$2" >/dev/null; local d=$(( ($(date +%s%N)-s)/1000000 )); (( d < best )) && best=$d; done; printf '%-7s %6d ms  %s\n' "$1" "$best" "${3:-}"; }
echo "dead letters: $($P -c 'select count(*) from pipeline.dead_letters'), tally rows: $($P -c 'select count(*) from pipeline.dead_letter_tallies')"
t psql "SELECT 1" "psql's own start-up and round trip, included in every line"
echo "-- summary (best of 3)"
t before "SELECT status, count(*) FROM pipeline.dead_letters GROUP BY status;
SELECT error_class, count(*) FROM pipeline.dead_letters WHERE status IN ('waiting', 'parked') GROUP BY 1 ORDER BY 2 DESC;
SELECT r->>'rule', count(DISTINCT d.id) FROM pipeline.dead_letters d, jsonb_array_elements(d.reasons) r WHERE d.status IN ('waiting', 'parked') GROUP BY 1 ORDER BY 2 DESC, 1;
SELECT min(first_failed_at), count(*) FILTER (WHERE next_attempt_at <= now()), min(next_attempt_at) FROM pipeline.dead_letters WHERE status = 'waiting'" "2bdfd62: four scans of the store"
t after "SELECT status, sum(letters) FROM pipeline.dead_letter_tallies WHERE rule IS NULL GROUP BY 1 HAVING sum(letters) <> 0;
SELECT error_class, sum(letters) FROM pipeline.dead_letter_tallies WHERE rule IS NULL AND status IN ('waiting', 'parked') GROUP BY 1 HAVING sum(letters) <> 0 ORDER BY 2 DESC, 1;
SELECT rule, sum(letters) FROM pipeline.dead_letter_tallies WHERE rule IS NOT NULL AND status IN ('waiting', 'parked') GROUP BY 1 HAVING sum(letters) <> 0 ORDER BY 2 DESC, 1;
SELECT (SELECT min(first_failed_at) FROM pipeline.dead_letters WHERE status = 'waiting'), (SELECT count(*) FROM pipeline.dead_letters WHERE status = 'waiting' AND next_attempt_at <= now()), (SELECT min(next_attempt_at) FROM pipeline.dead_letters WHERE status = 'waiting')" "this stop: tallies + index lookups"
echo "-- quality report, rejects by rule in the last hour (best of 3)"
t before "SELECT r->>'rule', count(DISTINCT d.id) FROM pipeline.dead_letters d, jsonb_array_elements(d.reasons) r WHERE d.source = 'events' AND d.first_failed_at >= now() - 3600 * interval '1 second' GROUP BY 1 ORDER BY 2 DESC, 1" "2bdfd62: the window's dead letters"
t after "SELECT f.key, sum(f.value::bigint) FROM pipeline.ingest_batches b, jsonb_each_text(b.rejects_by_rule) f WHERE b.source = 'events' AND b.finished_at >= now() - 3600 * interval '1 second' GROUP BY 1 ORDER BY 2 DESC, 1" "this stop: the window's batches"
psql_ -d postgres -c "DROP DATABASE ecom_scale WITH (FORCE)"
