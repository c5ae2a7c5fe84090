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

import pendulum
from airflow.sdk import dag, task

from ecom_pipeline.common import DEFAULT_ARGS, QUALITY_PATH, check_quality as evaluate_quality, fetch_json


@task(task_id="check_quality", retries=0)
def check_quality(report: dict) -> list:
    for check in report.get("checks", []):
        print(f"{check.get('status', '?'):>6}  {check.get('name')}: value={check.get('value')} "
              f"threshold={check.get('threshold')} {check.get('detail') or ''}")
    return evaluate_quality(report)


@dag(
    dag_id="ecom_data_quality",
    schedule="15 * * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    dagrun_timeout=timedelta(minutes=30),
    tags=["ecom-pipeline", "data-quality"],
    doc_md=__doc__,
)
def ecom_data_quality():
    report = fetch_json("fetch_quality_report", QUALITY_PATH)
    check_quality(report.output)


ecom_data_quality()
