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

from airflow.sdk import chain, task

from ecom_pipeline.common import TRANSFORM_SCHEDULE_DEFAULT, TRANSFORM_SCHEDULE_ENV, resolve_schedule
from ecom_pipeline.tasks import ecom_dag, run_job

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


@ecom_dag(
    "ecom_transform_and_index",
    schedule=SCHEDULE,
    dagrun_timeout=timedelta(hours=3),
    tags=["transform", "elasticsearch"],
)
def ecom_transform_and_index():
    transform = run_job("transform")
    index = run_job("index")
    chain(*transform, *index)
    report(transform.wait.output, index.wait.output)


ecom_transform_and_index()
