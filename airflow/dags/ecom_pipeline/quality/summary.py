"""The short daily quality summary: pass/fail per suite, the runtime's checks and anomalies (``GET /api/quality``)
and the SLA figures (ingest freshness; transform run duration against its target), as JSON and Markdown in
``<quality dir>/summary/<UTC date>.{json,md}`` (and ``latest.{json,md}``). Every run of ecom_data_quality rewrites
the day's files, so they always show the day's latest state.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

#: SLA targets (seconds), from the environment like the suite thresholds
INGEST_STALENESS_TARGET_ENV = "ECOM_SLA_MAX_INGEST_STALENESS_SECONDS"
TRANSFORM_DURATION_TARGET_ENV = "ECOM_SLA_TRANSFORM_TARGET_SECONDS"
DEFAULT_INGEST_STALENESS_TARGET = 1800  # the runtime's QUALITY_MAX_STALENESS default
DEFAULT_TRANSFORM_DURATION_TARGET = 900

_INGEST = """
SELECT max(finished_at), extract(EPOCH FROM now() - max(finished_at))
FROM pipeline.ingest_batches
"""
_TRANSFORM = """
SELECT count(*),
       count(*) FILTER (WHERE status = 'succeeded'),
       count(*) FILTER (WHERE status = 'failed'),
       max(extract(EPOCH FROM finished_at - started_at)) FILTER (WHERE status = 'succeeded'),
       count(*) FILTER (WHERE status = 'succeeded' AND extract(EPOCH FROM finished_at - started_at) > %s),
       (array_agg(extract(EPOCH FROM finished_at - started_at) ORDER BY started_at DESC)
            FILTER (WHERE status = 'succeeded'))[1]
FROM pipeline.job_runs
WHERE job = 'transform' AND started_at >= %s::date AND started_at < %s::date + 1
"""


def _target(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) <= 0:
        raise ValueError(f"{name}={raw!r} must be a positive number of seconds")
    return int(raw)


def measure_sla(connection, day: str | None = None) -> dict[str, Any]:
    """Ingest freshness now and the transform runs of ``day`` (UTC, default today) against their targets."""
    day = day or datetime.now(UTC).date().isoformat()
    staleness_target = _target(INGEST_STALENESS_TARGET_ENV, DEFAULT_INGEST_STALENESS_TARGET)
    duration_target = _target(TRANSFORM_DURATION_TARGET_ENV, DEFAULT_TRANSFORM_DURATION_TARGET)
    with connection.cursor() as cur:
        cur.execute(_INGEST)
        last_batch, staleness = cur.fetchone()
        cur.execute(_TRANSFORM, (duration_target, day, day))
        runs, succeeded, failed, longest, over_target, latest = cur.fetchone()
    connection.rollback()
    staleness = None if staleness is None else round(float(staleness), 1)
    return {
        "day": day,
        "ingest_freshness": {
            "last_batch_at": last_batch.isoformat() if last_batch else None,
            "seconds_since_last_batch": staleness,
            "target_seconds": staleness_target,
            "met": staleness is not None and staleness <= staleness_target,
        },
        "transform": {
            "runs": runs,
            "succeeded": succeeded,
            "failed": failed,
            "longest_seconds": None if longest is None else round(float(longest), 1),
            "latest_seconds": None if latest is None else round(float(latest), 1),
            "target_seconds": duration_target,
            "runs_over_target": over_target,
            "met": failed == 0 and over_target == 0,
        },
    }


def build(suites: list[dict], report: dict | None, sla: dict, data_docs: str, catalog: str | None) -> dict:
    """One summary from the suite summaries, the runtime's quality report and the SLA figures."""
    report = report or {}
    checks = report.get("checks") or []
    anomalies = (report.get("anomalies") or {}).get("latest") or []
    flagged = [a for a in anomalies if a.get("anomaly")]
    breached = [c for c in checks if c.get("status") != "ok"]
    suites_ok = all(s["success"] for s in suites)
    return {
        "generated_at": datetime.now(UTC).isoformat(),
        "day": sla.get("day"),
        # anomalies are reported (and alerted by the runtime) but do not fail the day: they are not defects
        "success": suites_ok and not breached,
        "suites": [
            {
                "suite": s["suite"],
                "success": s["success"],
                "evaluated": s["evaluated"],
                "failed": s["failed"],
                "failed_expectations": [f["id"] for f in s["failures"]],
                "skipped_tables": [k["table"] for k in s.get("skipped", [])],
            }
            for s in suites
        ],
        "runtime_checks": [
            {"name": c.get("name"), "status": c.get("status"), "value": c.get("value"), "threshold": c.get("threshold")}
            for c in checks
        ],
        "anomalies": flagged,
        "sla": sla,
        "data_docs": data_docs,
        "catalog": catalog,
    }


