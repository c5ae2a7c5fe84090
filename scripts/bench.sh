#!/usr/bin/env bash
# bench.sh — the ingest benchmark of BENCHMARKS.md, everything on loopback against the local stack.
#
#   bash scripts/bench.sh [--events 1000000] [--reps 3] [--rate 5000] [--latency-seconds 60]
#                         [--latency-warmup 200000] [--only throughput|latency]
#                         [--arm 'LABEL=[generator=replay|generate] [VAR=value ...]' ...]
#
# Per repetition of the throughput part: a fresh 6-partition topic gets N pre-published events (25% invalid, a
# different seed each time), then on that same topic, each with a fresh consumer group:
#   bare-consume   one bare KafkaConsumer that does nothing with the records        (Kafka ceiling)
#   copy-ceiling   one bare COPY of the same rows into scratch tables shaped like
#                  raw.events and pipeline.dead_letters (rows prepared untimed)              (PostgreSQL ceiling)
#   pipeline       java -jar target/ecom-pipeline.jar, timed from its first batch until every record is a row or a
#                  dead letter (pipeline.ingest_batches of its run id; then checked by topic in raw.events/pipeline.dead_letters)
#   baseline       seed-004-style Python consumer (confluent-kafka + psycopg2, batches of 500, execute_batch
#                  INSERT ... ON CONFLICT DO NOTHING, commit per batch, offsets after the DB commit)
# pipeline and baseline alternate their order between repetitions. Latency part: per repetition a fresh topic, the
# runtime started and its group stable, --latency-warmup events published as fast as possible and all committed (JIT
# warm-up: a cold JVM at 5k/s builds a backlog that takes a minute to drain), then the generator publishes at --rate
# for --latency-seconds while the probe measures publish (Kafka CreateTime) -> committed row of those records: the
# row's commit timestamp (exact; the local stack turns on track_commit_timestamp) with the mean WAL flush after it,
# between a lower bound (the transaction's start) and an upper bound (the committed offset, polled every 20 ms).
# The paced generator replays 20,000 pre-serialised events with fresh ids and moved event times (generate --distinct,
# one producer thread), so it takes a few percent of a core; its CPU share, the probe's, the runtime's and the machine's
# load during the paced phase are recorded with every latency result. --arm (repeatable) runs each repetition once per
# arm, side by side: generator=generate is the per-event generator of before, other VAR=value pairs are runtime
# settings on top of BENCH_PIPELINE_ENV (e.g. --arm before=PIPELINE_BATCH_MAX_WAIT_MS=500 --arm after=).
#
# Settings (environment): BENCH_DB (default ecom_bench, created if missing; rows are deleted by topic after each
# run, scratch tables dropped), BENCH_JAVA_OPTS (runtime JVM options; default: bin/ecom-pipeline), BENCH_PIPELINE_ENV
# (extra VAR=value pairs for the runtime, e.g. "PIPELINE_BATCH_SIZE=5000 KAFKA_CONSUMERS=3"), BENCH_SERVER_PORT /
# BENCH_MANAGEMENT_PORT (18180 / 19976), BENCH_CONTENDERS (default "bare copy pipeline baseline").
# Results: bench/results/<timestamp>/results.jsonl (+ logs), table printed by bench/ingest/summarize.py.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

EVENTS=1000000
REPS=3
RATE=5000
LAT_SECONDS=60
LAT_WARMUP=200000
ONLY=""
ARMS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --events) EVENTS="$2"; shift 2 ;;
    --reps) REPS="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --latency-seconds) LAT_SECONDS="$2"; shift 2 ;;
    --latency-warmup) LAT_WARMUP="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --arm) ARMS+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

BENCH_DB="${BENCH_DB:-ecom_bench}"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-}"   # empty: bin/ecom-pipeline's defaults (and its CDS archive when built)
BENCH_PIPELINE_ENV="${BENCH_PIPELINE_ENV:-}"
BENCH_CONTENDERS="${BENCH_CONTENDERS:-bare copy pipeline baseline}"
SERVER_PORT="${BENCH_SERVER_PORT:-18180}"
MANAGEMENT_PORT="${BENCH_MANAGEMENT_PORT:-19976}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SEED_BASE="$(( $(date +%s) % 100000 * 1000 ))"   # new event ids every run, so no run meets another's rows
OUT="$REPO/bench/results/$STAMP"
RESULTS="$OUT/results.jsonl"
VENV="$REPO/.local/bench-venv"
JAR="$REPO/target/ecom-pipeline.jar"
mkdir -p "$OUT"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/bench.log" >&2; }
has() { [[ " $BENCH_CONTENDERS " == *" $1 "* ]]; }

# ------------------------------------------------------------------------------------------------ prerequisites
if [[ ! -f "$JAR" ]] || [[ -n "$(find src/main pom.xml sql -newer "$JAR" -type f -print -quit)" ]]; then
  log "building $JAR"
  mvn -o -q package -DskipTests
