#!/usr/bin/env bash
# bench-poison.sh — what records PostgreSQL cannot store cost the ingest (BENCHMARKS.md, "Poison records").
#
#   bash scripts/bench-poison.sh [--events 40000] [--poison 20] [--reps 3] [--jar target/ecom-pipeline.jar]
#
# Per repetition two fresh 6-partition topics get --events generated events each (two seeds: the same seed would
# make the second stream all duplicates), the second with --poison of them replaced by records jsonb, text or timestamptz refuses (an unpaired surrogate
# escape, NUL in the event id, NUL in a property name, year 0, 1e131072; bench/ingest/IngestBench.java
# publish-poison). The runtime jar (--jar; an older build measures "before") ingests each topic from a fresh group;
# the time is its first batch until every record is a row or a dead letter (IngestBench watch). Clean and poison
# alternate their order between repetitions. Database: BENCH_DB (default ecom_bench); rows are deleted by topic
# afterwards; BENCH_HELPERS_JAR: a jar of this checkout for the helpers instead of target/ (built if stale);
# BENCH_RUNTIME_JAVA_OPTS: more JVM options for the runtime, {run} replaced by kind-rep (e.g. a JFR recording:
# BENCH_RUNTIME_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/{run}.jfr,settings=profile').
# Results: bench/results/poison-<timestamp>/results.jsonl and a table on stdout.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

EVENTS=40000
POISON=20
REPS=3
RUNTIME_JAR="$REPO/target/ecom-pipeline.jar"
RUNTIME_OPTS="${BENCH_RUNTIME_JAVA_OPTS:-}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --events) EVENTS="$2"; shift 2 ;;
    --poison) POISON="$2"; shift 2 ;;
    --reps) REPS="$2"; shift 2 ;;
    --jar) RUNTIME_JAR="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench-poison.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