def to_markdown(summary: dict) -> str:
    mark = {True: "pass", False: "**FAIL**"}
    lines = [
        f"# Data quality, {summary['day']}",
        "",
        f"Overall: {mark[summary['success']]} (generated {summary['generated_at']})",
        "",
        "## Suites (Great Expectations)",
        "",
        "| suite | result | expectations | failed |",
        "|---|---|---:|---|",
    ]
    for s in summary["suites"]:
        failed = ", ".join(f"`{i}`" for i in s["failed_expectations"]) or "—"
        lines.append(f"| {s['suite']} | {mark[s['success']]} | {s['evaluated']} | {failed} |")
    lines += ["", "## Runtime checks (`GET /api/quality`)", ""]
    if summary["runtime_checks"]:
        lines += ["| check | status | value | threshold |", "|---|---|---:|---:|"]
        for c in summary["runtime_checks"]:
            lines.append(f"| {c['name']} | {c['status']} | {c['value']} | {c['threshold']} |")
    else:
        lines.append("(runtime report not available)")
    lines += ["", "## Anomalies (same hour on the previous days, robust z-score)", ""]
    if summary["anomalies"]:
        lines += ["| hour | metric | value | median | z |", "|---|---|---:|---:|---:|"]
        for a in summary["anomalies"]:
            metric = a.get("metric") + (f" ({a['dimension']})" if a.get("dimension") else "")
            lines.append(f"| {a.get('hour')} | {metric} | {a.get('value')} | {a.get('median')} | {a.get('z')} |")
    else:
        lines.append("none")
    ingest, transform = summary["sla"]["ingest_freshness"], summary["sla"]["transform"]
    lines += [
        "",
        "## SLA",
        "",
        f"- ingest freshness: {mark[ingest['met']]} — last batch {ingest['last_batch_at'] or 'never'}, "
        f"{ingest['seconds_since_last_batch']} s ago (target {ingest['target_seconds']} s)",
        f"- transform runs today: {mark[transform['met']]} — {transform['runs']} runs, {transform['failed']} failed, "
        f"latest {transform['latest_seconds']} s, longest {transform['longest_seconds']} s "
        f"(target {transform['target_seconds']} s, {transform['runs_over_target']} over it)",
        "",
        f"Data Docs: `{summary['data_docs']}`" + (f" · catalog: `{summary['catalog']}`" if summary["catalog"] else ""),
    ]
    return "\n".join(lines) + "\n"


def write(summary: dict, directory: Path) -> dict[str, str]:
    """``summary/<day>.json|md`` and ``summary/latest.json|md``; returns the day's paths."""
    folder = directory / "summary"
    folder.mkdir(parents=True, exist_ok=True)
    text, markdown = json.dumps(summary, indent=2, default=str) + "\n", to_markdown(summary)
    for stem in (summary["day"], "latest"):
        (folder / f"{stem}.json").write_text(text)
        (folder / f"{stem}.md").write_text(markdown)
    return {"json": str(folder / f"{summary['day']}.json"), "markdown": str(folder / f"{summary['day']}.md")}