fi
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import confluent_kafka, psycopg2' 2>/dev/null; then
  log "setting up $VENV (confluent-kafka, psycopg2-binary from PyPI)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q confluent-kafka psycopg2-binary
fi
eval "$(bash scripts/local-stack.sh env)"
# shellcheck source=bench/ingest/tool.sh
source bench/ingest/tool.sh
bench_database "$BENCH_DB" bench.sh
for port in "$SERVER_PORT" "$MANAGEMENT_PORT"; do
  if ss -ltn | awk '{print $4}' | grep -qE "[:.]$port\$"; then
    echo "bench.sh: port $port is in use; set BENCH_SERVER_PORT / BENCH_MANAGEMENT_PORT" >&2; exit 1
  fi
done

bench_tool "$JAR" "$OUT" 4g
record() { # record KIND REP [ARM] -- reads RESULT lines from stdin, tags them, appends to results.jsonl
  local kind="$1" rep="$2" arm="${3:-}" line
  while IFS= read -r line; do
    if [[ "$line" == RESULT\ * ]]; then
      printf '{"kind":"%s","rep":%s,%s%s\n' "$kind" "$rep" "${arm:+\"arm\":\"$arm\",}" "${line#RESULT \{}" >>"$RESULTS"
      log "  ${line#RESULT }"
    else
      printf '%s\n' "$line" >>"$OUT/bench.log"
    fi
  done
}

bench migrate 2>>"$OUT/bench.log"

# machine facts
{
  echo "date: $(date -u +%FT%TZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB total, " $7 " GiB available"}')"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java (tools): $(java -version 2>&1 | head -1)"
  echo "java (runtime): $(if [[ -n "$BENCH_JAVA_OPTS" ]]; then java -version 2>&1 | head -1; else "$(source bin/java-env; ecom_java)" -version 2>&1 | head -1; fi)"
  echo "postgresql: $(psql_ -d "$BENCH_DB" -c 'show server_version')"
  echo "kafka broker: $(grep -oE 'kafka_2\.13:[0-9.]+' scripts/local-stack.sh | head -1 | cut -d: -f2) (scripts/local-stack.sh)"
  echo "kafka-clients: $(unzip -p "$JAR" kafka/kafka-version.properties 2>/dev/null | sed -n 's/^version=//p')"
  echo "python: $("$VENV/bin/python" -c 'import sys, confluent_kafka, psycopg2; print(sys.version.split()[0], "confluent-kafka", confluent_kafka.__version__, "librdkafka", confluent_kafka.libversion()[0], "psycopg2", psycopg2.__version__.split()[0])')"
  echo "runtime JVM options: ${BENCH_JAVA_OPTS:-bin/ecom-pipeline defaults$(source bin/java-env
    a="$(ecom_archive "$JAR" "$(ecom_java_major "$(ecom_java)")")"; [[ -f "$a" ]] && echo " + start-up archive ${a##*/}")}"
  echo "runtime extra env: ${BENCH_PIPELINE_ENV:-none}"
  echo "command: bash scripts/bench.sh --events $EVENTS --reps $REPS --rate $RATE --latency-seconds $LAT_SECONDS --latency-warmup $LAT_WARMUP${ONLY:+ --only $ONLY}"
} | tee "$OUT/machine.txt" >&2

# ------------------------------------------------------------------------------------------------ the runtime
RUNTIME_PID=""
start_runtime() { # start_runtime TOPIC GROUP RUN_ID LOG [EXTRA_ENV]
  # shellcheck disable=SC2086
  env KAFKA_TOPIC="$1" KAFKA_GROUP_ID="$2" PIPELINE_RUN_ID="$3" PIPELINE_DEV_MODE=true \
      PIPELINE_API_PASSWORD=dev-only-password SERVER_PORT="$SERVER_PORT" MANAGEMENT_PORT="$MANAGEMENT_PORT" \
      ES_HEALTH_ENABLED=false $BENCH_PIPELINE_ENV ${5:-} \
      $(if [[ -n "$BENCH_JAVA_OPTS" ]]; then echo "java $BENCH_JAVA_OPTS -jar $JAR"; else echo "bin/ecom-pipeline"; fi) >"$4" 2>&1 &
  RUNTIME_PID=$!
}
stop_runtime() {
  if [[ -n "$RUNTIME_PID" ]] && kill -0 "$RUNTIME_PID" 2>/dev/null; then
    kill -TERM "$RUNTIME_PID"
    for _ in $(seq 1 120); do kill -0 "$RUNTIME_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$RUNTIME_PID" 2>/dev/null && kill -KILL "$RUNTIME_PID"
    wait "$RUNTIME_PID" 2>/dev/null || true
  fi
  RUNTIME_PID=""
}
CURRENT_TOPIC=""
on_exit() {
  stop_runtime
  if [[ -n "$CURRENT_TOPIC" ]]; then
    bench cleanup --topic "$CURRENT_TOPIC" 2>>"$OUT/bench.log" || true
    bench delete-topic --topic "$CURRENT_TOPIC" 2>>"$OUT/bench.log" || true
  fi
  psql_ -d "$BENCH_DB" -c "select 'DROP TABLE ' || string_agg(quote_ident(tablename), ', ') from pg_tables where tablename like 'bench\_%'" \
    | grep -v '^$' | psql_ -d "$BENCH_DB" >/dev/null 2>&1 || true
}
trap on_exit EXIT

