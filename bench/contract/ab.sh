#!/usr/bin/env bash
# ab.sh — the contract microbenchmark (ContractBenchmark.java) on two or more jars, interleaved, in one run:
#
#   bash bench/contract/ab.sh [--events 50000] [--reps 12] [--rounds 2] NAME=path/to/a.jar ...
#
# Each round runs every jar once (order reversed every other round), each in a fresh JVM on the same generated events
# (same seed). Output: bench/results/contract-ab-<stamp>/{runs.log,summary.txt}; run it under flock /work/heavy.lock.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
EVENTS=50000; REPS=12; ROUNDS=2; SEED=17; JARS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --events) EVENTS="$2"; shift 2 ;;
    --reps) REPS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    *=*) JARS+=("$1"); shift ;;
    *) echo "ab.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
OUT="$REPO/bench/results/contract-ab-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
echo "run $(basename "$OUT"); $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/summary.txt"
n=${#JARS[@]}
for round in $(seq 1 "$ROUNDS"); do
  for k in $(seq 0 $((n - 1))); do
    idx=$(( round % 2 == 1 ? k : n - 1 - k ))
    name="${JARS[$idx]%%=*}"; jar="${JARS[$idx]#*=}"
    line="$(java -Xmx1g -cp "$jar" bench/contract/ContractBenchmark.java "$EVENTS" "$REPS" "$SEED" 2>/dev/null | grep '^RESULT')"
    echo "$name round $round ${line#RESULT }" | tee -a "$OUT/runs.log"
  done
done
python3 - "$OUT/runs.log" <<'PY' | tee -a "$OUT/summary.txt"
import json, statistics, sys
rows = [(l.split()[0], json.loads(l.split(None, 3)[3])) for l in open(sys.argv[1]) if l.strip()]
for name in dict.fromkeys(n for n, _ in rows):
    rs = [r for n, r in rows if n == name]
    med = [r["us_per_event_median"] for r in rs]
    print(f"{name:<10} µs/event: median of run medians {statistics.median(med):.2f}; runs {', '.join(f'{m:.2f}' for m in med)}; "
          f"range over all reps {min(r['min'] for r in rs):.2f}-{max(r['max'] for r in rs):.2f}; "
          f"verdicts identical across runs: {len({r['verdicts'] for r in rs}) == 1}")
print("every jar and run judged the events the same:", len({r["verdicts"] for _, r in rows}) == 1)
print("verdicts:", rows[0][1]["verdicts"])
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
