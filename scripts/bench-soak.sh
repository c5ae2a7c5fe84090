#!/usr/bin/env bash
# bench-soak.sh — endurance: the runtime at half its measured maximum rate for a long time (BENCHMARKS.md, "Soak").
#
#   bash scripts/bench-soak.sh [--minutes 30] [--calibrate-events 60000] [--rate N] [--jar target/ecom-pipeline.jar]
#
# 1. Calibration: --calibrate-events generated events are published to a fresh topic and the runtime drains them; the
#    maximum rate is events / seconds from its first batch to the last (IngestBench watch). --rate skips this.
# 2. Soak: a fresh topic, the runtime started, and the generator publishing at half that rate for --minutes, 10%
#    invalid events (dead letters, redelivered after 2 minutes, polled every 30 s, parked after 4 attempts), the
#    transform job every 3 minutes and the index job every 5 (Elasticsearch index hourly_metrics_soak).
# 3. Every 10 s: RSS and open file descriptors and sockets of the runtime (/proc), heap live after the last GC and
#    heap used (jvm_gc_live_data_size_bytes, jvm_memory_used_bytes), pool connections (hikaricp_connections*),
#    consumer lag (ecom_kafka_consumer_lag_all_partitions), rows and dead letters so far (its batch audit) — from
#    /proc, the runtime's Prometheus endpoint and pipeline.ingest_batches. Written to samples.csv; bench/soak/summarize.py makes the table (per 5 minutes,
#    and the trend: least-squares slope over the second half, and first vs last 5 minutes).
#
# Database BENCH_DB (default ecom_bench_soak, created if missing, the soak's rows deleted afterwards). Results:
# bench/results/soak-<timestamp>/ (machine.txt with the load, samples.csv, summary.md, logs).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

MINUTES=30
CALIBRATE=60000
RATE=""
RUNTIME_JAR="$REPO/target/ecom-pipeline.jar"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) MINUTES="$2"; shift 2 ;;
    --calibrate-events) CALIBRATE="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --jar) RUNTIME_JAR="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "bench-soak.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

BENCH_DB="${BENCH_DB:-ecom_bench_soak}"
SERVER_PORT="${BENCH_SERVER_PORT:-18181}"
MANAGEMENT_PORT="${BENCH_MANAGEMENT_PORT:-19977}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$REPO/bench/results/soak-$STAMP"
mkdir -p "$OUT" "$OUT/tmp"   # tmp: the runtime's own temp folder (its users file; a shared /tmp gets tidied)
log() { printf '[bench-soak %s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/bench.log" >&2; }

[[ -f "$RUNTIME_JAR" ]] || { echo "bench-soak.sh: no runtime jar at $RUNTIME_JAR (mvn -q package -DskipTests)" >&2; exit 1; }
# a copy: a rebuild of target/ during the run must not pull the jar from under the running JVMs
cp "$RUNTIME_JAR" "$OUT/runtime.jar"
JAR="$OUT/runtime.jar"
eval "$(bash scripts/local-stack.sh env)"
# shellcheck source=bench/ingest/tool.sh
source bench/ingest/tool.sh
bench_database "$BENCH_DB" bench-soak.sh
bench_tool "$JAR" "$OUT" 512m
bench migrate 2>>"$OUT/bench.log"

{
  echo "date: $(date -u +%FT%TZ)"
  echo "nproc: $(nproc), cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB total, " $7 " GiB available"}')"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "runtime jar: $RUNTIME_JAR (checkout at $(git log -1 --format=%h 2>/dev/null))"
  echo "command: bash scripts/bench-soak.sh --minutes $MINUTES --calibrate-events $CALIBRATE${RATE:+ --rate $RATE}"
} | tee "$OUT/machine.txt" >&2

RUNTIME_PID=""
GEN_PID=""
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
  [[ -n "$GEN_PID" ]] && kill "$GEN_PID" 2>/dev/null || true
  stop_runtime
  for t in "${TOPICS[@]+"${TOPICS[@]}"}"; do
    bench cleanup --topic "$t" 2>>"$OUT/bench.log" || true
    bench delete-topic --topic "$t" 2>>"$OUT/bench.log" || true
  done
  rm -f "$OUT/runtime.jar"
}
trap on_exit EXIT

start_runtime() { # start_runtime TOPIC RUN_ID LOG [VAR=value...]
  local topic="$1" run_id="$2" logfile="$3"; shift 3
  env KAFKA_TOPIC="$topic" KAFKA_GROUP_ID="soak-$STAMP-$topic" PIPELINE_RUN_ID="$run_id" PIPELINE_DEV_MODE=true \
      PIPELINE_API_PASSWORD=dev-only-password SERVER_PORT="$SERVER_PORT" MANAGEMENT_PORT="$MANAGEMENT_PORT" \
      PIPELINE_METRICS_REFRESH_MS=5000 "$@" \
      java -Xmx1g -Djava.io.tmpdir="$OUT/tmp" -jar "$JAR" >"$logfile" 2>&1 &
  RUNTIME_PID=$!
}

