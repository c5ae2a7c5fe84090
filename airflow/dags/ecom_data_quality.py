"""
### ecom_data_quality

Data quality the way seed 001 does it: Great Expectations suites per layer, anomaly detection, the data catalog
and a daily quality report; fails (and alerts) when a suite fails.

1. `run_suite` — one mapped task instance per suite (`raw`, `clean`, `business_metrics`, `warehouse`; the
   expectations are in `ecom_pipeline/quality/suites.py`). Each validates the warehouse (connection
   `ecom_pipeline_db`) with Great Expectations, updates the Data Docs and logs every failed expectation with
   sample rows; it fails (no retry) when its suite fails, after handing its summary on.
2. `trigger_anomalies` / `wait_for_anomalies` — the runtime's `anomalies` job: per hour, volume, dead-letter rate
   per rule, late ratio, net revenue and conversion against the same hour of the previous days (robust z-score);
   results kept in PostgreSQL, alerts sent by the runtime.
3. `fetch_quality_report` — `GET /api/quality`: the runtime's checks (completeness, duplicates, drift, volume,
   freshness, FX coverage) and the latest anomaly verdicts.
4. `update_catalog` — the catalog page from the database (`COMMENT ON` texts, columns, row counts, freshness).
5. `quality_report` — the daily summary (JSON and Markdown): pass/fail per suite, runtime checks, anomalies,
   SLA figures (ingest freshness, transform duration against its target).
6. `check_quality` — the verdict: fails when a suite failed, a runtime check is breached or a step failed,
   naming the failed expectations with sample rows; its failure notifies `ecom_alerts_webhook` (Slack-compatible).

Steps 2-6 run whatever the suites found (`all_done`). Output: `$ECOM_QUALITY_DIR` (`data-docs/index.html`,
`catalog.html`, `summary/<day>.md`). Hourly at minute 15.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import TriggerRule, chain, task

from ecom_pipeline import lineage, notify
from ecom_pipeline.common import QUALITY_PATH, check_quality_outcome, failed_tasks
from ecom_pipeline.quality import SUITE_NAMES
from ecom_pipeline.tasks import ecom_dag, fetch_json, run_job

VERDICT_TASK_ID = "check_quality"
SUMMARY_KEY = "suite_summary"

#: every table a suite reads (the mapped task declares them all; each instance logs its own)
SUITE_TABLES = (
    "raw.events", "clean.events", "clean.transactions", "clean.sessions", "marts.hourly_metrics",
    "marts.daily_metrics", "marts.customer_tier_history", "marts.customer_rfm", "marts.customer_rfm_segments",
    "marts.daily_product_performance",
)  # fmt: skip


@task(
    task_id="run_suite",
    retries=1,
    map_index_template="{{ suite_name }}",
    execution_timeout=timedelta(minutes=30),
    inlets=lineage.tables(*SUITE_TABLES),
    outlets=[lineage.quality_file("data-docs/index.html")],
)
def run_suite(suite: str, **context) -> dict:
    """Validate one suite; its summary goes to XCom even when it fails."""
    from airflow.providers.postgres.hooks.postgres import PostgresHook
    from airflow.sdk import get_current_context
    from airflow.sdk.exceptions import AirflowFailException

    from ecom_pipeline.quality import gx

    # map_index_template renders the task's own context, not the **context copy this function receives
    get_current_context()["suite_name"] = suite
    summary = gx.run_suite(suite, PostgresHook(postgres_conn_id=lineage.DB_CONN_ID).get_uri())
    print(gx.describe(summary))
    context["ti"].xcom_push(key=SUMMARY_KEY, value=summary)
    if not summary["success"]:
        raise AirflowFailException(f"suite {suite}: {summary['failed']} expectation(s) failed (see the log above)")
    return summary


@task(
    task_id="update_catalog",
    trigger_rule=TriggerRule.ALL_DONE,
    inlets=lineage.tables("raw.events", "clean.transactions", "marts.hourly_metrics"),
    outlets=[lineage.quality_file("catalog.html")],
)
def update_catalog() -> dict:
    """The catalog page from the database: COMMENT ON texts, columns, row counts, freshness."""
    from airflow.providers.postgres.hooks.postgres import PostgresHook

    from ecom_pipeline.quality import catalog, quality_dir

    connection = PostgresHook(postgres_conn_id=lineage.DB_CONN_ID).get_conn()
    try:
        pages = catalog.write(catalog.build(connection), quality_dir())
    finally:
        connection.close()
    print(f"catalog: {pages['html']}")
    return pages


@task(
    task_id="quality_report",
    trigger_rule=TriggerRule.ALL_DONE,
    inlets=lineage.tables("pipeline.ingest_batches", "pipeline.job_runs"),
    outlets=[lineage.quality_file("summary/latest.json")],
)
def quality_report(**context) -> dict:
    """The daily summary: suites, runtime checks and anomalies, SLA figures (JSON and Markdown)."""
    from airflow.providers.postgres.hooks.postgres import PostgresHook

    from ecom_pipeline.quality import data_docs_index, quality_dir, summary

    ti = context["ti"]
    suites = [s for s in ti.xcom_pull(task_ids="run_suite", key=SUMMARY_KEY) or [] if s]
    report = ti.xcom_pull(task_ids="fetch_quality_report")
    pages = ti.xcom_pull(task_ids="update_catalog") or {}
    connection = PostgresHook(postgres_conn_id=lineage.DB_CONN_ID).get_conn()
    try:
        sla = summary.measure_sla(connection)
    finally:
        connection.close()
    daily = summary.build(suites, report, sla, str(data_docs_index()), pages.get("html"))
    files = summary.write(daily, quality_dir())
    print(summary.to_markdown(daily))
    print(f"summary: {files['markdown']} (and .json); Data Docs: {data_docs_index()}")
    return daily


@task(
    task_id=VERDICT_TASK_ID,
    trigger_rule=TriggerRule.ALL_DONE,
    retries=0,
    on_failure_callback=notify.quality_failed(),
)
def check_quality(**context) -> list[str]:
    """Fail when a suite failed, a runtime check is breached or any step failed; say what and where."""
    ti = context["ti"]
    states = ti.get_task_states(dag_id=ti.dag_id, run_ids=[ti.run_id]).get(ti.run_id, {})
    suites = [s for s in ti.xcom_pull(task_ids="run_suite", key=SUMMARY_KEY) or [] if s]
    return check_quality_outcome(
        suites=suites,
        expected_suites=SUITE_NAMES,
        report=ti.xcom_pull(task_ids="fetch_quality_report"),
        failed=failed_tasks(states, ignore=[VERDICT_TASK_ID]),
    )


@ecom_dag("ecom_data_quality", schedule="15 * * * *", dagrun_timeout=timedelta(hours=1), tags=["data-quality"])
def ecom_data_quality():
    suites = run_suite.expand(suite=list(SUITE_NAMES))
    anomalies = run_job("anomalies", trigger_rule=TriggerRule.ALL_DONE)
    report = fetch_json(
        "fetch_quality_report",
        QUALITY_PATH,
        trigger_rule=TriggerRule.ALL_DONE,
        inlets=lineage.tables("pipeline.quality_anomalies", "pipeline.alerts", "pipeline.ingest_batches"),
    )
    chain(suites, *anomalies, report, update_catalog(), quality_report(), check_quality())


ecom_data_quality()
