#!/usr/bin/env bash
# thread-cpu.sh — CPU of each thread of a running process over an interval, in cores, threads grouped by their
# (15-character) name: how much of a runtime's CPU is the consumers, the JIT compilers or the VM thread (the serial
# collector runs there). Reads /proc/<pid>/task/*/stat twice; threads that start or end in between are left out.
#
#   bash bench/ingest/thread-cpu.sh PID SECONDS
set -euo pipefail
pid="$1"; secs="$2"; hz="$(getconf CLK_TCK)"
snap() {
  for t in /proc/"$pid"/task/*; do
    # a thread may end between the listing and these reads: skip it
    name="$(tr ' ' '_' <"$t/comm" 2>/dev/null)" || continue
    # fields after the ") " that ends the name: utime and stime are the 12th and 13th
    stat="$(sed 's/^.*) //' "$t/stat" 2>/dev/null)" || continue
    read -r -a f <<<"$stat"
    echo "$name $((f[11] + f[12]))"
  done | awk '{a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}
before="$(snap)"; sleep "$secs"; after="$(snap)"
join <(echo "$before") <(echo "$after") | awk -v hz="$hz" -v s="$secs" '
  {d = ($3 - $2) / hz / s; total += d; if (d > 0.003) printf "%-22s %.3f\n", $1, d}
  END {printf "%-22s %.3f\n", "TOTAL", total}' | sort -k2 -rn
