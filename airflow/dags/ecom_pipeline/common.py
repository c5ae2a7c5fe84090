"""The runtime's HTTP API as the ecom-pipeline DAGs see it: connection ids, every URL/path, Jolokia
payloads and the checks of every response. The operators built from these are in :mod:`ecom_pipeline.tasks`.

All runtime endpoints live in this module, so a change of the runtime's API is a change here only.

Contract (runtime side):

* Management server (connection ``ecom_pipeline_management``, port 9876): ``/observe/health``,
  ``/observe/health/ready``, ``/observe/metrics`` and Jolokia at ``/observe/jolokia`` (POST JSON).
  Jolokia answers HTTP 200 even for errors; the real status is the body's ``status`` (+ ``error``).
* REST triggers (connection ``ecom_pipeline_api``, port 8080): ``POST /api/jobs/{type}`` -> 202 job
  (409 + ``running`` job when one of that type is already running), ``GET /api/jobs/{id}`` -> job
  with status ``running|succeeded|failed``, ``GET /api/dead-letters/summary``, ``GET /api/quality``.

Nothing here talks to the network at import time (DAG parsing must stay offline and fast).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from airflow.sdk import PokeReturnValue
from airflow.sdk.exceptions import AirflowException, AirflowFailException

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------
# Connections (defined only through the environment: AIRFLOW_CONN_ECOM_PIPELINE_API / _MANAGEMENT)
# --------------------------------------------------------------------------------------------
API_CONN_ID = "ecom_pipeline_api"
MANAGEMENT_CONN_ID = "ecom_pipeline_management"

# --------------------------------------------------------------------------------------------
# Endpoints (the one place that knows the runtime's URLs)
# --------------------------------------------------------------------------------------------
HEALTH_PATH = "/observe/health"
READINESS_PATH = "/observe/health/ready"
METRICS_PATH = "/observe/metrics"
JOLOKIA_PATH = "/observe/jolokia"
JOBS_PATH = "/api/jobs"
DEAD_LETTER_SUMMARY_PATH = "/api/dead-letters/summary"
QUALITY_PATH = "/api/quality"
INGEST_STATUS_PATH = "/api/ingest"

JOB_TYPES = ("transform", "index", "redeliver", "maintenance", "anomalies")

CAMEL_CONTEXT = "ecom-pipeline"
INGEST_ROUTE_ID = "ingest-events"
REDELIVERY_ROUTE_ID = "dead-letter-redelivery"
INGESTION_ROUTE_IDS = (INGEST_ROUTE_ID, REDELIVERY_ROUTE_ID)

ROUTE_STARTED = "Started"
ROUTE_SUSPENDED = "Suspended"

JOB_RUNNING = "running"
JOB_SUCCEEDED = "succeeded"
JOB_FAILED = "failed"

ACCEPT_JSON = {"Accept": "application/json"}
JSON_HEADERS = {"Content-Type": "application/json", **ACCEPT_JSON}

# --------------------------------------------------------------------------------------------
# Schedules
# --------------------------------------------------------------------------------------------
#: named schedules accepted by ECOM_TRANSFORM_SCHEDULE besides any cron expression / preset
SCHEDULE_ALIASES = {"twice-daily": "0 6,18 * * *", "hourly": "0 * * * *"}
TRANSFORM_SCHEDULE_ENV = "ECOM_TRANSFORM_SCHEDULE"
TRANSFORM_SCHEDULE_DEFAULT = SCHEDULE_ALIASES["twice-daily"]


def resolve_schedule(value: str | None, default: str) -> str:
    """A schedule from an env value: empty -> ``default``; ``hourly``/``twice-daily`` -> cron; else as is."""
    value = (value or "").strip()
    if not value:
        return default
    return SCHEDULE_ALIASES.get(value.lower(), value)


def job_trigger_path(job_type: str) -> str:
    """``POST`` here to start a job of ``job_type``."""
    if job_type not in JOB_TYPES:
        raise ValueError(f"unknown job type {job_type!r}; expected one of {JOB_TYPES}")
    return f"{JOBS_PATH}/{job_type}"


def job_status_path(job_id: str) -> str:
    """``GET`` here to read one job."""
    if not job_id or "/" in job_id:
        raise ValueError(f"invalid job id {job_id!r}")
    return f"{JOBS_PATH}/{job_id}"


def job_status_path_template(trigger_task_id: str) -> str:
    """Jinja template of :func:`job_status_path` for the job returned by ``trigger_task_id``."""
    return f"{JOBS_PATH}/{{{{ ti.xcom_pull(task_ids='{trigger_task_id}')['id'] }}}}"


# --------------------------------------------------------------------------------------------
# Jolokia (Camel route MBeans)
# --------------------------------------------------------------------------------------------
def route_mbean(route_id: str, context: str = CAMEL_CONTEXT) -> str:
    return f'org.apache.camel:context={context},type=routes,name="{route_id}"'


def jolokia_exec(route_id: str, operation: str) -> dict[str, Any]:
    """Jolokia request that calls ``operation`` (``suspend()``, ``resume()``) on a route MBean."""
    return {"type": "exec", "mbean": route_mbean(route_id), "operation": operation}


def jolokia_read_state(route_id: str) -> dict[str, Any]:
    """Jolokia request that reads a route's ``State`` attribute."""
    return {"type": "read", "mbean": route_mbean(route_id), "attribute": "State"}


