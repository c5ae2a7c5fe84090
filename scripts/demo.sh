#!/usr/bin/env bash
# demo.sh — the whole pipeline end to end on real local services, from a fresh Debian machine without Docker:
# starts Kafka, PostgreSQL and Elasticsearch (scripts/local-stack.sh), builds the jar, starts the runtime,
# publishes synthetic events (~25% invalid) plus the products, campaigns and inventory consistent with them, and prints
# what landed (one line per source: rows, dead letters), reasons by rule, then the hourly metrics with net revenue in
# the reporting currency (REPORTING_CURRENCY, default EUR), the session funnel and a few rows of the warehouse of the
# sources (inventory health, campaign ROI). Metric definitions: docs/metrics.md.
#
#   scripts/demo.sh [--count N] [--invalid SHARE] [--days N]   run the demo (the runtime keeps running afterwards);
#                                                              --days spreads event times over the past N days
#   scripts/demo.sh stop                            stop the runtime the demo started
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$REPO/.local"
PIDFILE="$LOCAL/run/runtime.pid"
LOG="$LOCAL/logs/runtime.log"
COUNT=5000
INVALID=0.25
DAYS=0
PRODUCTS=500

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

stop_runtime() {
  if [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    local pid; pid="$(cat "$PIDFILE")"
    kill -TERM "$pid"
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && die "runtime (pid $pid) did not stop within 60 s"
    echo "runtime stopped (pid $pid)"
  fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  stop) stop_runtime; exit 0 ;;
  -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
esac
while [[ $# -gt 0 ]]; do
  case "$1" in
    --count) COUNT="$2"; shift 2 ;;
    --invalid) INVALID="$2"; shift 2 ;;
    --days) DAYS="$2"; shift 2 ;;
    *) die "unknown argument $1 (try --help)" ;;
  esac
done

source "$REPO/scripts/lib/prereqs.sh"
ensure_prereqs || die "missing tools (see above)"

say "1/7 local services (Kafka, PostgreSQL, Elasticsearch)"
bash "$REPO/scripts/local-stack.sh" up
eval "$(bash "$REPO/scripts/local-stack.sh" env)"
export PGPASSWORD="$PG_PASSWORD"
psql_q() { psql -h 127.0.0.1 -p "${PG_PORT:-5432}" -U "$PG_USER" -d "${PG_DATABASE:-ecom}" -v ON_ERROR_STOP=1 -qAt "$@"; }

say "2/7 build"
(cd "$REPO" && mvn -q -B package -DskipTests)

say "3/7 runtime"
stop_runtime
mkdir -p "$LOCAL/run" "$LOCAL/logs"
RUN_ID="$(cat /proc/sys/kernel/random/uuid)"
export PIPELINE_RUN_ID="$RUN_ID" PIPELINE_PROGRESS_INTERVAL_MS=2000
# documented development credentials for the REST and management APIs (refused without PIPELINE_DEV_MODE)
export PIPELINE_DEV_MODE="${PIPELINE_DEV_MODE:-true}" PIPELINE_API_USER="${PIPELINE_API_USER:-operator}"
export PIPELINE_API_PASSWORD="${PIPELINE_API_PASSWORD:-dev-only-password}"
nohup "$REPO/bin/ecom-pipeline" >"$LOG" 2>&1 &   # the launcher: measured JVM defaults, JDK 25+ when installed
echo $! >"$PIDFILE"
for _ in $(seq 1 240); do
  grep -q "started in" "$LOG" && break
  kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { tail -20 "$LOG"; die "runtime exited during start-up (log: $LOG)"; }
  sleep 0.5
done
grep -q "started in" "$LOG" || die "runtime did not start within 120 s (log: $LOG)"
echo "runtime running: pid $(cat "$PIDFILE"), run id $RUN_ID, log $LOG"

say "4/7 publish $COUNT synthetic events (invalid share $INVALID) to $KAFKA_TOPIC, with products, campaigns, inventory"
java -jar "$REPO/target/ecom-pipeline.jar" generate --with-sources --products "$PRODUCTS" \
  --count "$COUNT" --invalid "$INVALID" --days "$DAYS" --seed "$(date +%s%N)" --topic "$KAFKA_TOPIC" \
  --bootstrap "$KAFKA_BOOTSTRAP_SERVERS"

