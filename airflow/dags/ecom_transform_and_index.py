"""
### ecom_transform_and_index

Builds the clean/analytics tables and indexes the hourly metrics into Elasticsearch.

1. `trigger_transform` — `POST /api/jobs/transform` (runs `sql/transform/*.sql` in the runtime).
2. `wait_for_transform` — polls `GET /api/jobs/{id}`; fails when the job failed.
3. `trigger_index` / `wait_for_index` — the same for `POST /api/jobs/index`
   (hourly metrics → Elasticsearch, `_id` = event hour, so re-runs never duplicate).
4. `report` — logs both jobs' results; when it succeeds, the run is complete and a notification goes to the
   Slack-compatible webhook of the connection `ecom_alerts_webhook` (seed 001's `send_completion_notification`;
   nothing is sent without that connection).

Lineage (OpenLineage): the transform trigger reads `raw.events` and writes the clean and mart tables, the index
trigger reads `marts.hourly_metrics` and writes the Elasticsearch index.

If a job of that type is already running (HTTP 409, e.g. the runtime's own quartz schedule), the
DAG waits for that job instead of failing.

**Schedule**: twice daily at 06:00 and 18:00 UTC (`0 6,18 * * *`) by default. Set the environment
variable `ECOM_TRANSFORM_SCHEDULE` for the DAG processor (read at parse time) to change it:
`hourly` (= `0 * * * *`), `twice-daily`, or any cron expression / preset such as `@hourly`.
`catchup=False`: missed slots are not back-filled.
"""

from __future__ import annotations

import os
from datetime import timedelta

from airflow.sdk import chain, task

from ecom_pipeline import lineage, notify
from ecom_pipeline.common import TRANSFORM_SCHEDULE_DEFAULT, TRANSFORM_SCHEDULE_ENV, resolve_schedule
from ecom_pipeline.tasks import ecom_dag, run_job

SCHEDULE = resolve_schedule(os.environ.get(TRANSFORM_SCHEDULE_ENV), TRANSFORM_SCHEDULE_DEFAULT)


#: what the runtime's transform job reads and writes (sql/transform)
TRANSFORM_READS = ("raw.events", "raw.fx_rates")
TRANSFORM_WRITES = (
    "clean.events", "clean.transactions", "clean.sessions", "marts.hourly_metrics", "marts.daily_metrics",
    "marts.daily_funnel", "marts.window_orders_by_category", "marts.window_payment_methods",
    "marts.window_country_revenue", "marts.hourly_revenue", "marts.daily_revenue",
)  # fmt: skip


@task(retries=0, on_success_callback=notify.transform_completed())
def report(transform_job: dict, index_job: dict) -> dict:
    """Log what the two jobs did; the summary goes to XCom."""
    summary = {
        job["type"]: {
            "id": job.get("id"),
            "startedAt": job.get("startedAt"),
            "finishedAt": job.get("finishedAt"),
            "result": job.get("result"),
        }
        for job in (transform_job, index_job)
    }
    for job_type, info in summary.items():
        print(f"{job_type}: {info}")
    return summary


@ecom_dag(
    "ecom_transform_and_index",
    schedule=SCHEDULE,
    dagrun_timeout=timedelta(hours=3),
    tags=["transform", "elasticsearch"],
)
def ecom_transform_and_index():
    transform = run_job("transform", inlets=lineage.tables(*TRANSFORM_READS), outlets=lineage.tables(*TRANSFORM_WRITES))
    index = run_job("index", inlets=[lineage.table("marts.hourly_metrics")], outlets=[lineage.elasticsearch_index()])
    chain(*transform, *index)
    report(transform.wait.output, index.wait.output)


ecom_transform_and_index()
