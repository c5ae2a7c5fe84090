#!/usr/bin/env bash
# Airflow side of ecom-pipeline: a local Airflow 3 (SQLite metadata DB) that runs the DAGs in
# airflow/dags against the runtime's HTTP API.
#
#   bash scripts/airflow.sh setup                     venv + pinned deps + `airflow db migrate` (idempotent)
#   bash scripts/airflow.sh test [PYTEST_ARGS...]     pytest airflow/tests (or the paths given)
#   bash scripts/airflow.sh dags-test DAG_ID [--conf JSON] [more `airflow dags test` args]
#   bash scripts/airflow.sh env                       print the exports (eval "$(bash scripts/airflow.sh env)")
#   bash scripts/airflow.sh airflow ARGS...           any airflow CLI command with the env set up
#   bash scripts/airflow.sh quality [ARGS...]         run the GX suites once (python -m ecom_pipeline.quality ARGS)
#   bash scripts/airflow.sh lint [--fix]              ruff check + ruff format --check of airflow/ (non-zero on a finding)
#   bash scripts/airflow.sh lock                      re-resolve requirements-dev.txt into requirements-lock.txt
#
# Connections come only from the environment:
#   AIRFLOW_CONN_ECOM_PIPELINE_API         REST triggers,     default http://USER:PASSWORD@HOST:SERVER_PORT
#   AIRFLOW_CONN_ECOM_PIPELINE_MANAGEMENT  management server, default http://USER:PASSWORD@HOST:MANAGEMENT_PORT
# derived (when not already set) from PIPELINE_API_USER, PIPELINE_API_PASSWORD,
# PIPELINE_API_HOST (127.0.0.1), SERVER_PORT (8080) and MANAGEMENT_PORT (9876);
#   AIRFLOW_CONN_ECOM_PIPELINE_DB          the warehouse (data quality), default from PG_URL, PG_USER, PG_PASSWORD
#   AIRFLOW_CONN_ECOM_ALERTS_WEBHOOK       Slack-compatible webhook of the notifiers, from ALERT_WEBHOOK_URL if set.
# Data quality output (GX Data Docs, catalog, daily summary): ECOM_QUALITY_DIR (default .local/quality);
# OpenLineage events: AIRFLOW__OPENLINEAGE__TRANSPORT (default: appended to AIRFLOW_HOME/openlineage/events.jsonl).
# AIRFLOW_VENV / ECOM_AIRFLOW_HOME move the venv and the Airflow home (default .local/airflow-venv, .local/airflow).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${AIRFLOW_VENV:-$REPO/.local/airflow-venv}"
LOCK="$REPO/airflow/requirements-lock.txt"
DEV_REQS="$REPO/airflow/requirements-dev.txt"
RUFF_VENV="$REPO/.local/ruff-venv"
PYTHON="${AIRFLOW_PYTHON:-python3.11}"

