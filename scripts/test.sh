#!/usr/bin/env bash
# test.sh — every test: Java unit tests, integration tests against real Kafka, PostgreSQL and Elasticsearch
# (started here by scripts/local-stack.sh, idempotent), the Airflow DAG tests, and the Airflow end-to-end test
# (real runtime jar + `airflow dags test`). Exit code is non-zero on any failure.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

command -v java >/dev/null || { echo "test: java 17 is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "test: maven is required" >&2; exit 1; }

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "local services"
bash scripts/local-stack.sh up
eval "$(bash scripts/local-stack.sh env)"

step "Java: unit tests, jar, integration tests"
mvn -B verify

step "Airflow: install (pinned) and DAG tests"
bash scripts/airflow.sh setup
bash scripts/airflow.sh test

step "Airflow end to end: runtime jar + airflow dags test"
bash scripts/e2e-airflow.sh