say "5/7 what landed (run $RUN_ID)"
landed=0
for _ in $(seq 1 240); do
  landed="$(psql_q -c "SELECT (SELECT count(*) FROM raw.events WHERE run_id = '$RUN_ID')
                            + (SELECT count(*) FROM pipeline.dead_letters WHERE run_id = '$RUN_ID')")"
  [[ "$landed" -ge "$COUNT" ]] && break
  sleep 0.5
done
[[ "$landed" -ge "$COUNT" ]] || die "only $landed of $COUNT records placed after 120 s (log: $LOG)"
# what the other sources must receive: the catalog (+5 unsold, a cost change for every 12th), 10 campaigns with
# two days of spend, two stock snapshots of two warehouses per product (ProductGenerator, CampaignGenerator, ...)
catalog=$((PRODUCTS + 5))
declare -A expected=([products]=$((catalog + (catalog + 11) / 12)) [campaigns]=30 [inventory]=$((catalog * 4)))
for source in products campaigns inventory; do
  received=0
  for _ in $(seq 1 120); do
    received="$(psql_q -c "SELECT coalesce(sum(received), 0) FROM pipeline.ingest_batches
                           WHERE run_id = '$RUN_ID' AND source = '$source'")"
    [[ "$received" -ge "${expected[$source]}" ]] && break
    sleep 0.5
  done
  [[ "$received" -ge "${expected[$source]}" ]] || die "only $received of ${expected[$source]} $source records placed (log: $LOG)"
done
echo "one line per source (records of this run; products equal to their latest version are not stored again):"
psql -h 127.0.0.1 -p "${PG_PORT:-5432}" -U "$PG_USER" -d "${PG_DATABASE:-ecom}" -c "
  WITH batches AS (
    SELECT source, sum(received) AS received, sum(inserted) AS rows, sum(duplicates) AS unchanged,
           sum(dead_lettered) AS dead_letters
    FROM pipeline.ingest_batches WHERE run_id = '$RUN_ID' GROUP BY source)
  SELECT source, received, rows, unchanged, dead_letters FROM batches
  ORDER BY array_position(ARRAY['events', 'products', 'inventory', 'campaigns'], source)"
echo
echo "dead letters by reason (an event can break several rules):"
psql -h 127.0.0.1 -p "${PG_PORT:-5432}" -U "$PG_USER" -d "${PG_DATABASE:-ecom}" -c "
  SELECT r->>'rule' AS rule, count(DISTINCT d.id) AS events
  FROM pipeline.dead_letters d, jsonb_array_elements(d.reasons) r
  WHERE d.run_id = '$RUN_ID' GROUP BY 1 ORDER BY 2 DESC, 1"
say "6/7 SQL transformations, Elasticsearch and the warehouse of the sources"
API="http://127.0.0.1:${SERVER_PORT:-8080}/api"
AUTH="$PIPELINE_API_USER:$PIPELINE_API_PASSWORD"
# runs one job now (or waits for the one running) and prints its outcome
run_job() {
  local type="$1" job job_id status=running
  job="$(curl -sf -u "$AUTH" -X POST "$API/jobs/$type" || curl -sf -u "$AUTH" "$API/jobs?type=$type")"
  job_id="$(printf '%s' "$job" | python3 -c 'import sys,json; d=json.load(sys.stdin); print(d.get("id") or d["running"]["id"])' 2>/dev/null || true)"
  for _ in $(seq 1 240); do
    status="$(curl -sf -u "$AUTH" "$API/jobs/$job_id" | python3 -c 'import sys,json; print(json.load(sys.stdin)["status"])' || echo unknown)"
    [[ "$status" != running ]] && break
    sleep 0.5
  done
  echo "$type job $job_id: $status"
}
# transform (events -> clean, marts, campaign touches), catalog (product history, inventory health, campaigns), gold
# (margins, attribution, ROI of the days the two queued)
run_job transform
run_job catalog
run_job gold
psql_t() { psql -h 127.0.0.1 -p "${PG_PORT:-5432}" -U "$PG_USER" -d "${PG_DATABASE:-ecom}" -v ON_ERROR_STOP=1 "$@"; }
SINCE="now() - interval '$DAYS days' - interval '4 hours'"
echo "hourly metrics (amounts in the reporting currency; docs/metrics.md):"
psql_t -c "
  SELECT event_hour, reporting_currency AS cur, total_transactions AS tx, paid_orders AS paid,
         pending_orders AS pending, failed_orders AS failed, gross_revenue AS gross, refunds, net_revenue AS net,
         unconverted_transactions AS unconverted, round(late_ratio::numeric, 3) AS late_ratio, sessions,
         round(conversion_rate::numeric, 3) AS conversion
  FROM marts.hourly_metrics WHERE event_hour >= $SINCE ORDER BY event_hour DESC LIMIT 8"
