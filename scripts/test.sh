#!/usr/bin/env bash
# test.sh — every test: the linters (Checkstyle, ruff, ...), Java unit tests, integration tests against real Kafka,
# PostgreSQL and Elasticsearch (started here by scripts/local-stack.sh, idempotent), the Airflow DAG tests, the
# Airflow end-to-end test (real runtime jar + `airflow dags test`), and the checks of deploy/ (Helm chart, Prometheus
# rules, Grafana, docker-compose). Exit code is non-zero on any failure.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

source "$REPO/scripts/lib/prereqs.sh"
ensure_prereqs --python

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "linters (scripts/lint.sh: Checkstyle, ruff, sqlfluff; a violation fails)"
bash scripts/lint.sh

step "local services"
bash scripts/local-stack.sh up
eval "$(bash scripts/local-stack.sh env)"

step "Java: unit tests, jar, integration tests"
# The integration tests start the runtime on the JDK bin/ecom-pipeline would pick (bin/java-env), not on Maven's.
IT_RUNTIME_JAVA="$(source bin/java-env; ecom_java)"
export IT_RUNTIME_JAVA
echo "runtime under test: $IT_RUNTIME_JAVA ($("$IT_RUNTIME_JAVA" -version 2>&1 | head -1))"
mvn -B verify

step "Airflow: install (pinned) and DAG tests"
bash scripts/airflow.sh setup
bash scripts/airflow.sh test

step "Airflow end to end: runtime jar + airflow dags test"
bash scripts/e2e-airflow.sh

step "deploy files: Helm chart, Prometheus rules, Grafana dashboard, docker-compose"
bash scripts/check-deploy.sh
