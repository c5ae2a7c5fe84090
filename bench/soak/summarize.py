"""Summary of a soak run (scripts/bench-soak.sh): medians per 5 minutes, and whether each resource stays flat.

    python3 bench/soak/summarize.py bench/results/soak-<stamp>/samples.csv

Flat means: over the second half of the run (after the JVM, pools and caches have warmed up) the least-squares slope,
projected over an hour, stays under 10% of the median, and the median of the last 5 minutes is within 10% (or a
small absolute margin) of the median of minutes 5-10. Consumer lag is judged by its level instead: at half the
maximum rate it must keep returning to near zero, i.e. its median stays below one batch.
"""
import csv
import statistics
import sys

COLUMNS = [
    ("rss_kb", "RSS (MB)", 1 / 1024, 16),
    ("heap_live_bytes", "heap live after GC (MB)", 1 / 2**20, 16),
    ("heap_used_bytes", "heap used (MB)", 1 / 2**20, None),
    ("fds", "open files", 1, 5),
    ("sockets", "sockets", 1, 3),
    ("pool_total", "pool connections", 1, 1),
    ("lag", "consumer lag", 1, None),
]


def number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def slope(points):
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0


def main(path):
    rows = list(csv.DictReader(open(path)))
    if not rows:
        print("no samples")
        return 1
    duration = number(rows[-1]["t_s"])
    print(f"{len(rows)} samples over {duration / 60:.1f} min; "
          f"rows {rows[-1]['rows']}, dead letters {rows[-1]['dead_letters']}; "
          f"load average {min(number(r['load1']) for r in rows):.1f}-{max(number(r['load1']) for r in rows):.1f}\n")
    windows = {}
    for r in rows:
        windows.setdefault(int(number(r["t_s"]) // 300), []).append(r)
    header = "| minutes | " + " | ".join(label for _, label, _, _ in COLUMNS) + " |"
    print(header)
    print("|" + "---|" * (len(COLUMNS) + 1))
    for w in sorted(windows):
        cells = []
        for key, _, scale, _ in COLUMNS:
            values = [number(r[key]) for r in windows[w] if number(r[key]) is not None]
            cells.append(f"{statistics.median(values) * scale:,.0f}" if values else "-")
        print(f"| {w * 5}-{w * 5 + 5} | " + " | ".join(cells) + " |")
    print()
    verdicts = []
    half = duration / 2
    for key, label, scale, margin in COLUMNS:
        values = [(number(r["t_s"]), number(r[key])) for r in rows if number(r[key]) is not None]
        if not values:
            continue
        med = statistics.median(v for _, v in values)
        if key == "lag":
            verdicts.append(f"* {label}: median {med:,.0f}, max {max(v for _, v in values):,.0f} "
                            f"({'keeps up' if med < 2000 else 'FALLS BEHIND'})")
            continue
        if margin is None:
            continue
        second = [(t, v) for t, v in values if t >= half]
        per_hour = slope(second) * 3600
        early = [v for t, v in values if 300 <= t < 600] or [values[0][1]]
        late = [v for t, v in values if t >= duration - 300]
        drift = statistics.median(late) - statistics.median(early)
        flat = abs(per_hour) <= max(0.10 * med, margin / scale) and abs(drift) <= max(0.10 * med, margin / scale)
        verdicts.append(f"* {label}: median {med * scale:,.1f}; slope over the second half {per_hour * scale:+,.1f} "
                        f"per hour; minutes 5-10 -> last 5: {statistics.median(early) * scale:,.1f} -> "
                        f"{statistics.median(late) * scale:,.1f} ({'flat' if flat else 'GROWING' if drift > 0 else 'SHRINKING'})")
    print("\n".join(verdicts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