log() { printf '[airflow.sh] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

urlencode() {
  "$PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"
}

conn_uri() { # PORT -> http://user:password@host:port
  local port="$1" host="${PIPELINE_API_HOST:-127.0.0.1}" auth=""
  if [[ -n "${PIPELINE_API_USER:-}" ]]; then
    auth="$(urlencode "$PIPELINE_API_USER"):$(urlencode "${PIPELINE_API_PASSWORD:-}")@"
  fi
  printf 'http://%s%s:%s' "$auth" "$host" "$port"
}

# postgresql://user:password@host:port/db from the runtime's PG_URL (jdbc:postgresql://host:port/db), PG_USER, PG_PASSWORD
db_conn_uri() {
  local url="${PG_URL:-jdbc:postgresql://127.0.0.1:5432/ecom}"
  url="${url#jdbc:postgresql://}"
  url="${url%%\?*}"
  printf 'postgresql://%s:%s@%s' "$(urlencode "${PG_USER:-ecom}")" "$(urlencode "${PG_PASSWORD:-}")" "$url"
}

setup_env() {
  export AIRFLOW_HOME="${ECOM_AIRFLOW_HOME:-$REPO/.local/airflow}"
  export AIRFLOW__CORE__DAGS_FOLDER="$REPO/airflow/dags"
  export AIRFLOW__CORE__LOAD_EXAMPLES=False
  # `airflow dags test` and the tests run everything in-process; keep the local instance quiet.
  export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=True
  export AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK=False
  if [[ -z "${AIRFLOW_CONN_ECOM_PIPELINE_API:-}" || -z "${AIRFLOW_CONN_ECOM_PIPELINE_MANAGEMENT:-}" ]] \
      && [[ -z "${PIPELINE_API_USER:-}" ]]; then
    log "warning: PIPELINE_API_USER is not set; connections are built without credentials"
  fi
  export AIRFLOW_CONN_ECOM_PIPELINE_API="${AIRFLOW_CONN_ECOM_PIPELINE_API:-$(conn_uri "${SERVER_PORT:-8080}")}"
  export AIRFLOW_CONN_ECOM_PIPELINE_MANAGEMENT="${AIRFLOW_CONN_ECOM_PIPELINE_MANAGEMENT:-$(conn_uri "${MANAGEMENT_PORT:-9876}")}"
  export AIRFLOW_CONN_ECOM_PIPELINE_DB="${AIRFLOW_CONN_ECOM_PIPELINE_DB:-$(db_conn_uri)}"
  if [[ -z "${AIRFLOW_CONN_ECOM_ALERTS_WEBHOOK:-}" && -n "${ALERT_WEBHOOK_URL:-}" ]]; then
    AIRFLOW_CONN_ECOM_ALERTS_WEBHOOK="$("$PYTHON" -c 'import json, sys; print(json.dumps({"conn_type": "slackwebhook", "password": sys.argv[1]}))' "$ALERT_WEBHOOK_URL")"
    export AIRFLOW_CONN_ECOM_ALERTS_WEBHOOK
  fi
  export ECOM_QUALITY_DIR="${ECOM_QUALITY_DIR:-$REPO/.local/quality}"
  export AIRFLOW__OPENLINEAGE__NAMESPACE="${AIRFLOW__OPENLINEAGE__NAMESPACE:-ecom-pipeline}"
  local lineage_file
  lineage_file="$(printf '{"type": "file", "log_file_path": "%s", "append": true}' "$AIRFLOW_HOME/openlineage/events.jsonl")"
  export AIRFLOW__OPENLINEAGE__TRANSPORT="${AIRFLOW__OPENLINEAGE__TRANSPORT:-$lineage_file}"
  mkdir -p "$AIRFLOW_HOME/openlineage"
  export PATH="$VENV/bin:$PATH"
}

lock_digest() {
  { "$PYTHON" --version 2>&1; cat "$LOCK"; } | sha256sum | cut -d' ' -f1
}

cmd_setup() {
  local t0=$SECONDS
  command -v "$PYTHON" >/dev/null || die "$PYTHON not found (set AIRFLOW_PYTHON to a Python 3.11 interpreter)"
  "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' \
    || die "$PYTHON is not Python 3.11; requirements-lock.txt was resolved for 3.11"
  [[ -f "$LOCK" ]] || die "$LOCK missing (run: bash scripts/airflow.sh lock)"

  local stamp="$VENV/.ecom-lock-digest" digest
  digest="$(lock_digest)"
  if [[ -x "$VENV/bin/airflow" && -f "$stamp" && "$(cat "$stamp")" == "$digest" ]]; then
    log "venv up to date ($VENV)"
  else
    log "creating venv $VENV and installing $(basename "$LOCK")"
    [[ -d "$VENV" ]] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --disable-pip-version-check -q -r "$LOCK"
    "$VENV/bin/pip" check >/dev/null || { "$VENV/bin/pip" check; die "pip check failed"; }
    echo "$digest" > "$stamp"
  fi

  setup_env
  mkdir -p "$AIRFLOW_HOME"
  local version migrated
  version="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("apache-airflow-core"))')"
  migrated="$AIRFLOW_HOME/.ecom-migrated-$version"
  if [[ -f "$migrated" && -f "$AIRFLOW_HOME/airflow.db" ]]; then
    log "metadata DB already migrated for Airflow $version"
  else
    log "airflow db migrate (Airflow $version, SQLite in $AIRFLOW_HOME)"
    airflow db migrate >"$AIRFLOW_HOME/db-migrate.log" 2>&1 \
      || { tail -50 "$AIRFLOW_HOME/db-migrate.log" >&2; die "airflow db migrate failed"; }
    touch "$migrated"
  fi
  log "setup done in $((SECONDS - t0))s"
}

cmd_test() {
  cmd_setup
  cd "$REPO"
  local arg has_path=0
  for arg in "$@"; do [[ -e "${arg%%::*}" ]] && has_path=1; done
  if [[ $has_path -eq 1 ]]; then
    python -m pytest "$@"
  else
    python -m pytest airflow/tests "$@"
  fi
}

cmd_dags_test() {
  [[ $# -ge 1 ]] || die "usage: $0 dags-test DAG_ID [--conf JSON] [airflow dags test options]"
  cmd_setup
  cd "$REPO"
  airflow dags test "$@"
}

cmd_env() {
  setup_env
  local name
  for name in AIRFLOW_HOME AIRFLOW__CORE__DAGS_FOLDER AIRFLOW__CORE__LOAD_EXAMPLES \
      AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK \
      AIRFLOW_CONN_ECOM_PIPELINE_API AIRFLOW_CONN_ECOM_PIPELINE_MANAGEMENT AIRFLOW_CONN_ECOM_PIPELINE_DB \
      ECOM_QUALITY_DIR AIRFLOW__OPENLINEAGE__NAMESPACE AIRFLOW__OPENLINEAGE__TRANSPORT PATH; do
    printf 'export %s=%q\n' "$name" "${!name}"
  done
  [[ -z "${ECOM_TRANSFORM_SCHEDULE:-}" ]] || printf 'export ECOM_TRANSFORM_SCHEDULE=%q\n' "$ECOM_TRANSFORM_SCHEDULE"
  [[ -z "${AIRFLOW_CONN_ECOM_ALERTS_WEBHOOK:-}" ]] \
    || printf 'export AIRFLOW_CONN_ECOM_ALERTS_WEBHOOK=%q\n' "$AIRFLOW_CONN_ECOM_ALERTS_WEBHOOK"
}

# the data-quality suites once, without Airflow's scheduler: Data Docs, catalog page and daily summary in ECOM_QUALITY_DIR
cmd_quality() {
  cmd_setup
  cd "$REPO/airflow/dags"
  python -m ecom_pipeline.quality "$@"
}

cmd_airflow() {
  cmd_setup
  cd "$REPO"
  airflow "$@"
}

# ruff in a small venv of its own (no Airflow needed to lint), at the version pinned in requirements-dev.txt.
cmd_lint() {
  local fix=0 pin rc=0
  case "${1:-}" in
    --fix) fix=1 ;;
    "") ;;
    *) die "usage: $0 lint [--fix]" ;;
  esac
  pin="$(sed -n 's/^\(ruff==[^[:space:]#]*\).*/\1/p' "$DEV_REQS")"
  [[ -n "$pin" ]] || die "no ruff==VERSION pin in $DEV_REQS"
  command -v "$PYTHON" >/dev/null || die "$PYTHON not found (set AIRFLOW_PYTHON)"
  if [[ "$("$RUFF_VENV/bin/ruff" --version 2>/dev/null)" != "ruff ${pin#ruff==}" ]]; then
    log "installing $pin into $RUFF_VENV"
    [[ -x "$RUFF_VENV/bin/pip" ]] || "$PYTHON" -m venv "$RUFF_VENV"
    "$RUFF_VENV/bin/pip" install --disable-pip-version-check -q "$pin" || die "could not install $pin"
  fi
  cd "$REPO/airflow"
  if [[ $fix -eq 1 ]]; then
    "$RUFF_VENV/bin/ruff" check --fix . || rc=1
    "$RUFF_VENV/bin/ruff" format . || rc=1
  else
    "$RUFF_VENV/bin/ruff" check . || rc=1
    "$RUFF_VENV/bin/ruff" format --check --diff . || rc=1
  fi
  [[ $rc -eq 0 ]] || die "ruff found problems in airflow/ (most fix themselves: bash scripts/airflow.sh lint --fix)"
  log "ruff ${pin#ruff==}: airflow/ is clean"
}

