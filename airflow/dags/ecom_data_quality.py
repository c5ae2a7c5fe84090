"""
### ecom_data_quality

Reads the runtime's data-quality report and fails when any check is breached.

1. `fetch_quality_report` — `GET /api/quality` (completeness, rejects by rule, duplicates, schema
   drift, volume anomalies, freshness; each with value, threshold and status `ok`/`breach`).
2. `check_quality` — fails (no retry) listing every breached check with value, threshold and
   detail; a failed task is the alert (hook your `on_failure_callback`/notifier here).

Hourly at minute 15.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import task

from ecom_pipeline.common import QUALITY_PATH
from ecom_pipeline.common import check_quality as evaluate_quality
from ecom_pipeline.tasks import ecom_dag, fetch_json


@task(task_id="check_quality", retries=0)
def check_quality(report: dict) -> list:
    for check in report.get("checks", []):
        print(
            f"{check.get('status', '?'):>6}  {check.get('name')}: value={check.get('value')} "
            f"threshold={check.get('threshold')} {check.get('detail') or ''}"
        )
    return evaluate_quality(report)


@ecom_dag("ecom_data_quality", schedule="15 * * * *", dagrun_timeout=timedelta(minutes=30), tags=["data-quality"])
def ecom_data_quality():
    report = fetch_json("fetch_quality_report", QUALITY_PATH)
    check_quality(report.output)


ecom_data_quality()