# ------------------------------------------------------------------------------------------------ 1. calibration
if [[ -z "$RATE" ]]; then
  topic="bench.soak.$STAMP.calibrate"; TOPICS+=("$topic")
  bench create-topic --topic "$topic" --partitions 6 2>>"$OUT/bench.log"
  java -jar "$JAR" generate --progress-seconds 0 --count "$CALIBRATE" --invalid 0.1 --rate 0 --seed "$(date +%s)" \
    --topic "$topic" >"$OUT/calibrate-generator.log" 2>&1
  run_id="$(cat /proc/sys/kernel/random/uuid)"
  launched="$(date +%s%3N)"
  start_runtime "$topic" "$run_id" "$OUT/calibrate.log" ES_HEALTH_ENABLED=false DEAD_LETTER_POLL_CRON="0 0 0 1 1 ? 2099"
  line="$(bench watch --topic "$topic" --run-id "$run_id" --expect "$CALIBRATE" --pid "$RUNTIME_PID" \
            --launched-ms "$launched" 2>>"$OUT/bench.log" | grep '^RESULT ' | tail -1)"
  stop_runtime
  echo "${line#RESULT }" > "$OUT/calibration.json"
  max="$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["eps"]))' "$OUT/calibration.json")"
  RATE=$(( max / 2 ))
  log "calibration: $max events/s at most (first batch to last) -> soak at $RATE events/s"
fi
echo "soak rate: $RATE events/s for $MINUTES minutes" >> "$OUT/machine.txt"

# ------------------------------------------------------------------------------------------------ 2. soak
topic="bench.soak.$STAMP.soak"; TOPICS+=("$topic")
bench create-topic --topic "$topic" --partitions 6 2>>"$OUT/bench.log"
run_id="$(cat /proc/sys/kernel/random/uuid)"
start_runtime "$topic" "$run_id" "$OUT/runtime.log" \
  DEAD_LETTER_REDELIVERY_DELAY=PT2M DEAD_LETTER_POLL_CRON="0/30 * * * * ?" DEAD_LETTER_MAX_ATTEMPTS=4 \
  TRANSFORM_CRON="0 */3 * * * ?" INDEX_CRON="0 */5 * * * ?" ES_INDEX=hourly_metrics_soak
until grep -q "started in" "$OUT/runtime.log"; do
  kill -0 "$RUNTIME_PID" 2>/dev/null || { tail -20 "$OUT/runtime.log" >&2; exit 1; }
  sleep 1
done
log "soak: runtime pid $RUNTIME_PID on $topic; generator at $RATE events/s for $MINUTES min"
java -Xmx256m -jar "$JAR" generate --progress-seconds 60 --count "$(( RATE * MINUTES * 60 ))" --invalid 0.1 \
  --rate "$RATE" --seed "$(( $(date +%s) + 7 ))" --topic "$topic" >"$OUT/generator.log" 2>&1 &
GEN_PID=$!

metric() { # metric NAME [LABEL_FILTER] -> sum of the series (Prometheus text), or empty
  awk -v name="$1" -v filter="${2:-}" '$1 ~ "^"name"({|$)" && (filter == "" || index($1, filter)) { sum += $NF; n++ }
    END { if (n) printf "%.0f", sum }' "$OUT/metrics.prom"
}
echo "t_s,rss_kb,heap_live_bytes,heap_used_bytes,fds,sockets,pool_active,pool_idle,pool_total,lag,rows,dead_letters,load1" \
  > "$OUT/samples.csv"
t0="$(date +%s)"
end=$(( t0 + MINUTES * 60 ))
while (( $(date +%s) < end )); do
  kill -0 "$RUNTIME_PID" 2>/dev/null || { log "the runtime exited"; exit 1; }
  next=$(( $(date +%s) + 10 ))
  curl -s -m 5 -u operator:dev-only-password "http://127.0.0.1:$MANAGEMENT_PORT/observe/metrics" > "$OUT/metrics.prom" || true
  rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$RUNTIME_PID/status")"
  # a descriptor closed while these read the folder makes them fail: with pipefail that ended the whole soak once
  fds="$(ls "/proc/$RUNTIME_PID/fd" 2>/dev/null | wc -l || true)"
  sockets="$(find "/proc/$RUNTIME_PID/fd" -lname 'socket:*' 2>/dev/null | wc -l || true)"
  # from the batch audit of this run (cheap), not by counting the growing tables
  counts="$(psql_ -d "$BENCH_DB" -F, -c "select coalesce(sum(inserted), 0), coalesce(sum(dead_lettered), 0)
            from pipeline.ingest_batches where run_id = '$run_id'" 2>/dev/null || echo ",")"
  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$(( $(date +%s) - t0 ))" "$rss" \
    "$(metric jvm_gc_live_data_size_bytes)" "$(metric jvm_memory_used_bytes 'area="heap"')" "$fds" "$sockets" \
    "$(metric hikaricp_connections_active)" "$(metric hikaricp_connections_idle)" "$(metric hikaricp_connections 'pool=')" \
    "$(metric ecom_kafka_consumer_lag_all_partitions)" "$counts" "$(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/samples.csv"
  while (( $(date +%s) < next )); do sleep 1; done
done
log "soak done: $(tail -1 "$OUT/samples.csv")"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
grep -c "ALERT" "$OUT/runtime.log" > "$OUT/alerts.count" || true
python3 bench/soak/summarize.py "$OUT/samples.csv" | tee "$OUT/summary.md"