BENCH_DB="${BENCH_DB:-ecom_bench}"
SERVER_PORT="${BENCH_SERVER_PORT:-18180}"
MANAGEMENT_PORT="${BENCH_MANAGEMENT_PORT:-19976}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$REPO/bench/results/poison-$STAMP"
RESULTS="$OUT/results.jsonl"
JAR="$REPO/target/ecom-pipeline.jar"   # the benchmark helpers always come from this checkout
mkdir -p "$OUT" "$OUT/tmp"   # tmp: the runtime's own temp folder (its users file; a shared /tmp gets tidied)
log() { printf '[bench-poison %s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/bench.log" >&2; }

if [[ -n "${BENCH_HELPERS_JAR:-}" ]]; then   # a given build of this checkout (no rebuild of target/ meanwhile)
  JAR="$BENCH_HELPERS_JAR"
elif [[ ! -f "$JAR" ]] || [[ -n "$(find src/main pom.xml sql -newer "$JAR" -type f -print -quit)" ]]; then
  log "building $JAR"
  mvn -o -q package -DskipTests
fi
[[ -f "$RUNTIME_JAR" ]] || { echo "bench-poison.sh: no runtime jar at $RUNTIME_JAR" >&2; exit 1; }
# copies: a rebuild of target/ during the run must not pull the jar from under a running JVM
cp "$JAR" "$OUT/bench-helpers.jar" && JAR="$OUT/bench-helpers.jar"
cp "$RUNTIME_JAR" "$OUT/runtime.jar"
RUNTIME_LABEL="$RUNTIME_JAR"; RUNTIME_JAR="$OUT/runtime.jar"
eval "$(bash scripts/local-stack.sh env)"
# shellcheck source=bench/ingest/tool.sh
source bench/ingest/tool.sh
bench_database "$BENCH_DB" bench-poison.sh
bench_tool "$JAR" "$OUT" 1g
bench migrate 2>>"$OUT/bench.log"

{
  echo "date: $(date -u +%FT%TZ)"
  echo "nproc: $(nproc), cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "runtime jar: $RUNTIME_LABEL (checkout at $(git log -1 --format=%h 2>/dev/null))"
  echo "command: bash scripts/bench-poison.sh --events $EVENTS --poison $POISON --reps $REPS --jar $RUNTIME_LABEL"
} | tee "$OUT/machine.txt" >&2

RUNTIME_PID=""
TOPICS=()
stop_runtime() {
  if [[ -n "$RUNTIME_PID" ]] && kill -0 "$RUNTIME_PID" 2>/dev/null; then
    kill -TERM "$RUNTIME_PID"
    for _ in $(seq 1 120); do kill -0 "$RUNTIME_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$RUNTIME_PID" 2>/dev/null && kill -KILL "$RUNTIME_PID"
    wait "$RUNTIME_PID" 2>/dev/null || true
  fi
  RUNTIME_PID=""
}
on_exit() {
  stop_runtime
  for t in "${TOPICS[@]+"${TOPICS[@]}"}"; do
    bench cleanup --topic "$t" 2>>"$OUT/bench.log" || true
    bench delete-topic --topic "$t" 2>>"$OUT/bench.log" || true
  done
  rm -f "$OUT/bench-helpers.jar" "$OUT/runtime.jar"
}
trap on_exit EXIT

run() { # run KIND TOPIC REP
  local kind="$1" topic="$2" rep="$3" run_id launched line
  run_id="$(cat /proc/sys/kernel/random/uuid)"
  launched="$(date +%s%3N)"
  env KAFKA_TOPIC="$topic" KAFKA_GROUP_ID="bench-poison-$STAMP-$kind-$rep" PIPELINE_RUN_ID="$run_id" \
      PIPELINE_DEV_MODE=true PIPELINE_API_PASSWORD=dev-only-password SERVER_PORT="$SERVER_PORT" \
      MANAGEMENT_PORT="$MANAGEMENT_PORT" ES_HEALTH_ENABLED=false DEAD_LETTER_POLL_CRON="0 0 0 1 1 ? 2099" \
      java -Xmx1g -Djava.io.tmpdir="$OUT/tmp" ${RUNTIME_OPTS//\{run\}/$kind-$rep} -jar "$RUNTIME_JAR" \
      >"$OUT/$kind-$rep.log" 2>&1 &
  RUNTIME_PID=$!
  bench watch --topic "$topic" --run-id "$run_id" --expect "$EVENTS" --pid "$RUNTIME_PID" --launched-ms "$launched" \
    2>>"$OUT/bench.log" | while IFS= read -r line; do
      if [[ "$line" == RESULT\ * ]]; then
        printf '{"kind":"%s","rep":%s,%s\n' "$kind" "$rep" "${line#RESULT \{}" >>"$RESULTS"
        log "  $kind: ${line#RESULT }"
      fi
    done
  stop_runtime
  log "  $kind: $(grep -c 'record by record' "$OUT/$kind-$rep.log" || true) batches placed record by record, $(grep -c 'On delivery attempt' "$OUT/$kind-$rep.log" || true) batch retries"
}

for rep in $(seq 1 "$REPS"); do
  seed="$(( $(date +%s) % 100000 * 1000 + rep ))"
  clean="bench.poison.$STAMP.$rep.clean"; dirty="bench.poison.$STAMP.$rep.poison"
  TOPICS+=("$clean" "$dirty")
  log "rep $rep/$REPS: publishing $EVENTS events to $clean and the same with $POISON poison records to $dirty (seed $seed)"
  for t in "$clean" "$dirty"; do bench create-topic --topic "$t" --partitions 6 2>>"$OUT/bench.log"; done
  # two seeds: the same seed would give both streams the same event ids, and the second one ingested would take the
  # slower duplicate path (staging + ON CONFLICT) for all its rows
  bench publish-poison --topic "$clean" --count "$EVENTS" --poison 0 --seed "$seed" 2>>"$OUT/bench.log" >/dev/null
  bench publish-poison --topic "$dirty" --count "$EVENTS" --poison "$POISON" --seed "$((seed + 500))" 2>>"$OUT/bench.log" >/dev/null
  order="clean poison"; (( rep % 2 == 0 )) && order="poison clean"
  for kind in $order; do
    if [[ $kind == clean ]]; then run clean "$clean" "$rep"; else run poison "$dirty" "$rep"; fi
  done
  echo "load after rep $rep: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
done

python3 - "$RESULTS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows:
    by.setdefault(r["kind"], []).append(r["seconds"])
clean, poison = statistics.median(by["clean"]), statistics.median(by["poison"])
print("| stream | runs (s) | median (s) |")
print("|---|---|---|")
for k in ("clean", "poison"):
    print(f"| {k} | {', '.join(f'{s:.1f}' for s in by[k])} | {statistics.median(by[k]):.1f} |")
print(f"\npoison overhead (median vs median): {100 * (poison - clean) / clean:+.0f}%")
pairs = {}
for r in rows:
    pairs.setdefault(r["rep"], {})[r["kind"]] = r
print("\n| rep | clean (s) | poison (s) | poison / clean | runtime CPU clean / poison (s) |")
print("|---|---|---|---|---|")
ratios = []
for rep in sorted(pairs):
    p = pairs[rep]
    if "clean" in p and "poison" in p:
        ratio = p["poison"]["seconds"] / p["clean"]["seconds"]
        ratios.append(ratio)
        print(f"| {rep} | {p['clean']['seconds']:.2f} | {p['poison']['seconds']:.2f} | {ratio:.2f} | "
              f"{p['clean']['cpu_s']:.2f} / {p['poison']['cpu_s']:.2f} |")
if ratios:
    print(f"\nmedian of the per-repetition ratios {statistics.median(ratios):.3f} (spread {min(ratios):.2f}-{max(ratios):.2f})")
PY
