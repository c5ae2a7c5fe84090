"""
### ecom_dead_letter_redrive

Redrives the dead-letter store on demand and reports on it.

1. `trigger_redeliver` — `POST /api/jobs/redeliver` (revalidates waiting dead letters; those that
   pass now are recovered, those out of attempts are parked).
2. `wait_for_redeliver` — polls `GET /api/jobs/{id}`; fails when the job failed.
3. `fetch_dead_letter_summary` — `GET /api/dead-letters/summary`.
4. `report_dead_letters` — logs counts by status and by rule, and **fails** when more dead letters
   are parked (waiting for a human) than the `max_parked` param allows (default 100; set it per run
   with `--conf '{"max_parked": 0}'` or in the trigger form).

Daily at 07:00 UTC; the runtime itself redelivers every 15 minutes, this DAG is the daily check.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Param, chain, task

from ecom_pipeline.common import DEAD_LETTER_SUMMARY_PATH, check_parked_dead_letters, dead_letter_report
from ecom_pipeline.tasks import ecom_dag, fetch_json, run_job

MAX_PARKED_DEFAULT = 100


@task(retries=0)
def report_dead_letters(summary: dict, params: dict | None = None) -> dict:
    print(dead_letter_report(summary))
    parked = check_parked_dead_letters(summary, params["max_parked"])
    return {"parked": parked, "max_parked": params["max_parked"], "byStatus": summary.get("byStatus")}


@ecom_dag(
    "ecom_dead_letter_redrive",
    schedule="0 7 * * *",
    dagrun_timeout=timedelta(hours=2),
    tags=["dead-letter"],
    params={
        "max_parked": Param(
            MAX_PARKED_DEFAULT,
            type="integer",
            minimum=0,
            description="Fail when more dead letters than this are parked.",
        )
    },
)
def ecom_dead_letter_redrive():
    summary = fetch_json("fetch_dead_letter_summary", DEAD_LETTER_SUMMARY_PATH)
    chain(*run_job("redeliver"), summary)
    report_dead_letters(summary.output)


ecom_dead_letter_redrive()