class JolokiaError(AirflowException):
    """Jolokia answered, but the operation failed (body ``status`` != 200)."""


def response_json(response: Any) -> Any:
    """The body of a ``requests.Response`` as JSON, with the HTTP status in the error if it is not."""
    try:
        return response.json()
    except ValueError as exc:
        snippet = (getattr(response, "text", "") or "")[:300]
        raise AirflowException(
            f"expected JSON from {getattr(response, 'url', '?')} "
            f"(HTTP {getattr(response, 'status_code', '?')}), got: {snippet!r}"
        ) from exc


def jolokia_value(body: Any) -> Any:
    """The ``value`` of one Jolokia response body; raises :class:`JolokiaError` unless body status is 200."""
    if not isinstance(body, Mapping):
        raise JolokiaError(f"unexpected Jolokia response: {body!r}")
    status = body.get("status")
    if status != 200:
        request = body.get("request") or {}
        raise JolokiaError(
            f"Jolokia {request.get('type', '?')} on {request.get('mbean', '?')} failed: "
            f"status={status} error={body.get('error') or body.get('error_type') or 'n/a'}"
        )
    return body.get("value")


def check_jolokia_ok(response: Any) -> bool:
    """``response_check`` for Jolokia exec calls: HTTP 2xx *and* body status 200, else raise."""
    if not 200 <= response.status_code < 300:
        raise JolokiaError(f"Jolokia HTTP {response.status_code}: {response.text[:300]!r}")
    jolokia_value(response_json(response))
    return True


def route_state_is(expected: str):
    """``response_check`` for an ``HttpSensor`` reading a route's ``State``.

    Returns False (poke again) while the state differs, True once it is ``expected``; raises when
    Jolokia reports an error (unknown MBean, access denied, ...) — waiting would not help.
    """

    def check(response: Any) -> bool:
        body = response_json(response)
        state = jolokia_value(body)
        mbean = (body.get("request") or {}).get("mbean", "route")
        log.info("%s State=%s (waiting for %s)", mbean, state, expected)
        return state == expected

    check.__name__ = f"route_state_is_{expected.lower()}"
    return check


# --------------------------------------------------------------------------------------------
# Jobs
# --------------------------------------------------------------------------------------------
class JobFailedError(AirflowFailException):
    """The runtime reports the job as failed (no retry: re-polling cannot change that)."""


def job_from_trigger_response(status_code: int, body: Any) -> dict[str, Any]:
    """The job a ``POST /api/jobs/{type}`` started — or, on 409, the one already running.

    Any other answer raises (the HTTP operator's retries then apply).
    """
    if status_code in (200, 201, 202) and isinstance(body, Mapping) and body.get("id"):
        return dict(body)
    if status_code == 409 and isinstance(body, Mapping) and isinstance(body.get("running"), Mapping):
        running = dict(body["running"])
        if running.get("id"):
            log.warning(
                "a %s job is already running (%s, started %s); waiting for that one instead",
                running.get("type"),
                running["id"],
                running.get("startedAt"),
            )
            return running
    raise AirflowException(f"job trigger rejected: HTTP {status_code} {json.dumps(body)[:500]}")


