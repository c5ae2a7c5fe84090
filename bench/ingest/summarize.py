"""Summarises one bench.sh run: python3 bench/ingest/summarize.py bench/results/<stamp> (stdlib only)."""
import json
import statistics
import sys
from pathlib import Path


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def spread(xs):
    """max-min relative to the median, in percent."""
    m = med(xs)
    return (max(xs) - min(xs)) / m * 100 if xs and m else float("nan")


def fmt(x, digits=0):
    if x is None or x != x:
        return "–"
    return f"{x:,.{digits}f}"


def main():
    out = Path(sys.argv[1])
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines() if line.strip()]
    machine = (out / "machine.txt").read_text() if (out / "machine.txt").exists() else ""
    print(f"## Ingest benchmark {out.name}\n")
    print("```\n" + machine.strip() + "\n```\n")

    tp = [r for r in rows if r["kind"] == "throughput"]
    by = {}
    for r in tp:
        by.setdefault(r["contender"], {})[r["rep"]] = r
    names = [n for n in ("pipeline", "bare-consume", "copy-ceiling", "baseline") if n in by]
    if names:
        reps = sorted({r["rep"] for r in tp})
        print(f"### Throughput ({len(reps)} repetitions; median, min–max, spread = (max−min)/median)\n")
        print("| contender | events/s median | min – max | spread | pipeline ÷ this (median of per-run ratios) "
              "| CPU s (median) | avg cores | peak RSS MB | per run |")
        print("|---|---|---|---|---|---|---|---|---|")
        for n in names:
            eps = [by[n][k]["eps"] for k in sorted(by[n])]
            ratios = [by["pipeline"][k]["eps"] / by[n][k]["eps"] for k in sorted(by[n])
                      if "pipeline" in by and k in by["pipeline"]]
            cpu_key = "pg_cpu_s" if n == "copy-ceiling" else "cpu_s"
            cpu = [by[n][k].get(cpu_key) for k in sorted(by[n]) if by[n][k].get(cpu_key) is not None]
            secs = [by[n][k]["seconds"] for k in sorted(by[n])]
            cores = med([c / s for c, s in zip(cpu, secs)]) if cpu else float("nan")
            rss = [by[n][k].get("rss_peak_mb") for k in sorted(by[n]) if by[n][k].get("rss_peak_mb") is not None]
            label = n + (" (PG backend CPU)" if n == "copy-ceiling" else "")
            print(f"| {label} | **{fmt(med(eps))}** | {fmt(min(eps))} – {fmt(max(eps))} | {fmt(spread(eps))}% "
                  f"| {'' if n == 'pipeline' else fmt(med(ratios), 2) + '×'} | {fmt(med(cpu), 1)} | {fmt(cores, 2)} "
                  f"| {fmt(max(rss)) if rss else '–'} | {', '.join(fmt(e) for e in eps)} |")
        if "pipeline" in by:
            p = [by["pipeline"][k] for k in sorted(by["pipeline"])]
            st = lambda k: med([x[k] for x in p if k in x])
            print(f"\npipeline steady state (after 30% placed; median): {fmt(st('eps_steady'))} events/s, "
                  f"runtime {fmt(st('cpu_us_per_event_steady'), 1)} CPU µs/event, "
                  f"PostgreSQL backends {fmt(st('pg_us_per_event_steady'), 1)} CPU µs/event")
            commits = [x['first_commit_s'] for x in p if 'first_commit_s' in x]
            print(f"\npipeline details (median): launch to first batch started {fmt(med([x['startup_s'] for x in p]), 1)} s"
                  f"{f', committed {fmt(med(commits), 2)} s ({min(commits):.2f}-{max(commits):.2f})' if commits else ''}, "
                  f"incl. startup {fmt(med([x['eps_incl_startup'] for x in p]))} events/s, "
                  f"PostgreSQL backends {fmt(med([x['pg_cpu_s'] for x in p]), 1)} CPU s, "
                  f"machine busy {fmt(med([x['sys_busy_cores'] for x in p]), 2)} of 2 cores, "
                  f"rows {', '.join(str(x['rows']) for x in p)}, dead letters "
                  f"{', '.join(str(x['dead_letters']) for x in p)}, complete: {', '.join(x['complete'] for x in p)}")
            slower = None
            if "bare-consume" in by and "copy-ceiling" in by:
                per_run = []
                for k in by["pipeline"]:
                    if k in by["bare-consume"] and k in by["copy-ceiling"]:
                        per_run.append(by["pipeline"][k]["eps"]
                                       / min(by["bare-consume"][k]["eps"], by["copy-ceiling"][k]["eps"]))
                slower = med(per_run)
            print("\ntargets:")
            pe = med([x["eps"] for x in p])
            print(f"- ≥ 50,000 events/s end to end: {fmt(pe)} → {'met' if pe >= 50000 else 'NOT met'}")
            if slower is not None:
                print(f"- ≥ 0.5 × the slower ceiling (same run): {fmt(slower, 2)}× → {'met' if slower >= 0.5 else 'NOT met'}")
            if "baseline" in by:
                rb = med([by["pipeline"][k]["eps"] / by["baseline"][k]["eps"] for k in by["baseline"] if k in by["pipeline"]])
                print(f"- ≥ 5 × the baseline: {fmt(rb, 2)}× → {'met' if rb >= 5 else 'NOT met'}")

    lat_all = [r for r in rows if r["kind"] == "latency"]
    loads = [r for r in rows if r["kind"] == "latency-load"]
    arms = list(dict.fromkeys(r.get("arm", "default") for r in lat_all))
    for arm in arms:
        lat = [r for r in lat_all if r.get("arm", "default") == arm]
        load = [r for r in loads if r.get("arm", "default") == arm]
        print(f"\n### Latency publish → committed row, arm {arm} ({len(lat)} repetitions; median of per-run "
              "percentiles, min–max in brackets)\n")
        print("| measure | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |")
        print("|---|---|---|---|---|---|")
        for prefix, label in (("commit_seen", "offset commit observed (upper bound)"),
                              ("commit_ts", "row's commit timestamp (exact, before the WAL flush)"),
                              ("txn_start", "ingested_at = txn start (lower bound)")):
            if not all(f"{prefix}_p50_ms" in r for r in lat):
                continue  # commit_ts needs track_commit_timestamp on the server
            cells = []
            for q in ("p50", "p90", "p99", "p99.9", "max"):
                xs = [r[f"{prefix}_{q}_ms"] for r in lat]
                cells.append(f"{fmt(med(xs))} [{fmt(min(xs))}–{fmt(max(xs))}]")
            print(f"| {label} | " + " | ".join(cells) + " |")
        print(f"\nrows measured per run: {', '.join(str(r['rows_measured']) for r in lat)}; valid rows/s: "
              f"{', '.join(fmt(r['valid_rows_per_s']) for r in lat)}")
        flushes = [r for r in lat if "wal_flush_mean_ms" in r]
        if flushes:
            print(f"WAL flushes in the paced phase (server-wide): {', '.join(fmt(r['wal_flushes_per_s']) for r in flushes)}"
                  f" per s, mean {', '.join(fmt(r['wal_flush_mean_ms'], 2) for r in flushes)} ms each (a row is durable"
                  " and visible one flush after its commit timestamp)")
        for r in load:
            print(f"- paced phase of rep {r['rep']}: generator {fmt(r['generator_cores'], 2)} cores, probe "
                  f"{fmt(r['probe_cores'], 2)}, runtime {fmt(r['runtime_cores'], 2)} ({fmt(r['runtime_us_per_event'], 1)} "
                  f"µs CPU/event), machine busy {fmt(r['machine_busy_cores'], 2)} of 2 cores, load average "
                  f"{r['load1_start']} → {r['load1_end']}")


if __name__ == "__main__":
    main()