cmd_lock() {
  local scratch
  scratch="$(mktemp -d)"
  LOCK_SCRATCH="$scratch"
  trap 'rm -rf "${LOCK_SCRATCH:-}"' EXIT
  "$PYTHON" -m venv "$scratch/venv"
  "$scratch/venv/bin/pip" install --disable-pip-version-check -q -r "$DEV_REQS"
  "$scratch/venv/bin/pip" check
  {
    echo "# Full resolved development/test environment of airflow/requirements-dev.txt (Python 3.11, from PyPI)."
    echo "# Regenerate: bash scripts/airflow.sh lock   (installs requirements-dev.txt into a scratch venv and freezes it)."
    "$scratch/venv/bin/pip" freeze --disable-pip-version-check
  } > "$LOCK"
  log "wrote $LOCK ($(grep -vc '^#' "$LOCK") packages)"
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    setup) cmd_setup ;;
    test) cmd_test "$@" ;;
    dags-test) cmd_dags_test "$@" ;;
    env) cmd_env ;;
    airflow) cmd_airflow "$@" ;;
    quality) cmd_quality "$@" ;;
    lint) cmd_lint "$@" ;;
    lock) cmd_lock ;;
    *) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; [[ -z "$cmd" || "$cmd" == -h || "$cmd" == --help ]] ;;
  esac
}

main "$@"
