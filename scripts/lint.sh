#!/usr/bin/env bash
# lint.sh — the project's linters, as CI runs them. Exit code non-zero on any violation.
#
#   bash scripts/lint.sh            every linter below
#   bash scripts/lint.sh java       Checkstyle (checkstyle.xml) over src/main and src/test, through Maven
#   bash scripts/lint.sh airflow    ruff check + ruff format --check over airflow/ (bash scripts/airflow.sh lint)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

lint_java() {
  echo "[lint] java: checkstyle"
  mvn -B -q checkstyle:check
}

lint_airflow() {
  echo "[lint] airflow: ruff"
  bash scripts/airflow.sh lint
}

LINTERS=(java airflow)
failed=()
for name in "${@:-${LINTERS[@]}}"; do
  declare -F "lint_$name" >/dev/null || { echo "[lint] unknown linter '$name' (known: ${LINTERS[*]})" >&2; exit 2; }
  "lint_$name" || failed+=("$name")
done
if (( ${#failed[@]} )); then
  echo "[lint] FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "[lint] all clean: ${*:-${LINTERS[*]}}"
