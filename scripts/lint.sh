#!/usr/bin/env bash
# lint.sh — the project's linters, one function each; exits non-zero when any of them finds a violation.
#
#   bash scripts/lint.sh                   every linter below
#   bash scripts/lint.sh java              Checkstyle (checkstyle.xml) over src/main and src/test, through Maven
#   bash scripts/lint.sh airflow [--fix]   ruff check + ruff format --check over airflow/ (bash scripts/airflow.sh lint)
#   bash scripts/lint.sh sql [--fix]       sqlfluff (postgres dialect, .sqlfluff) over sql/; --fix rewrites what it can
#
# A linter is a function lint_NAME added to LINTERS; each installs its own pinned tool on first use.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

SQLFLUFF_VERSION="4.5.0"
SQLFLUFF_VENV="$REPO/.local/sqlfluff-venv"
PYTHON="${LINT_PYTHON:-python3}"

LINTERS=(java airflow sql)

log() { printf '[lint.sh] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 2; }

lint_java() {
  if mvn -B -q checkstyle:check; then
    log "checkstyle: src/ is clean"
  else
    log "checkstyle found problems (rules and why: checkstyle.xml)"
    return 1
  fi
}

lint_airflow() {
  bash scripts/airflow.sh lint "$@"
}

# sqlfluff at the pinned version in a venv of its own (.local/ is not committed).
ensure_sqlfluff() {
  if [[ "$("$SQLFLUFF_VENV/bin/sqlfluff" --version 2>/dev/null)" != "sqlfluff, version $SQLFLUFF_VERSION" ]]; then
    log "installing sqlfluff==$SQLFLUFF_VERSION into $SQLFLUFF_VENV"
    [[ -x "$SQLFLUFF_VENV/bin/pip" ]] || "$PYTHON" -m venv "$SQLFLUFF_VENV" \
      || die "cannot create a venv with $PYTHON (Debian: apt-get install -y python3-venv)"
    "$SQLFLUFF_VENV/bin/pip" install --disable-pip-version-check -q "sqlfluff==$SQLFLUFF_VERSION" \
      || die "could not install sqlfluff==$SQLFLUFF_VERSION"
  fi
}

lint_sql() {
  ensure_sqlfluff
  if [[ "${1:-}" == "--fix" ]]; then
    "$SQLFLUFF_VENV/bin/sqlfluff" fix --quiet sql/ || true
  fi
  if "$SQLFLUFF_VENV/bin/sqlfluff" lint --disable-progress-bar sql/; then
    log "sqlfluff $SQLFLUFF_VERSION: sql/ is clean"
  else
    log "sqlfluff found problems in sql/ (many fix themselves: bash scripts/lint.sh sql --fix)"
    return 1
  fi
}

main() {
  if [[ $# -eq 0 ]]; then
    local failed=()
    for name in "${LINTERS[@]}"; do
      "lint_$name" || failed+=("$name")
    done
    [[ ${#failed[@]} -eq 0 ]] || { log "failed: ${failed[*]}"; exit 1; }
    log "all clean: ${LINTERS[*]}"
    return 0
  fi
  local name="$1"
  shift
  declare -F "lint_$name" >/dev/null || die "unknown linter '$name' (known: ${LINTERS[*]})"
  "lint_$name" "$@"
}

main "$@"
