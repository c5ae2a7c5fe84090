"""The runtime's HTTP API as the ecom-pipeline DAGs see it: connection ids, every URL/path, Jolokia
payloads and the checks of every response. The operators built from these are in :mod:`ecom_pipeline.tasks`.

All runtime endpoints live in this module, so a change of the runtime's API is a change here only.

Contract (runtime side):

* Management server (connection ``ecom_pipeline_management``, port 9876, one instance): ``/observe/health``,
  ``/observe/health/ready``, ``/observe/metrics`` and Jolokia at ``/observe/jolokia`` (POST JSON).
  Jolokia answers HTTP 200 even for errors; the real status is the body's ``status`` (+ ``error``).
* REST API (connection ``ecom_pipeline_api``, port 8080; any instance of the fleet answers for all):
  ``POST /api/jobs/{type}`` -> 202 job (409 + ``running`` job when one of that type is already running
  anywhere), ``GET /api/jobs/{id}`` -> job with status ``running|succeeded|failed|skipped|abandoned``,
  ``POST /api/routes/{id}/suspend|resume`` -> 202 (every instance applies it within seconds),
  ``GET /api/routes`` -> every route with the fleet's request and each live instance's report,
  ``GET /api/dead-letters/summary``, ``GET /api/quality``.

Nothing here talks to the network at import time (DAG parsing must stay offline and fast).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

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
ROUTES_PATH = "/api/routes"

JOB_TYPES = ("transform", "index", "redeliver", "maintenance", "anomalies")

CAMEL_CONTEXT = "ecom-pipeline"
INGEST_ROUTE_ID = "ingest-events"
REDELIVERY_ROUTE_ID = "dead-letter-redelivery"
#: the routes of the other sources (src/main/resources/routes/sources.yaml): the three Kafka sources and the products
#: REST poll, which writes raw.products, ingest batches and dead letters like them. Each can be switched off by a
#: setting (PRODUCTS_ENABLED, ..., PRODUCTS_API_ENABLED, off by default) or be missing from an instance's route files
SOURCE_ROUTE_IDS = ("ingest-products", "ingest-inventory", "ingest-campaigns", "products-api-poll")
#: every route that writes ingested data: what the maintenance window suspends
INGESTION_ROUTE_IDS = (INGEST_ROUTE_ID, REDELIVERY_ROUTE_ID, *SOURCE_ROUTE_IDS)
#: routes an instance may lack or have switched off; the others must be on every instance
OPTIONAL_ROUTE_IDS = frozenset(SOURCE_ROUTE_IDS)

ROUTE_STARTED = "Started"
ROUTE_SUSPENDED = "Suspended"
#: what an instance reports for a route its settings do not start (a source switched off): it neither consumes nor
#: follows the fleet's suspend/resume requests (fleet.FleetMember)
ROUTE_DISABLED = "Disabled"

#: what the fleet is asked for a route (POST /api/routes/{id}/suspend|resume) and the resulting request state
ROUTE_ACTIONS = {"suspend": "suspended", "resume": "started"}
REQUEST_SUSPENDED = ROUTE_ACTIONS["suspend"]
REQUEST_STARTED = ROUTE_ACTIONS["resume"]
#: who asks, shown in GET /api/routes and the instances' logs
ROUTE_REQUESTER = "airflow"

JOB_RUNNING = "running"
JOB_SUCCEEDED = "succeeded"
JOB_FAILED = "failed"
#: another run held the job's lock / the instance that ran it died mid-run
JOB_SKIPPED = "skipped"
JOB_ABANDONED = "abandoned"

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
    if status in (JOB_FAILED, JOB_SKIPPED, JOB_ABANDONED):
        raise JobFailedError(
            f"job {job.get('id')} ({job.get('type')}) {status} at {job.get('finishedAt')} "
            f"on {job.get('instance')}: {job.get('error')}"
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
# Routes of the fleet
# --------------------------------------------------------------------------------------------
def route_request_path(route_id: str, action: str) -> str:
    """``POST`` here to ``suspend`` or ``resume`` a route on every instance of the fleet."""
    if action not in ROUTE_ACTIONS:
        raise ValueError(f"unknown route action {action!r}; expected one of {tuple(ROUTE_ACTIONS)}")
    if not route_id or "/" in route_id:
        raise ValueError(f"invalid route id {route_id!r}")
    return f"{ROUTES_PATH}/{route_id}/{action}?requestedBy={ROUTE_REQUESTER}"


def route_id_of_request(url: str) -> str | None:
    """The route id of a ``POST /api/routes/{id}/{action}`` URL (None for another URL)."""
    path = urlsplit(url or "").path
    prefix = ROUTES_PATH + "/"
    if prefix not in path:
        return None
    parts = path.split(prefix, 1)[1].split("/")
    return parts[0] if len(parts) == 2 and parts[1] in ROUTE_ACTIONS else None


def check_route_request(response: Any, optional: Iterable[str] = OPTIONAL_ROUTE_IDS) -> bool:
    """``response_check`` for ``POST /api/routes/{id}/suspend|resume``: 202 with the recorded request; for a route of
    ``optional``, also 404 (no instance of the fleet has it: nothing to suspend or resume)."""
    route_id = route_id_of_request(getattr(response, "url", ""))
    if response.status_code == 404 and route_id in set(optional):
        log.info("route %s: no instance of the fleet has it (optional route): nothing to do", route_id)
        return True
    body = response_json(response)
    request = body.get("request") if isinstance(body, Mapping) else None
    if (
        response.status_code != 202
        or not isinstance(request, Mapping)
        or request.get("desiredState")
        not in (
            REQUEST_SUSPENDED,
            REQUEST_STARTED,
        )
    ):
        raise AirflowException(f"route request rejected: HTTP {response.status_code} {json.dumps(body)[:500]}")
    log.info(
        "route %s: fleet request %s -> %s", request.get("routeId"), request.get("version"), request["desiredState"]
    )
    return True


def fleet_route_verdict(
    view: Any, route_ids: Iterable[str], desired: str, optional: Iterable[str] = OPTIONAL_ROUTE_IDS
) -> bool:
    """Whether every live instance of the fleet applied the ``desired`` request to every route of ``route_ids``
    and, for ``suspended``, reports it quiescent (nothing consumed, nothing in flight), for ``started``,
    reports it ``Started``. An instance that has not reported yet (just started) keeps it false.

    A route of ``optional`` counts only where it is present and enabled: an instance that lacks it or reports it
    ``Disabled`` (switched off by a setting) has nothing to do for it, and a route no live instance has is done once
    every live instance has reported. Where it is present it must reach the desired state like any other."""
    if not isinstance(view, Mapping) or not isinstance(view.get("routes"), list):
        raise AirflowException(f"unexpected {ROUTES_PATH} response: {view!r}")
    live = [i.get("id") for i in view.get("instances") or [] if i.get("live")]
    routes = {r.get("id"): r for r in view["routes"]}
    reporting = {i for r in view["routes"] for i in (r.get("instances") or {})}
    optional = set(optional)
    done = bool(live)
    for route_id in route_ids:
        route = routes.get(route_id)
        reports = {i: r for i, r in ((route or {}).get("instances") or {}).items() if i in live}
        if route_id in optional:
            reports = {i: r for i, r in reports.items() if r.get("state") != ROUTE_DISABLED}
            if not reports:
                silent = sorted(i for i in live if i not in reporting)
                if silent:
                    log.info("route %s: waiting for the first report of %s", route_id, silent)
                    done = False
                else:
                    log.info("route %s: absent or switched off on every live instance: nothing to wait for", route_id)
                continue
        if route is None or not reports:
            log.info("route %s: no live instance reported it yet", route_id)
            done = False
            continue
        pending = sorted(i for i, r in reports.items() if not _route_done(r, desired))
        ok = route.get("desired") == desired and bool(route.get("applied")) and not pending
        if desired == REQUEST_SUSPENDED:
            ok = ok and bool(route.get("quiescent"))
        log.info(
            "route %s: desired=%s applied=%s quiescent=%s state=%s on %d live instance(s); waiting for %s",
            route_id,
            route.get("desired"),
            route.get("applied"),
            route.get("quiescent"),
            route.get("state"),
            len(reports),
            pending or ("-" if ok else "the fleet"),
        )
        done = done and ok
    return done


def _route_done(report: Mapping[str, Any], desired: str) -> bool:
    if desired == REQUEST_SUSPENDED:
        return bool(report.get("quiescent"))
    return report.get("state") == ROUTE_STARTED


def fleet_routes_are(
    desired: str, route_ids: Iterable[str] = INGESTION_ROUTE_IDS, optional: Iterable[str] = OPTIONAL_ROUTE_IDS
):
    """``response_check`` for an ``HttpSensor`` on ``GET /api/routes`` (see :func:`fleet_route_verdict`)."""
    route_ids = tuple(route_ids)
    optional = frozenset(optional)

    def check(response: Any) -> bool:
        return fleet_route_verdict(response_json(response), route_ids, desired, optional)

    check.__name__ = f"fleet_routes_{desired}"
    return check


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
