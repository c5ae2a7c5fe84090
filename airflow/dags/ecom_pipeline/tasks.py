"""The building blocks of the ecom-pipeline DAGs: the shared ``@dag`` settings and the HTTP provider
operators/sensors that talk to the runtime (URLs, payloads and response checks come from
:mod:`ecom_pipeline.common`).

Nothing here talks to the network at import time (DAG parsing must stay offline and fast).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, NamedTuple

import pendulum
from airflow.providers.http.operators.http import HttpOperator
from airflow.providers.http.sensors.http import HttpSensor
from airflow.sdk import dag

from ecom_pipeline.common import (
    ACCEPT_JSON,
    API_CONN_ID,
    INGESTION_ROUTE_IDS,
    JOBS_PATH,
    JSON_HEADERS,
    ROUTES_PATH,
    check_job_finished,
    check_job_trigger,
    check_route_request,
    filter_job_trigger,
    fleet_routes_are,
    job_status_path_template,
    job_trigger_path,
    response_json,
    route_request_path,
)

# --------------------------------------------------------------------------------------------
# DAG and task defaults
# --------------------------------------------------------------------------------------------
PIPELINE_TAG = "ecom-pipeline"
START_DATE = pendulum.datetime(2026, 1, 1, tz="UTC")

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "ecom-pipeline",
    "retries": 2,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=5),
    "execution_timeout": timedelta(minutes=10),
}

#: per-request (connect, read) timeout handed to requests
HTTP_TIMEOUT = (10, 60)
HTTP_EXTRA_OPTIONS: dict[str, Any] = {"timeout": HTTP_TIMEOUT}

#: how often sensors ask, and how long a job may run before the wait gives up
SENSOR_POKE_INTERVAL = timedelta(seconds=5)
ROUTE_STATE_TIMEOUT = timedelta(minutes=5)
JOB_TIMEOUT = timedelta(hours=1)
#: sensors use "reschedule" when they can wait long (jobs); checked to work under `airflow dags test`
JOB_SENSOR_MODE = "reschedule"
ROUTE_SENSOR_MODE = "poke"

#: a mapped per-route task instance is labelled with the route request it sends
ROUTE_MAP_INDEX_TEMPLATE = "{{ task.endpoint }}"


def ecom_dag(dag_id: str, *, schedule: str | None, dagrun_timeout: timedelta, tags: Sequence[str], **kwargs: Any):
    """``@dag`` with what every ecom-pipeline DAG shares: no catch-up, one run at a time, the default
    task arguments (owner, retries with back-off, execution timeout), the ``ecom-pipeline`` tag and,
    unless ``doc_md`` is given, the DAG file's docstring as the DAG's documentation."""

    def decorate(dag_function):
        return dag(
            dag_id=dag_id,
            schedule=schedule,
            start_date=START_DATE,
            catchup=False,
            max_active_runs=1,
            default_args=DEFAULT_ARGS,
            dagrun_timeout=dagrun_timeout,
            tags=[PIPELINE_TAG, *tags],
            **{"doc_md": dag_function.__globals__.get("__doc__"), **kwargs},
        )(dag_function)

    return decorate


# --------------------------------------------------------------------------------------------
# Building blocks of the factories below
# --------------------------------------------------------------------------------------------
def http_call(conn_id: str, method: str, endpoint: str | None, **kwargs: Any) -> dict[str, Any]:
    """Arguments of every ``HttpOperator``/``HttpSensor`` call of the runtime: JSON in and out,
    bounded request time; ``kwargs`` add to or override them. ``endpoint`` None: mapped over later."""
    call = {
        "http_conn_id": conn_id,
        "method": method,
        "endpoint": endpoint,
        "headers": JSON_HEADERS if method == "POST" else ACCEPT_JSON,
        "extra_options": HTTP_EXTRA_OPTIONS,
        **kwargs,
    }
    if endpoint is None:
        del call["endpoint"]
    return call


def sensing(timeout: timedelta, mode: str, **kwargs: Any) -> dict[str, Any]:
    """Sensor timing: ask every :data:`SENSOR_POKE_INTERVAL` until ``timeout``; ``kwargs`` override.

    ``execution_timeout`` is off: the sensor's own ``timeout`` bounds the wait, an execution timeout
    would only cut one poke (in ``reschedule`` mode) or duplicate the bound.
    """
    return {
        "poke_interval": SENSOR_POKE_INTERVAL,
        "timeout": timeout,
        "mode": mode,
        "execution_timeout": None,
        **kwargs,
    }


def per_route(operator: type, task_id: str, endpoints: Sequence[str], **kwargs: Any):
    """``operator`` mapped over endpoints, one task instance per route."""
    return operator.partial(task_id=task_id, map_index_template=ROUTE_MAP_INDEX_TEMPLATE, **kwargs).expand(
        endpoint=list(endpoints)
    )


# --------------------------------------------------------------------------------------------
# Task factories
# --------------------------------------------------------------------------------------------
def trigger_job(job_type: str, *, task_id: str | None = None, **kwargs: Any) -> HttpOperator:
    """``HttpOperator`` that starts a job and pushes the job document (or the running one) to XCom."""
    endpoint = job_trigger_path(job_type)
    return HttpOperator(
        task_id=task_id or f"trigger_{job_type}",
        **http_call(
            API_CONN_ID,
            "POST",
            endpoint,
            # 409 must reach the response check (wait for the running job) instead of raising
            extra_options={**HTTP_EXTRA_OPTIONS, "check_response": False},
            response_check=check_job_trigger,
            response_filter=filter_job_trigger,
            log_response=True,
            doc_md=f"`POST {endpoint}`; on 409 the already running job is awaited.",
            **kwargs,
        ),
    )


def wait_for_job(
    job_type: str, *, trigger_task_id: str | None = None, task_id: str | None = None, **kwargs: Any
) -> HttpSensor:
    """``HttpSensor`` that polls the job started by ``trigger_task_id`` until it finished.

    Succeeds (job document to XCom) when it ``succeeded``; fails without retry when it ``failed``.
    """
    trigger_task_id = trigger_task_id or f"trigger_{job_type}"
    return HttpSensor(
        task_id=task_id or f"wait_for_{job_type}",
        **http_call(
            API_CONN_ID,
            "GET",
            job_status_path_template(trigger_task_id),
            # 404 = the runtime forgot the job (restart): fail instead of poking until timeout
            response_error_codes_allowlist=[],
            response_check=check_job_finished,
            doc_md=f"Polls `GET {JOBS_PATH}/{{id}}` for the job of `{trigger_task_id}`; "
            "fails (no retry) when the job failed.",
            **sensing(JOB_TIMEOUT, JOB_SENSOR_MODE, **kwargs),
        ),
    )


class JobTasks(NamedTuple):
    """The two tasks of one runtime job: ``chain(*job)`` runs them in order."""

    trigger: HttpOperator
    wait: HttpSensor


def run_job(job_type: str, **trigger_kwargs: Any) -> JobTasks:
    """``trigger_<job_type>`` then ``wait_for_<job_type>``: start a job (or join the running one) and
    wait until it finished; ``.wait.output`` is the finished job's document. ``trigger_kwargs`` go to the
    trigger task (e.g. its ``trigger_rule``, ``inlets``, ``outlets``)."""
    job = JobTasks(trigger_job(job_type, **trigger_kwargs), wait_for_job(job_type))
    job.trigger >> job.wait
    return job


def route_control(task_id: str, action: str, route_ids: Sequence[str] = INGESTION_ROUTE_IDS, **kwargs: Any):
    """Mapped ``HttpOperator``: one ``POST /api/routes/{id}/{action}`` per route (``suspend`` or ``resume``),
    a request every instance of the fleet applies (and every instance that starts later). A 404 (no instance has
    the route) is accepted for the optional routes (``OPTIONAL_ROUTE_IDS``) only."""
    return per_route(
        HttpOperator,
        task_id,
        [route_request_path(route_id, action) for route_id in route_ids],
        **http_call(
            API_CONN_ID,
            "POST",
            None,
            # a 404 must reach the response check (absent optional route) instead of raising
            extra_options={**HTTP_EXTRA_OPTIONS, "check_response": False},
            response_check=check_route_request,
            log_response=True,
            doc_md=f"`POST {ROUTES_PATH}/{{id}}/{action}` for {', '.join(route_ids)}: the whole fleet.",
            **kwargs,
        ),
    )


def wait_for_fleet_routes(task_id: str, desired: str, route_ids: Sequence[str] = INGESTION_ROUTE_IDS, **kwargs: Any):
    """``HttpSensor`` on ``GET /api/routes`` until EVERY live instance applied the ``desired`` request to every
    route: ``suspended`` -> quiescent (consumers paused, nothing in flight), ``started`` -> ``Started``."""
    return HttpSensor(
        task_id=task_id,
        **http_call(
            API_CONN_ID,
            "GET",
            ROUTES_PATH,
            response_check=fleet_routes_are(desired, route_ids),
            doc_md=f"Polls `GET {ROUTES_PATH}` until every live instance reports {', '.join(route_ids)} {desired}"
            + (" and quiescent." if desired == "suspended" else " (Started)."),
            **sensing(ROUTE_STATE_TIMEOUT, ROUTE_SENSOR_MODE, **kwargs),
        ),
    )


def fetch_json(task_id: str, endpoint: str, conn_id: str = API_CONN_ID, **kwargs: Any) -> HttpOperator:
    """``HttpOperator`` ``GET`` whose parsed JSON body goes to XCom."""
    return HttpOperator(
        task_id=task_id,
        **http_call(
            conn_id,
            "GET",
            endpoint,
            response_filter=response_json,
            doc_md=f"`GET {endpoint}`; the JSON body goes to XCom.",
            **kwargs,
        ),
    )
