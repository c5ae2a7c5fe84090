#!/usr/bin/env bash
# demo.sh — the whole pipeline end to end on real local services, from a fresh Debian machine without Docker:
# starts Kafka, PostgreSQL and Elasticsearch (scripts/local-stack.sh), builds the jar, starts the runtime,
# publishes synthetic events (~25% invalid) and prints what landed: rows, dead letters, reasons by rule, then the
# hourly metrics with net revenue in the reporting currency (REPORTING_CURRENCY, default EUR) and the session funnel.
# Metric definitions: docs/metrics.md.
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

say "1/6 local services (Kafka, PostgreSQL, Elasticsearch)"
bash "$REPO/scripts/local-stack.sh" up
eval "$(bash "$REPO/scripts/local-stack.sh" env)"
export PGPASSWORD="$PG_PASSWORD"
psql_q() { psql -h 127.0.0.1 -p "${PG_PORT:-5432}" -U "$PG_USER" -d "${PG_DATABASE:-ecom}" -v ON_ERROR_STOP=1 -qAt "$@"; }

say "2/6 build"
(cd "$REPO" && mvn -q -B package -DskipTests)

say "3/6 runtime"
stop_runtime
mkdir -p "$LOCAL/run" "$LOCAL/logs"
RUN_ID="$(cat /proc/sys/kernel/random/uuid)"
export PIPELINE_RUN_ID="$RUN_ID" PIPELINE_PROGRESS_INTERVAL_MS=2000
# documented development credentials for the REST and management APIs (refused without PIPELINE_DEV_MODE)
export PIPELINE_DEV_MODE="${PIPELINE_DEV_MODE:-true}" PIPELINE_API_USER="${PIPELINE_API_USER:-operator}"
export PIPELINE_API_PASSWORD="${PIPELINE_API_PASSWORD:-dev-only-password}"
nohup java -jar "$REPO/target/ecom-pipeline.jar" >"$LOG" 2>&1 &
echo $! >"$PIDFILE"
for _ in $(seq 1 240); do
  grep -q "started in" "$LOG" && break
  kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { tail -20 "$LOG"; die "runtime exited during start-up (log: $LOG)"; }
  sleep 0.5
done
grep -q "started in" "$LOG" || die "runtime did not start within 120 s (log: $LOG)"
echo "runtime running: pid $(cat "$PIDFILE"), run id $RUN_ID, log $LOG"

say "4/6 publish $COUNT synthetic events (invalid share $INVALID) to $KAFKA_TOPIC"
java -jar "$REPO/target/ecom-pipeline.jar" generate \
  --count "$COUNT" --invalid "$INVALID" --days "$DAYS" --seed "$(date +%s%N)" --topic "$KAFKA_TOPIC" \
  --bootstrap "$KAFKA_BOOTSTRAP_SERVERS"

say "5/6 what landed (run $RUN_ID)"
landed=0
for _ in $(seq 1 240); do
  landed="$(psql_q -c "SELECT (SELECT count(*) FROM raw.events WHERE run_id = '$RUN_ID')
                            + (SELECT count(*) FROM pipeline.dead_letters WHERE run_id = '$RUN_ID')")"
  [[ "$landed" -ge "$COUNT" ]] && break
  sleep 0.5
done
[[ "$landed" -ge "$COUNT" ]] || die "only $landed of $COUNT records placed after 120 s (log: $LOG)"
psql_q -c "SELECT 'rows in raw.events:      ' || count(*) FROM raw.events WHERE run_id = '$RUN_ID'"
psql_q -c "SELECT 'dead letters:            ' || count(*) FROM pipeline.dead_letters WHERE run_id = '$RUN_ID'"
echo
echo "dead letters by reason (an event can break several rules):"
psql -h 127.0.0.1 -p "${PG_PORT:-5432}" -U "$PG_USER" -d "${PG_DATABASE:-ecom}" -c "
  SELECT r->>'rule' AS rule, count(DISTINCT d.id) AS events
  FROM pipeline.dead_letters d, jsonb_array_elements(d.reasons) r
  WHERE d.run_id = '$RUN_ID' GROUP BY 1 ORDER BY 2 DESC, 1"
say "6/6 SQL transformations and Elasticsearch"
API="http://127.0.0.1:${SERVER_PORT:-8080}/api"
AUTH="$PIPELINE_API_USER:$PIPELINE_API_PASSWORD"
job="$(curl -sf -u "$AUTH" -X POST "$API/jobs/transform" || curl -sf -u "$AUTH" "$API/jobs?type=transform")"
job_id="$(printf '%s' "$job" | python3 -c 'import sys,json; d=json.load(sys.stdin); print(d.get("id") or d["running"]["id"])' 2>/dev/null || true)"
status=running
for _ in $(seq 1 240); do
  status="$(curl -sf -u "$AUTH" "$API/jobs/$job_id" | python3 -c 'import sys,json; print(json.load(sys.stdin)["status"])' || echo unknown)"
  [[ "$status" != running ]] && break
  sleep 0.5
done
echo "transform job $job_id: $status"
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
echo "The runtime keeps running (pid $(cat "$PIDFILE")). Try:"
echo "  curl -u $PIPELINE_API_USER:$PIPELINE_API_PASSWORD localhost:${SERVER_PORT:-8080}/api/dead-letters/summary"
echo "  curl -u $PIPELINE_API_USER:$PIPELINE_API_PASSWORD localhost:${MANAGEMENT_PORT:-9876}/observe/health"
echo "Publish more with"
echo "  java -jar target/ecom-pipeline.jar generate --count 10000"
echo "Stop it with: bash scripts/demo.sh stop     Stop the services with: bash scripts/local-stack.sh down"