vacuum() { psql_ -d "$BENCH_DB" -c "VACUUM ANALYZE raw.events" -c "VACUUM ANALYZE pipeline.dead_letters" -c "VACUUM ANALYZE pipeline.ingest_batches"; }
finish_topic() { # finish_topic TOPIC RUN_IDS: delete its rows and audit, vacuum, delete the topic
  bench cleanup --topic "$1" --run-id "$2" 2>>"$OUT/bench.log"
  vacuum
  bench delete-topic --topic "$1" 2>>"$OUT/bench.log"
  CURRENT_TOPIC=""
}

run_pipeline() { # run_pipeline TOPIC REP
  local topic="$1" rep="$2" run_id group
  run_id="$(cat /proc/sys/kernel/random/uuid)"
  group="bench-pipeline-$STAMP-$rep"
  local launched; launched="$(date +%s%3N)"
  start_runtime "$topic" "$group" "$run_id" "$OUT/pipeline-$rep.log"
  bench watch --topic "$topic" --run-id "$run_id" --expect "$EVENTS" --pid "$RUNTIME_PID" --launched-ms "$launched" \
    2>>"$OUT/bench.log" | record throughput "$rep"
  stop_runtime
  RUN_IDS="$RUN_IDS,$run_id"
}

# ------------------------------------------------------------------------------------------------ throughput
if [[ -z "$ONLY" || "$ONLY" == throughput ]]; then
  for rep in $(seq 1 "$REPS"); do
    topic="bench.tp.$STAMP.$rep"
    CURRENT_TOPIC="$topic"; RUN_IDS=""
    log "throughput rep $rep/$REPS: topic $topic, publishing $EVENTS events"
    bench create-topic --topic "$topic" --partitions 6 2>>"$OUT/bench.log"
    java -jar "$JAR" generate --progress-seconds 0 --count "$EVENTS" --invalid 0.25 --rate 0 \
      --seed "$((SEED_BASE + rep))" --topic "$topic" >"$OUT/generator-$rep.log" 2>&1
    log "  $(head -1 "$OUT/generator-$rep.log")"
    if has bare; then log "  bare consumer"; bench bare-consume --topic "$topic" --expect "$EVENTS" 2>>"$OUT/bench.log" | record throughput "$rep"; fi
    if has copy; then log "  COPY ceiling"; bench copy-ceiling --topic "$topic" --expect "$EVENTS" --tag "r$rep" 2>>"$OUT/bench.log" | record throughput "$rep"; fi
    order="pipeline baseline"; (( rep % 2 == 0 )) && order="baseline pipeline"
    for contender in $order; do
      if [[ $contender == pipeline ]] && has pipeline; then
        log "  pipeline"; run_pipeline "$topic" "$rep"
      elif [[ $contender == baseline ]] && has baseline; then
        log "  baseline (Python)"
        "$VENV/bin/python" bench/ingest/baseline_consumer.py --topic "$topic" --expect "$EVENTS" \
          --table "bench_baseline_r$rep" 2>>"$OUT/bench.log" | record throughput "$rep"
      fi
    done
    finish_topic "$topic" "${RUN_IDS#,}"
  done
fi

# ------------------------------------------------------------------------------------------------ latency
# CPU ticks (utime+stime) of a process and its children; machine-wide busy and total jiffies
tree_ticks() {
  local pid t=0 f
  for pid in "$1" $(pgrep -P "$1" 2>/dev/null); do
    f="$(cut -d')' -f2- "/proc/$pid/stat" 2>/dev/null)" || continue
    t=$(( t + $(awk '{print $12 + $13}' <<<"$f") ))
  done
  echo "$t"
}
machine_jiffies() { awk '/^cpu / {busy=$2+$3+$4+$7+$8+$9; print busy, busy+$5+$6}' /proc/stat; }