psql_q -c "SELECT 'net revenue:             ' || coalesce(sum(net_revenue), 0) || ' ' || coalesce(min(reporting_currency), '')
             || ' (gross ' || coalesce(sum(gross_revenue), 0) || ' - refunds ' || coalesce(sum(refunds), 0)
             || '; ' || coalesce(sum(pending_orders), 0) || ' pending and ' || coalesce(sum(failed_orders), 0)
             || ' failed orders not in revenue)'
           FROM marts.hourly_metrics WHERE event_hour >= $SINCE"
echo
echo "funnel: sessions that started since then, per product category (view -> cart -> paid purchase):"
psql_t -c "
  SELECT product_category AS category, sum(viewing_sessions) AS viewed, sum(carting_sessions) AS carted,
         sum(buying_sessions) AS bought,
         round(sum(abandoned_cart_sessions)::numeric / nullif(sum(carting_sessions), 0), 3) AS cart_abandonment
  FROM marts.daily_funnel WHERE funnel_date >= ($SINCE)::date GROUP BY 1 ORDER BY viewed DESC"
docs="$(curl -s "${ES_URL:-http://127.0.0.1:9200}/hourly_metrics/_count" | python3 -c 'import sys,json; print(json.load(sys.stdin).get("count", "?"))' || echo '?')"
echo "Elasticsearch index hourly_metrics: $docs documents (one per hour, _id = hour)"
echo
echo "inventory health (marts.inventory_health): products and warehouses by status, then a few that need attention"
psql -h 127.0.0.1 -p "${PG_PORT:-5432}" -U "$PG_USER" -d "${PG_DATABASE:-ecom}" -c "
  SELECT stock_status, count(*) AS pairs FROM marts.inventory_health GROUP BY 1 ORDER BY 2 DESC"
psql -h 127.0.0.1 -p "${PG_PORT:-5432}" -U "$PG_USER" -d "${PG_DATABASE:-ecom}" -c "
  (SELECT DISTINCT ON (stock_status) product_id, warehouse_id, stock_status, on_hand, available, reorder_point,
          units_sold, days_of_cover, last_sale_at::date AS last_sale
   FROM marts.inventory_health WHERE stock_status <> 'ok' ORDER BY stock_status, product_id)"
echo "campaign ROI of today (marts.campaign_daily_roi; last-touch attribution, ATTRIBUTION_WINDOW; in the reporting currency)"
psql -h 127.0.0.1 -p "${PG_PORT:-5432}" -U "$PG_USER" -d "${PG_DATABASE:-ecom}" -c "
  SELECT campaign_id, campaign_currency, reporting_currency, spend, sessions, converted_sessions AS converted,
         conversion_rate, attributed_orders AS orders, attributed_revenue AS revenue, unconverted_orders, roas,
         cost_per_order
  FROM marts.campaign_daily_roi WHERE roi_date = (now() AT TIME ZONE 'UTC')::date ORDER BY campaign_id LIMIT 6"
say "7/7 data quality: Great Expectations suites over the warehouse (raw, clean, business metrics, warehouse)"
# installs the pinned Airflow/GX venv on the first run (a few minutes), then runs every suite once
if bash "$REPO/scripts/airflow.sh" quality --api "http://127.0.0.1:${SERVER_PORT:-8080}"; then
  echo "every suite passed"
else
  echo "a suite failed or could not run (see above); the pipeline itself is unaffected"
fi
echo "Data Docs, catalog page and daily summary: ${ECOM_QUALITY_DIR:-$REPO/.local/quality} (open data-docs/index.html in a browser)"
echo
echo "The runtime keeps running (pid $(cat "$PIDFILE")). Try:"
echo "  curl -u $PIPELINE_API_USER:$PIPELINE_API_PASSWORD localhost:${SERVER_PORT:-8080}/api/dead-letters/summary"
echo "  curl -u $PIPELINE_API_USER:$PIPELINE_API_PASSWORD localhost:${MANAGEMENT_PORT:-9876}/observe/health"
echo "Publish more with"
echo "  java -jar target/ecom-pipeline.jar generate --count 10000 --with-sources"
echo "Stop it with: bash scripts/demo.sh stop     Stop the services with: bash scripts/local-stack.sh down"