def check_job_trigger(response: Any) -> bool:
    """``response_check`` for the trigger ``HttpOperator`` (202, or 409 with a running job)."""
    job_from_trigger_response(response.status_code, response_json(response))
    return True


def filter_job_trigger(response: Any) -> dict[str, Any]:
    """``response_filter`` for the trigger ``HttpOperator``: the job dict goes to XCom."""
    job = job_from_trigger_response(response.status_code, response_json(response))
    log.info("job %s (%s) status=%s", job.get("id"), job.get("type"), job.get("status"))
    return job


def job_outcome(job: Any) -> PokeReturnValue:
    """Sensor verdict for one job document: not done while running, done with the job on success,
    :class:`JobFailedError` on failure (message carries the job's error)."""
    if not isinstance(job, Mapping) or "status" not in job:
        raise AirflowException(f"unexpected job document: {job!r}")
    status = job.get("status")
    if status == JOB_RUNNING:
        return PokeReturnValue(is_done=False)
    if status == JOB_SUCCEEDED:
        log.info("job %s succeeded: %s", job.get("id"), json.dumps(job.get("result"))[:1000])
        return PokeReturnValue(is_done=True, xcom_value=dict(job))
    if status == JOB_FAILED:
        raise JobFailedError(
            f"job {job.get('id')} ({job.get('type')}) failed at {job.get('finishedAt')}: {job.get('error')}"
        )
    raise AirflowException(f"job {job.get('id')} has unknown status {status!r}")


def check_job_finished(response: Any) -> PokeReturnValue:
    """``response_check`` for the ``HttpSensor`` polling ``GET /api/jobs/{id}``."""
    return job_outcome(response_json(response))


# --------------------------------------------------------------------------------------------
# Dead letters
# --------------------------------------------------------------------------------------------
#: the dead-letter states the runtime knows, in the order the report lists them (unknown ones follow)
DEAD_LETTER_STATUSES = ("waiting", "recovered", "parked", "discarded")


class DeadLetterThresholdExceeded(AirflowFailException):
    """More parked dead letters than allowed."""


def dead_letter_report(summary: Mapping[str, Any]) -> str:
    """Human-readable report of ``GET /api/dead-letters/summary``."""
    by_status = summary.get("byStatus") or {}
    by_rule = summary.get("byRule") or {}
    others = sorted(status for status in by_status if status not in DEAD_LETTER_STATUSES)
    lines = ["dead letters by status:"]
    for status in (*DEAD_LETTER_STATUSES, *others):
        lines.append(f"  {status:<10} {int(by_status.get(status, 0) or 0):>8}")
    lines.append(f"oldest waiting: {summary.get('oldestWaitingAt') or '-'}")
    if by_rule:
        lines.append("by rule:")
        for rule, count in sorted(by_rule.items(), key=lambda kv: (-int(kv[1] or 0), kv[0])):
            lines.append(f"  {rule:<40} {int(count or 0):>8}")
    return "\n".join(lines)


def check_parked_dead_letters(summary: Mapping[str, Any], max_parked: int) -> int:
    """Number of parked dead letters; raises :class:`DeadLetterThresholdExceeded` above ``max_parked``."""
    if not isinstance(summary, Mapping) or not isinstance(summary.get("byStatus"), Mapping):
        raise AirflowException(f"unexpected dead-letter summary: {summary!r}")
    parked = int(summary["byStatus"].get("parked", 0) or 0)
    if parked > int(max_parked):
        top = sorted((summary.get("byRule") or {}).items(), key=lambda kv: -int(kv[1] or 0))[:5]
        raise DeadLetterThresholdExceeded(
            f"{parked} parked dead letters exceed the threshold of {max_parked}; "
            f"top rules: {', '.join(f'{r}={c}' for r, c in top) or 'n/a'}"
        )
    return parked


# --------------------------------------------------------------------------------------------
# Data quality
# --------------------------------------------------------------------------------------------
class DataQualityBreach(AirflowFailException):
    """At least one quality check is in breach."""


