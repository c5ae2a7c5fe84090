"""
### ecom_transform_and_index

Builds the clean/analytics tables and indexes the hourly metrics into Elasticsearch.

1. `trigger_transform` — `POST /api/jobs/transform` (runs `sql/transform/*.sql` in the runtime).
2. `wait_for_transform` — polls `GET /api/jobs/{id}`; fails when the job failed.
3. `trigger_index` / `wait_for_index` — the same for `POST /api/jobs/index`
   (hourly metrics → Elasticsearch, `_id` = event hour, so re-runs never duplicate).
4. `report` — logs both jobs' results.

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

import pendulum
from airflow.sdk import chain, dag, task

from ecom_pipeline.common import (
    DEFAULT_ARGS,
    TRANSFORM_SCHEDULE_DEFAULT,
    TRANSFORM_SCHEDULE_ENV,
    resolve_schedule,
    trigger_job,
    wait_for_job,
)

SCHEDULE = resolve_schedule(os.environ.get(TRANSFORM_SCHEDULE_ENV), TRANSFORM_SCHEDULE_DEFAULT)


@task(retries=0)
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


@dag(
    dag_id="ecom_transform_and_index",
    schedule=SCHEDULE,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    dagrun_timeout=timedelta(hours=3),
    tags=["ecom-pipeline", "transform", "elasticsearch"],
    doc_md=__doc__,
)
def ecom_transform_and_index():
    transform = wait_for_job("transform")
    index = wait_for_job("index")
    chain(trigger_job("transform"), transform, trigger_job("index"), index)
    report(transform.output, index.output)


ecom_transform_and_index()
