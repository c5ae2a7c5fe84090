# tool.sh — what the ingest benchmarks share; sourced from the repository root, after
# `eval "$(bash scripts/local-stack.sh env)"`, by scripts/bench.sh, scripts/bench-poison.sh, scripts/bench-soak.sh and
# bench/ingest/ab.sh:
#   bench_database NAME WHO   the stack's PostgreSQL reachable (else WHO says so and exits), database NAME created when
#                             missing, PG_URL pointed at it; psql_ [-d DB] ... runs psql as the stack's user
#   bench_tool JAR OUT XMX    bench/ingest/IngestBench.java compiled once into OUT/classes against JAR; bench ... runs it
# shellcheck shell=bash

psql_() { psql -h 127.0.0.1 -p "$BENCH_PGPORT" -U "$PG_USER" -v ON_ERROR_STOP=1 -Atq "$@"; }

bench_database() {
  local name="$1" who="$2"
  export PGPASSWORD="$PG_PASSWORD"
  BENCH_PGPORT="$(sed -E 's#jdbc:postgresql://[^:/]+:([0-9]+)/.*#\1#' <<<"$PG_URL")"
  psql_ -d postgres -c 'select 1' >/dev/null \
    || { echo "$who: PostgreSQL at 127.0.0.1:$BENCH_PGPORT is not reachable: run 'bash scripts/local-stack.sh up'" >&2; exit 1; }
  if [[ "$(psql_ -d postgres -c "select count(*) from pg_database where datname = '$name'")" == 0 ]]; then
    echo "$who: creating database $name" >&2
    psql_ -d postgres -c "CREATE DATABASE $name"
  fi
  export PG_URL="jdbc:postgresql://127.0.0.1:$BENCH_PGPORT/$name"
}

# Compiled once per run: Java's source launcher compiled the file at every call (2.4 s, 3.6-4.2 s of CPU), and the
# watcher that times a start-up starts together with the runtime, so it competed with the start-up being measured.
bench_tool() {
  BENCH_TOOL_CP="$1:$2/classes"
  BENCH_TOOL_XMX="$3"
  mkdir -p "$2/classes"
  javac -nowarn -cp "$1" -d "$2/classes" bench/ingest/IngestBench.java
}

bench() { java "-Xmx$BENCH_TOOL_XMX" -cp "$BENCH_TOOL_CP" IngestBench "$@"; }
