"""The catalog page and the daily summary: rendering (pure) and reading a real warehouse (warehouse.py)."""

from __future__ import annotations

import json

import pytest

import warehouse
from ecom_pipeline.quality import catalog, summary

SUITE_OK = {"suite": "raw", "success": True, "evaluated": 30, "failed": 0, "failures": [], "skipped": []}
SUITE_FAILED = {
    "suite": "warehouse",
    "success": False,
    "evaluated": 20,
    "failed": 1,
    "failures": [{"id": "marts.customer_tier_history.no_overlap", "sample": []}],
    "skipped": [{"table": "marts.product_history", "reason": "table does not exist"}],
}
SLA = {
    "day": "2026-11-30",
    "ingest_freshness": {"last_batch_at": "2026-11-30T10:00:00+00:00", "seconds_since_last_batch": 12.0,
                         "target_seconds": 1800, "met": True},
    "transform": {"runs": 3, "succeeded": 3, "failed": 0, "longest_seconds": 20.5, "latest_seconds": 3.1,
                  "target_seconds": 900, "runs_over_target": 0, "met": True},
}  # fmt: skip
REPORT = {
    "checks": [
        {"name": "freshness", "status": "ok", "value": 12, "threshold": 1800},
        {"name": "volume", "status": "ok", "value": 1.1, "threshold": 0.2},
    ],
    "anomalies": {
        "latest": [
            {"metric": "volume", "dimension": "", "hour": "2026-11-30T09:00:00Z", "value": 900, "median": 100,
             "z": 40.2, "anomaly": True},
            {"metric": "net_revenue", "dimension": "", "hour": "2026-11-30T09:00:00Z", "value": 10, "median": 11,
             "z": -0.3, "anomaly": False},
        ]
    },
}  # fmt: skip


def test_summary_passes_or_fails_on_suites_and_checks_and_lists_anomalies():
    ok = summary.build([SUITE_OK], REPORT, SLA, "/q/data-docs/index.html", "/q/catalog.html")
    assert ok["success"] is True
    assert [a["metric"] for a in ok["anomalies"]] == ["volume"]
    failing = summary.build([SUITE_OK, SUITE_FAILED], REPORT, SLA, "/q/data-docs/index.html", None)
    assert failing["success"] is False
    assert failing["suites"][1]["failed_expectations"] == ["marts.customer_tier_history.no_overlap"]
    assert failing["suites"][1]["skipped_tables"] == ["marts.product_history"]
    breached = {**REPORT, "checks": [{"name": "freshness", "status": "breach", "value": 4000, "threshold": 1800}]}
    assert summary.build([SUITE_OK], breached, SLA, "x", None)["success"] is False


def test_summary_markdown_and_files(tmp_path):
    daily = summary.build([SUITE_OK, SUITE_FAILED], REPORT, SLA, "/q/data-docs/index.html", "/q/catalog.html")
    text = summary.to_markdown(daily)
    assert "| warehouse | **FAIL** | 20 | `marts.customer_tier_history.no_overlap` |" in text
    assert "| raw | pass | 30 | — |" in text
    assert "| 2026-11-30T09:00:00Z | volume | 900 | 100 | 40.2 |" in text
    assert "transform runs today: pass — 3 runs, 0 failed, latest 3.1 s, longest 20.5 s (target 900 s" in text
    files = summary.write(daily, tmp_path)
    assert files["json"].endswith("summary/2026-11-30.json")
    assert json.loads((tmp_path / "summary" / "latest.json").read_text())["day"] == "2026-11-30"
    assert (tmp_path / "summary" / "2026-11-30.md").read_text() == text


def test_catalog_renders_tables_and_columns():
    page = {
        "generated_at": "2026-11-30T10:00:00+00:00",
        "schemas": ["raw"],
        "tables": [
            {"schema": "raw", "name": "events", "kind": "table", "comment": "Every event | once", "rows": 5,
             "rows_estimated": False, "freshness_column": "ingested_at", "latest": "2026-11-30T09:59:00+00:00",
             "columns": [{"name": "event_id", "type": "uuid", "nullable": False, "comment": "Unique id."}]},
        ],
    }  # fmt: skip
    md = catalog.to_markdown(page)
    assert "| `raw.events` | table | 5 | 2026-11-30T09:59:00+00:00 (ingested_at) | Every event \\| once |" in md
    assert "| `event_id` | uuid | no | Unique id. |" in md
    html = catalog.to_html(page)
    assert "<code>raw.events</code>" in html
    assert "Every event | once" in html


@pytest.mark.quality
def test_catalog_and_sla_read_the_real_warehouse(clean_warehouse, tmp_path):
    day = warehouse.query(
        clean_warehouse,
        "SELECT (min(started_at) AT TIME ZONE 'UTC')::date::text FROM pipeline.job_runs WHERE job = 'transform'",
    )[0][0]
    connection = warehouse.connect(clean_warehouse)
    try:
        page = catalog.build(connection)
        sla = summary.measure_sla(connection, day)
    finally:
        connection.close()
    tables = {f"{t['schema']}.{t['name']}": t for t in page["tables"]}
    events = tables["raw.events"]
    assert events["comment"].startswith("Every contract-valid event exactly once")
    count, latest, last_batch, transforms = warehouse.query(
        clean_warehouse,
        "SELECT (SELECT count(*) FROM raw.events), (SELECT max(ingested_at) FROM raw.events), "
        "(SELECT max(finished_at) FROM pipeline.ingest_batches), "
        "(SELECT count(*) FROM pipeline.job_runs WHERE job = 'transform' AND status = 'succeeded')",
    )[0]
    assert (events["rows"], events["rows_estimated"]) == (count, False)
    assert (events["freshness_column"], events["latest"]) == ("ingested_at", latest.isoformat())
    assert {c["name"] for c in events["columns"]} >= {"event_id", "event_type", "ingested_at"}
    assert next(c for c in events["columns"] if c["name"] == "event_id")["comment"]
    assert tables["marts.customer_rfm_segments"]["kind"] == "view"
    assert {"raw", "pipeline", "clean", "marts"} == {t["schema"] for t in page["tables"]}
    paths = catalog.write(page, tmp_path)
    assert "## raw.events" in (tmp_path / "catalog.md").read_text()
    assert paths["html"].endswith("catalog.html")

    assert sla["ingest_freshness"]["last_batch_at"] == last_batch.isoformat()
    assert sla["transform"]["runs"] == sla["transform"]["succeeded"] == transforms >= 1
    assert sla["transform"]["met"] is True
