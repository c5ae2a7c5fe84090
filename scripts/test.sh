#!/usr/bin/env bash
# test.sh — every test: unit tests, and integration tests against real Kafka, PostgreSQL and Elasticsearch,
# which it starts itself (scripts/local-stack.sh, idempotent). Exit code is non-zero on any failure.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

command -v java >/dev/null || { echo "test: java 17 is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "test: maven is required" >&2; exit 1; }

bash scripts/local-stack.sh up
eval "$(bash scripts/local-stack.sh env)"

# unit tests, the jar, then the integration tests that run it (failsafe)
mvn -B verify