def breached_checks(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The checks of ``GET /api/quality`` whose status is not ``ok``."""
    if not isinstance(report, Mapping) or not isinstance(report.get("checks"), list):
        raise AirflowException(f"unexpected quality report: {report!r}")
    return [dict(c) for c in report["checks"] if c.get("status") != "ok"]


def describe_check(check: Mapping[str, Any]) -> str:
    text = f"{check.get('name')} (value={check.get('value')}, threshold={check.get('threshold')}"
    if check.get("status") not in ("ok", "breach"):
        text += f", status={check.get('status')}"
    text += ")"
    if check.get("detail"):
        text += f": {check['detail']}"
    return text


def check_quality(report: Mapping[str, Any]) -> list[str]:
    """Names of the passing checks; raises :class:`DataQualityBreach` listing every breached one."""
    breached = breached_checks(report)
    if breached:
        raise DataQualityBreach(
            f"{len(breached)} data-quality check(s) breached (report {report.get('generatedAt')}): "
            + "; ".join(describe_check(c) for c in breached)
        )
    if not report["checks"]:
        raise AirflowException("quality report contains no checks")
    return [c.get("name") for c in report["checks"]]


class DataQualityFailure(AirflowFailException):
    """A Great Expectations suite failed, a runtime check is breached, or a step of the quality run failed."""


#: sample rows shown per failed expectation in the verdict (the task log of the suite shows more)
VERDICT_SAMPLE_ROWS = 3


def describe_suite_failure(summary: Mapping[str, Any]) -> str:
    """One failed suite: its failed expectations (id, observed value, a few sample rows)."""
    parts = []
    for failure in summary.get("failures") or []:
        text = f"{failure.get('id')} (observed {failure.get('observed')})"
        sample = (failure.get("sample") or [])[:VERDICT_SAMPLE_ROWS]
        if sample:
            text += " e.g. " + "; ".join(json.dumps(row, default=str, sort_keys=True) for row in sample)
        parts.append(text)
    return f"suite {summary.get('suite')}: " + " | ".join(parts)


def check_quality_outcome(
    suites: Iterable[Mapping[str, Any]],
    expected_suites: Iterable[str],
    report: Mapping[str, Any] | None,
    failed: Iterable[str],
) -> list[str]:
    """The verdict of a quality run: the names of what passed, or :class:`DataQualityFailure` naming every failed
    suite (with its failed expectations and sample rows), every breached runtime check and every failed step."""
    suites = list(suites)
    problems = [describe_suite_failure(s) for s in suites if not s.get("success")]
    missing = sorted(set(expected_suites) - {s.get("suite") for s in suites})
    if missing:
        problems.append("no result from suite(s) " + ", ".join(missing))
    if report is not None:
        problems += ["runtime check " + describe_check(c) for c in breached_checks(report)]
    else:
        problems.append("no runtime quality report (GET /api/quality failed)")
    failed = [t for t in failed if not t.startswith("run_suite")]
    if failed:
        problems.append("failed steps: " + ", ".join(failed))
    if problems:
        raise DataQualityFailure(f"{len(problems)} data-quality problem(s): " + " || ".join(problems))
    return [f"suite {s.get('suite')}" for s in suites] + [f"check {c.get('name')}" for c in report["checks"]]


# --------------------------------------------------------------------------------------------
# Ingestion
# --------------------------------------------------------------------------------------------
def ingestion_is_quiescent(response: Any) -> bool:
    """``response_check`` for ``GET /api/ingest``: true once every Kafka consumer route has really paused.

    A route reports ``Suspended`` at once, but its Kafka consumer pauses only after the poll in progress,
    and a batch may still be in flight; ``quiescent`` covers both.
    """
    body = response_json(response)
    if not isinstance(body, dict) or "quiescent" not in body:
        raise ValueError(f"unexpected /api/ingest response: {body!r}")
    return bool(body["quiescent"])


# --------------------------------------------------------------------------------------------
# Run outcome
# --------------------------------------------------------------------------------------------
def failed_tasks(task_states: Mapping[str, Any], ignore: Iterable[str] = ()) -> list[str]:
    """Task ids of a run whose state is failed/upstream_failed.

    ``task_states`` is ``{task_id: state}`` as returned (per run id) by
    ``TaskInstance.get_task_states``; mapped task instances appear as ``<task_id>_<map_index>``.
    """
    ignore = set(ignore)
    return sorted(
        tid for tid, state in task_states.items() if tid not in ignore and str(state) in ("failed", "upstream_failed")
    )