if [[ -z "$ONLY" || "$ONLY" == latency ]]; then
  count=$((RATE * LAT_SECONDS))
  [[ ${#ARMS[@]} -gt 0 ]] || ARMS=("default=")
  HZ="$(getconf CLK_TCK)"
  for rep in $(seq 1 "$REPS"); do
    for arm_spec in "${ARMS[@]}"; do
      arm="${arm_spec%%=*}"; arm_env=""; generator=replay
      for word in ${arm_spec#*=}; do
        if [[ "$word" == generator=* ]]; then generator="${word#generator=}"; else arm_env="$arm_env $word"; fi
      done
      gen_opts="--distinct 20000"; [[ "$generator" == generate ]] && gen_opts=""
      topic="bench.lat.$STAMP.$rep.$arm"
      CURRENT_TOPIC="$topic"
      group="bench-latency-$STAMP-$rep-$arm"
      run_id="$(cat /proc/sys/kernel/random/uuid)"
      log "latency rep $rep/$REPS arm $arm (generator $generator;${arm_env:- default settings}): $count events at $RATE/s on $topic"
      bench create-topic --topic "$topic" --partitions 6 2>>"$OUT/bench.log"
      start_runtime "$topic" "$group" "$run_id" "$OUT/latency-$rep-$arm.log" "$arm_env"
      consumers="$(grep -oE 'KAFKA_CONSUMERS=[0-9]+' <<<"$BENCH_PIPELINE_ENV $arm_env" | tail -1 | cut -d= -f2 || true)"
      bench wait-group --group "$group" --members "${consumers:-2}" 2>>"$OUT/bench.log"
      # the probe watches from before the warm-up; it counts only records created after the time in since-file
      since_file="$OUT/lat-since-$rep-$arm"
      bench latency --topic "$topic" --group "$group" --expect "$((LAT_WARMUP + count))" --since-file "$since_file" \
        2>>"$OUT/bench.log" >"$OUT/probe-$rep-$arm.out" &
      probe=$!
      log "  warm-up: $LAT_WARMUP events as fast as possible, until all are committed"
      java -jar "$JAR" generate --progress-seconds 0 --count "$LAT_WARMUP" --invalid 0.25 --rate 0 \
        --seed "$((SEED_BASE + 200 + rep))" --topic "$topic" >"$OUT/lat-warmup-$rep-$arm.log" 2>&1
      bench wait-committed --topic "$topic" --group "$group" 2>>"$OUT/bench.log"
      date +%s%3N >"$since_file"
      read -r load_start _ </proc/loadavg
      read -r m_busy0 m_total0 < <(machine_jiffies)
      probe_t0="$(tree_ticks "$probe")"; runtime_t0="$(tree_ticks "$RUNTIME_PID")"; t0="$(date +%s%3N)"
      # shellcheck disable=SC2086
      java -jar "$JAR" generate --progress-seconds 0 --count "$count" --invalid 0.25 --rate "$RATE" $gen_opts \
        --seed "$((SEED_BASE + 100 + rep))" --topic "$topic" >"$OUT/lat-generator-$rep-$arm.log" 2>&1
      t1="$(date +%s%3N)"; probe_t1="$(tree_ticks "$probe")"; runtime_t1="$(tree_ticks "$RUNTIME_PID")"
      read -r m_busy1 m_total1 < <(machine_jiffies)
      read -r load_end _ </proc/loadavg
      log "  $(head -1 "$OUT/lat-generator-$rep-$arm.log")"
      wait "$probe"
      record latency "$rep" "$arm" <"$OUT/probe-$rep-$arm.out"
      gen_share="$(sed -nE 's/.*\(([0-9.]+) of one core\).*/\1/p' "$OUT/lat-generator-$rep-$arm.log" | head -1)"
      python3 - "$t0" "$t1" "$HZ" "$probe_t0" "$probe_t1" "$runtime_t0" "$runtime_t1" "$m_busy0" "$m_busy1" "$m_total0" \
          "$m_total1" "$(nproc)" "$load_start" "$load_end" "${gen_share:-nan}" "$count" <<'PY' | record latency-load "$rep" "$arm"
import json, sys
t0, t1, hz, p0, p1, r0, r1, b0, b1, a0, a1, cores = (float(x) for x in sys.argv[1:13])
load_start, load_end, gen_share, events = sys.argv[13], sys.argv[14], float(sys.argv[15]), float(sys.argv[16])
wall = (t1 - t0) / 1000
print("RESULT " + json.dumps({"paced_s": round(wall, 1), "generator_cores": gen_share,
    "probe_cores": round((p1 - p0) / hz / wall, 3), "runtime_cores": round((r1 - r0) / hz / wall, 3),
    "runtime_us_per_event": round((r1 - r0) / hz / events * 1e6, 1),
    "machine_busy_cores": round((b1 - b0) / (a1 - a0) * cores, 2), "load1_start": float(load_start),
    "load1_end": float(load_end)}))
PY
      stop_runtime
      finish_topic "$topic" "$run_id"
    done
  done
fi

log "results: $RESULTS"
python3 bench/ingest/summarize.py "$OUT" | tee "$OUT/summary.md"
