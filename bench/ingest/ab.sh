#!/usr/bin/env bash
# ab.sh — side-by-side throughput of runtime jars on the same pre-published topic, for before/after figures of a
# performance change:
#
#   bash bench/ingest/ab.sh [--events 1000000] [--reps 3] [--seed S] NAME=path/to/a.jar[@VAR=v,VAR=v] ...
#
# A contender is a jar, optionally with runtime settings of its own after '@' (e.g. to compare KAFKA_CONSUMERS or
# PIPELINE_BATCH_SIZE values with the same jar: c1=target/ecom-pipeline.jar@KAFKA_CONSUMERS=1); words there that start
# with '-' are JVM options, which replace BENCH_JAVA_OPTS for that contender (e.g. small=x.jar@-Xmx256m,-XX:+UseSerialGC);
# JAVA_HOME=<dir> there runs that contender on <dir>/bin/java (jdk25=x.jar@JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64).
#
# One topic, N events (25% invalid) published once; then per repetition every jar runs once (order rotated each
# repetition), each with a fresh consumer group, timed like scripts/bench.sh's pipeline contender; rows deleted by
# topic and the tables vacuumed between runs. Extra runtime settings: BENCH_PIPELINE_ENV, BENCH_JAVA_OPTS.
# Output: bench/results/ab-<stamp>/results.jsonl and a table of medians.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
EVENTS=1000000
REPS=3
SEED="$(( $(date +%s) % 100000 ))"
JARS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --events) EVENTS="$2"; shift 2 ;;
    --reps) REPS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    *=*) JARS+=("$1"); shift ;;
    *) echo "ab.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
BENCH_DB="${BENCH_DB:-ecom_bench}"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx1g}"
BENCH_PIPELINE_ENV="${BENCH_PIPELINE_ENV:-}"
SERVER_PORT="${BENCH_SERVER_PORT:-18180}"
MANAGEMENT_PORT="${BENCH_MANAGEMENT_PORT:-19976}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$REPO/bench/results/ab-$STAMP"
mkdir -p "$OUT"
# the benchmark's own helper compiles against this jar; point it at a copy while rebuilding target/
TOOLJAR="${BENCH_TOOL_JAR:-$REPO/target/ecom-pipeline.jar}"
eval "$(bash scripts/local-stack.sh env)"
log() { printf '[ab %s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/ab.log" >&2; }
# shellcheck source=bench/ingest/tool.sh
source bench/ingest/tool.sh
bench_database "$BENCH_DB" ab.sh
bench_tool "$TOOLJAR" "$OUT" 2g

topic="bench.ab.$STAMP"
PID=""
cleanup() {
  [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null && { kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; }
  bench cleanup --topic "$topic" 2>>"$OUT/ab.log" || true
  bench delete-topic --topic "$topic" 2>>"$OUT/ab.log" || true
}
trap cleanup EXIT
bench migrate 2>>"$OUT/ab.log" || { tail -5 "$OUT/ab.log" >&2; echo "ab.sh: migrating $BENCH_DB failed (above)" >&2; exit 1; }
bench create-topic --topic "$topic" --partitions 6 2>>"$OUT/ab.log"
java -jar "$TOOLJAR" generate --progress-seconds 0 --count "$EVENTS" --invalid 0.25 --rate 0 --seed "$SEED" \
  --topic "$topic" | head -1 | tee -a "$OUT/ab.log"
log "seed $SEED; load: $(cut -d' ' -f1-3 /proc/loadavg); env: ${BENCH_PIPELINE_ENV:-none}; contenders: ${JARS[*]}"
n=${#JARS[@]}
for rep in $(seq 1 "$REPS"); do
  for k in $(seq 0 $((n - 1))); do
    spec="${JARS[$(( (k + rep - 1) % n ))]}"
    name="${spec%%=*}"; jar="${spec#*=}"; extra=""
    if [[ "$jar" == *@* ]]; then extra="${jar#*@}"; extra="${extra//,/ }"; jar="${jar%%@*}"; fi
    jvm=""; envs=""
    for word in $extra; do if [[ "$word" == -* ]]; then jvm="$jvm $word"; else envs="$envs $word"; fi; done
    extra="$envs"; jvm="${jvm:-$BENCH_JAVA_OPTS}"
    javabin=java   # a contender's own JAVA_HOME=... runs it on that JDK (e.g. 17 vs 25, same jar)
    for word in $envs; do if [[ "$word" == JAVA_HOME=* ]]; then javabin="${word#JAVA_HOME=}/bin/java"; fi; done
    run_id="$(cat /proc/sys/kernel/random/uuid)"
    launched="$(date +%s%3N)"
    # shellcheck disable=SC2086
    env KAFKA_TOPIC="$topic" KAFKA_GROUP_ID="bench-ab-$STAMP-$rep-$name" PIPELINE_RUN_ID="$run_id" \
      PIPELINE_DEV_MODE=true PIPELINE_API_PASSWORD=dev-only-password SERVER_PORT="$SERVER_PORT" \
      MANAGEMENT_PORT="$MANAGEMENT_PORT" ES_HEALTH_ENABLED=false $BENCH_PIPELINE_ENV $extra \
      "$javabin" $jvm -jar "$jar" >"$OUT/$name-$rep.log" 2>&1 &
    PID=$!
    line="$(bench watch --topic "$topic" --run-id "$run_id" --expect "$EVENTS" --pid "$PID" --launched-ms "$launched" 2>>"$OUT/ab.log" | grep '^RESULT')"
    kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=""
    printf '{"name":"%s","rep":%s,%s\n' "$name" "$rep" "${line#RESULT \{}" >>"$OUT/results.jsonl"
    log "rep $rep $name: ${line#RESULT }"
    bench cleanup --topic "$topic" --run-id "$run_id" 2>>"$OUT/ab.log"
    psql_ -d "$BENCH_DB" -c "VACUUM ANALYZE raw.events" -c "VACUUM ANALYZE pipeline.dead_letters"
  done
done
python3 - "$OUT/results.jsonl" <<'EOF' | tee "$OUT/summary.txt"
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
names = list(dict.fromkeys(r["name"] for r in rows))
print(f"{'jar':<12} {'events/s median':>15}  {'runs':<26} {'steady ev/s':>11} {'runtime µs/ev':>13} {'PG µs/ev':>9} {'RSS MB':>7} {'start s':>8}  {'1st commit s'}")
for n in names:
    rs = [r for r in rows if r["name"] == n]
    eps = [r["eps"] for r in rs]
    st = lambda k: statistics.median([r.get(k, float("nan")) for r in rs])
    print(f"{n:<12} {statistics.median(eps):>15,.0f}  {', '.join(f'{e:,.0f}' for e in eps):<26} {st('eps_steady'):>11,.0f} "
          f"{st('cpu_us_per_event_steady'):>13.1f} {st('pg_us_per_event_steady'):>9.1f} {max(r['rss_peak_mb'] for r in rs):>7} "
          f"{', '.join(str(r.get('startup_s')) for r in rs):>8}  {', '.join(str(r.get('first_commit_s')) for r in rs)}")
base = names[0]
for n in names[1:]:
    ratios = [next(r for r in rows if r["name"] == n and r["rep"] == k)["eps"] / next(r for r in rows if r["name"] == base and r["rep"] == k)["eps"]
              for k in sorted({r["rep"] for r in rows})]
    print(f"{n} / {base}: median per-rep ratio {statistics.median(ratios):.2f} ({', '.join(f'{x:.2f}' for x in ratios)})")
EOF
