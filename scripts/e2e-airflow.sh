#!/usr/bin/env bash
# e2e-airflow.sh — Airflow end to end: starts the runtime jar against the local stack (its own topic and ports),
# then runs `airflow dags test` for the maintenance-window and transform-and-index DAGs through
# airflow/tests/e2e (ECOM_E2E=1: an unreachable runtime fails, never skips). Stops the runtime afterwards.
# Expects the local stack up and target/ecom-pipeline.jar built (scripts/test.sh does both).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
JAR="$REPO/target/ecom-pipeline.jar"
[[ -f "$JAR" ]] || { echo "e2e: $JAR is missing (mvn package first)" >&2; exit 1; }

eval "$(bash scripts/local-stack.sh env)"
stamp="$(date +%s)"
export KAFKA_TOPIC="e2e.events.$stamp" KAFKA_GROUP_ID="e2e-$stamp"
export SERVER_PORT="${E2E_SERVER_PORT:-18480}" MANAGEMENT_PORT="${E2E_MANAGEMENT_PORT:-19476}"
export PIPELINE_DEV_MODE=true PIPELINE_API_USER=operator PIPELINE_API_PASSWORD=dev-only-password
export PIPELINE_BATCH_MAX_WAIT_MS=200
export ECOM_E2E=1 ECOM_JAR="$JAR" E2E_KAFKA_TOPIC="$KAFKA_TOPIC"
unset AIRFLOW_CONN_ECOM_PIPELINE_API AIRFLOW_CONN_ECOM_PIPELINE_MANAGEMENT

mkdir -p .local/logs
LOG=".local/logs/e2e-runtime.log"
java -jar "$JAR" >"$LOG" 2>&1 &
RUNTIME=$!
stop_runtime() {
  if kill -0 "$RUNTIME" 2>/dev/null; then
    kill -TERM "$RUNTIME"
    wait "$RUNTIME" 2>/dev/null || true
  fi
}
trap stop_runtime EXIT
echo "e2e: runtime pid $RUNTIME on ports $SERVER_PORT/$MANAGEMENT_PORT, topic $KAFKA_TOPIC (log $LOG)"

bash scripts/airflow.sh setup
# the tests wait for readiness themselves (bounded) and fail if it never comes
bash scripts/airflow.sh test airflow/tests/e2e -v
