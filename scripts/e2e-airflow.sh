#!/usr/bin/env bash
# e2e-airflow.sh — Airflow end to end: starts the runtime jar against the local stack (its own topic, ports,
# PostgreSQL database and Elasticsearch index), then runs `airflow dags test` for the maintenance-window,
# transform-and-index and data-quality DAGs through airflow/tests/e2e (ECOM_E2E=1: an unreachable runtime fails, never
# skips). Stops the runtime and drops its database afterwards (kept when a test failed, for a look).
# Expects the local stack up and target/ecom-pipeline.jar built (scripts/test.sh does both).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
JAR="$REPO/target/ecom-pipeline.jar"
[[ -f "$JAR" ]] || { echo "e2e: $JAR is missing (mvn package first)" >&2; exit 1; }

eval "$(bash scripts/local-stack.sh env)"
stamp="$(date +%s)"
export KAFKA_TOPIC="e2e.events.$stamp" KAFKA_GROUP_ID="e2e-$stamp"
# the sources' topics and groups of its own too (the maintenance window suspends their routes; the test feeds inventory)
export PRODUCTS_TOPIC="e2e.products.$stamp" PRODUCTS_GROUP_ID="e2e-products-$stamp"
export INVENTORY_TOPIC="e2e.inventory.$stamp" INVENTORY_GROUP_ID="e2e-inventory-$stamp"
export CAMPAIGNS_TOPIC="e2e.campaigns.$stamp" CAMPAIGNS_GROUP_ID="e2e-campaigns-$stamp"
# a database of its own: the data-quality suites judge whole tables, which other tests' rows must not spoil
E2E_DB="ecom_e2e_$stamp"
[[ "$PG_URL" =~ ^(jdbc:postgresql://([^:/]+)(:([0-9]+))?)/ ]] || { echo "e2e: cannot read PG_URL=$PG_URL" >&2; exit 1; }
PG_SERVER="${BASH_REMATCH[1]}" PG_HOST_E2E="${BASH_REMATCH[2]}" PG_PORT_E2E="${BASH_REMATCH[4]:-5432}"
psql_admin() {
  PGPASSWORD="$PG_PASSWORD" psql -h "$PG_HOST_E2E" -p "$PG_PORT_E2E" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -qAt -c "$1"
}
psql_admin "CREATE DATABASE $E2E_DB"
export PG_URL="$PG_SERVER/$E2E_DB" ES_INDEX="e2e_hourly_metrics_$stamp"
export ECOM_QUALITY_DIR="${ECOM_QUALITY_DIR:-$REPO/.local/quality-e2e}"
export SERVER_PORT="${E2E_SERVER_PORT:-18480}" MANAGEMENT_PORT="${E2E_MANAGEMENT_PORT:-19476}"
export PIPELINE_DEV_MODE=true PIPELINE_API_USER=operator PIPELINE_API_PASSWORD=dev-only-password
export PIPELINE_BATCH_MAX_WAIT_MS=200
# the generator's invalid events include two deliberately unknown top-level fields (one with a NUL in its name): the
# runtime's drift check flags them, as it should; the end-to-end tests judge the DAGs' success path with that known
# drift allowed (the drift check itself is covered by the Java integration tests)
export QUALITY_MAX_DRIFT_FIELDS=2
export ECOM_E2E=1 ECOM_JAR="$JAR" E2E_KAFKA_TOPIC="$KAFKA_TOPIC" E2E_INVENTORY_TOPIC="$INVENTORY_TOPIC"
unset AIRFLOW_CONN_ECOM_PIPELINE_API AIRFLOW_CONN_ECOM_PIPELINE_MANAGEMENT AIRFLOW_CONN_ECOM_PIPELINE_DB

mkdir -p .local/logs
LOG=".local/logs/e2e-runtime.log"
# the product's launcher (its JVM defaults, and the JDK bin/java-env picks), as a user runs it
ECOM_PIPELINE_JAR="$JAR" bin/ecom-pipeline >"$LOG" 2>&1 &
RUNTIME=$!
stop_runtime() {
  local rc=$?
  if kill -0 "$RUNTIME" 2>/dev/null; then
    kill -TERM "$RUNTIME"
    wait "$RUNTIME" 2>/dev/null || true
  fi
  local es="${ES_URL:-http://127.0.0.1:9200}" index
  for index in $(curl -s "$es/_alias/$ES_INDEX" | python3 -c 'import json, sys; print(" ".join(json.load(sys.stdin)))' \
      2>/dev/null); do
    curl -s -X DELETE "$es/$index" >/dev/null || true
  done
  if [[ $rc -eq 0 ]]; then
    psql_admin "DROP DATABASE IF EXISTS $E2E_DB WITH (FORCE)" || true
  else
    echo "e2e: failed; database $E2E_DB kept for a look (drop it with: DROP DATABASE $E2E_DB)" >&2
  fi
}
trap stop_runtime EXIT
echo "e2e: runtime pid $RUNTIME on ports $SERVER_PORT/$MANAGEMENT_PORT, topic $KAFKA_TOPIC, database $E2E_DB (log $LOG)"

bash scripts/airflow.sh setup
# the tests wait for readiness themselves (bounded) and fail if it never comes
bash scripts/airflow.sh test airflow/tests/e2e -v
