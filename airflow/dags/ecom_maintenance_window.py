"""
### ecom_maintenance_window

Runs the runtime's **maintenance SQL job** while ingestion is paused on **every instance** of the fleet.

1. `suspend_routes` — `POST /api/routes/{id}/suspend` for every Camel route that writes ingested data
   (`common.INGESTION_ROUTE_IDS`, one mapped task instance per route): `ingest-events`,
   `dead-letter-redelivery`, the source routes `ingest-products`, `ingest-inventory`, `ingest-campaigns` and the
   products REST poll `products-api-poll` (it writes raw.products, ingest batches and dead letters on its own
   schedule, the tables the maintenance job purges and vacuums). The request is stored in PostgreSQL; every
   instance applies it within seconds, and an instance that starts during the window honours it.
   The source routes are optional (`common.OPTIONAL_ROUTE_IDS`): a source switched off by a setting
   (e.g. `PRODUCTS_API_ENABLED=false`, the default) is reported `Disabled` and left alone (a resume does not start
   it), and a route no instance has answers 404 — neither fails the window.
2. `wait_fleet_quiescent` — `GET /api/routes` until EVERY live instance has applied the request and
   reports every route it runs quiescent: the Kafka consumers really paused (a route reports `Suspended`
   before its poll in progress ends) and nothing in flight. A present route that does not get there fails
   the sensor (timeout), optional or not.
3. `trigger_maintenance` — `POST /api/jobs/maintenance` (a maintenance job already running anywhere
   in the fleet is awaited instead).
4. `wait_for_maintenance` — polls `GET /api/jobs/{id}` (any instance answers) until the job finished;
   fails when the job failed or was abandoned (its instance died).
5. `resume_routes` — `POST /api/routes/{id}/resume`; trigger rule **`all_done`**, so the routes are
   resumed even when any earlier step failed.
6. `verify_routes_started` — `GET /api/routes` until every live instance reports every route it runs `Started`.
7. `check_maintenance_outcome` — trigger rule `all_done`; fails the task (and so the DAG run)
   when any other task of the run failed. Without it the run would end *successful* after a
   failed maintenance, because Airflow derives the run state from the leaf tasks only.

Connection: `ecom_pipeline_api` (any instance, e.g. behind a load balancer), from the environment
(`AIRFLOW_CONN_ECOM_PIPELINE_API`). Manual trigger only (no schedule).
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import TriggerRule, chain, task

from ecom_pipeline.common import REQUEST_STARTED, REQUEST_SUSPENDED, failed_tasks
from ecom_pipeline.tasks import ecom_dag, route_control, run_job, wait_for_fleet_routes

OUTCOME_TASK_ID = "check_maintenance_outcome"


@task(task_id=OUTCOME_TASK_ID, trigger_rule=TriggerRule.ALL_DONE, retries=0)
def check_maintenance_outcome(**context) -> str:
    """Fail the run when any task failed, after the routes had their chance to be resumed."""
    from airflow.sdk.exceptions import AirflowFailException

    ti = context["ti"]
    states = ti.get_task_states(dag_id=ti.dag_id, run_ids=[ti.run_id]).get(ti.run_id, {})
    failed = failed_tasks(states, ignore=[OUTCOME_TASK_ID])
    if failed:
        raise AirflowFailException("maintenance window did not complete cleanly; failed tasks: " + ", ".join(failed))
    return "maintenance succeeded, routes started"


@ecom_dag(
    "ecom_maintenance_window",
    schedule=None,
    dagrun_timeout=timedelta(hours=2),
    tags=["maintenance", "camel-routes", "fleet"],
)
def ecom_maintenance_window():
    chain(
        route_control("suspend_routes", "suspend"),
        wait_for_fleet_routes("wait_fleet_quiescent", REQUEST_SUSPENDED),
        *run_job("maintenance"),
        route_control("resume_routes", "resume", trigger_rule=TriggerRule.ALL_DONE),
        wait_for_fleet_routes("verify_routes_started", REQUEST_STARTED),
        check_maintenance_outcome(),
    )


ecom_maintenance_window()
