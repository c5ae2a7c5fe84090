"""Whole DAG runs with ``dag.test()`` and the HTTP layer mocked in-process.

What this checks is *Airflow semantics* of our DAGs — trigger rules, which tasks run after a
failure, the final DAG run state, XCom hand-over, the 409 "already running" path — not the
runtime. ``HttpHook.run`` is replaced by :class:`ScriptedRuntime`, a few lines that answer
like the API contract in ``ecom_pipeline/common.py``. This is NOT an end-to-end test: the real
one (runtime jar + ``airflow dags test``) lives in ``tests/e2e`` and runs with ``ECOM_E2E=1``.

Retries are switched off for these runs so that failures are final at once.
"""

from __future__ import annotations

import uuid

import pytest

from ecom_pipeline import common as c
from helpers import http_response, load_dagbag

pytestmark = pytest.mark.dagrun

ROUTES = c.INGESTION_ROUTE_IDS


class ScriptedRuntime:
    """Answers requests like the runtime's API; records every call as ``(method, path, payload)``.

    Route control is a fleet of ``instances``: a route request (POST /api/routes/{id}/suspend|resume)
    is applied by the first instance at once and by each further one a GET /api/routes later, like
    instances that apply it at their next heartbeat.
    """

    def __init__(
        self,
        *,
        job_outcomes=None,
        running_jobs=None,
        unknown_routes=(),
        polls_before_done=0,
        dead_letters=None,
        quality=None,
        instances=("instance-a", "instance-b"),
    ):
        self.instances = list(instances)
        # instance -> route -> state
        self.states = {i: dict.fromkeys(ROUTES, "Started") for i in self.instances}
        self.requests: dict[str, dict] = {}  # route -> {"desired", "version"}
        self.applied = {i: {} for i in self.instances}  # instance -> route -> version
        self.pending: list[tuple[str, str]] = []  # (instance, route) still to apply
        self.job_outcomes = {
            "transform": "succeeded",
            "index": "succeeded",
            "redeliver": "succeeded",
            "maintenance": "succeeded",
            **(job_outcomes or {}),
        }
        self.running_jobs = dict(running_jobs or {})  # job_type -> job already running (409)
        self.unknown_routes = set(unknown_routes)  # route ids no instance has (404)
        self.polls_before_done = polls_before_done
        self.dead_letters = dead_letters
        self.quality = quality
        self.jobs: dict[str, dict] = {}
        self.polls: dict[str, int] = {}
        self.calls: list[tuple[str, str, object]] = []
        self.states_at_maintenance = None

    # -- helpers for assertions
    def paths(self, method=None):
        return [p for m, p, _ in self.calls if method in (None, m)]

    def route_requests(self):
        """(action, route) of every route request, in order."""
        out = []
        for m, p, _ in self.calls:
            if m == "POST" and p.startswith(c.ROUTES_PATH + "/"):
                route, action = p.split("?")[0].split("/")[3:5]
                out.append((action, route))
        return out

    # -- the API
    def handle(self, conn_id, method, path, payload):
        self.calls.append((method, path, payload))
        assert conn_id == c.API_CONN_ID, f"{path} on {conn_id}"
        if method == "POST" and path.startswith(c.ROUTES_PATH + "/"):
            return self._route_request(path)
        if method == "GET" and path == c.ROUTES_PATH:
            return 200, self._fleet_view()
        if method == "POST" and path.startswith(c.JOBS_PATH + "/"):
            job_type = path.rsplit("/", 1)[1]
            if job_type == "maintenance":
                self.states_at_maintenance = {i: dict(r) for i, r in self.states.items()}
            if job_type in self.running_jobs:
                running = self.running_jobs.pop(job_type)
                self.jobs[running["id"]] = running
                return 409, {"error": f"a {job_type} job is already running", "running": running}
            job = {
                "id": f"{job_type}-{uuid.uuid4()}",
                "type": job_type,
                "trigger": "http",
                "status": "running",
                "instance": "instance-a",
                "startedAt": "2026-11-23T10:00:00Z",
                "finishedAt": None,
                "error": None,
                "result": {},
            }
            self.jobs[job["id"]] = job
            return 202, job
        if method == "GET" and path.startswith(c.JOBS_PATH + "/"):
            job = self.jobs.get(path.rsplit("/", 1)[1])
            if job is None:
                return 404, {"error": "unknown job"}
            self.polls[job["id"]] = self.polls.get(job["id"], 0) + 1
            if self.polls[job["id"]] > self.polls_before_done:
                outcome = self.job_outcomes[job["type"]]
                job.update(
                    status=outcome,
                    finishedAt="2026-11-23T10:01:00Z",
                    error="simulated failure" if outcome == "failed" else None,
                    result={"rows": 10} if outcome == "succeeded" else {},
                )
            return 200, job
        if method == "GET" and path == c.DEAD_LETTER_SUMMARY_PATH:
            return 200, self.dead_letters
        if method == "GET" and path == c.QUALITY_PATH:
            return 200, self.quality
        return 404, {"error": "not found"}

    def _route_request(self, path):
        route, action = path.split("?")[0].split("/")[3:5]
        if route in self.unknown_routes:
            return 404, {"error": f"no route with id '{route}' on any instance", "status": 404}
        desired = c.ROUTE_ACTIONS[action]
        version = self.requests.get(route, {}).get("version", 0) + 1
        self.requests[route] = {"desired": desired, "version": version}
        self.pending = [(i, r) for i, r in self.pending if r != route] + [(i, route) for i in self.instances]
        self._apply_next()  # the instance that took the request applies it at once
        request = {"routeId": route, "desiredState": desired, "version": version, "requestedBy": "airflow"}
        return 202, {"request": request, "note": "applied within a heartbeat interval"}

    def _apply_next(self):
        if self.pending:
            instance, route = self.pending.pop(0)
            request = self.requests[route]
            self.states[instance][route] = "Suspended" if request["desired"] == "suspended" else "Started"
            self.applied[instance][route] = request["version"]

    def _fleet_view(self):
        routes = []
        for route in ROUTES:
            request = self.requests.get(route, {"desired": "started", "version": None})
            reports = {
                i: {
                    "state": self.states[i][route],
                    "inflight": 0,
                    "quiescent": self.states[i][route] != "Started",
                    "appliedVersion": self.applied[i].get(route),
                }
                for i in self.instances
            }
            applied = all(r["appliedVersion"] == request["version"] for r in reports.values())
            states = {r["state"] for r in reports.values()}
            routes.append(
                {
                    "id": route,
                    "desired": request["desired"],
                    "version": request["version"],
                    "state": states.pop() if len(states) == 1 else "Mixed",
                    "applied": applied,
                    "quiescent": applied and all(r["quiescent"] for r in reports.values()),
                    "instances": reports,
                }
            )
        view = {"instances": [{"id": i, "live": True} for i in self.instances], "routes": routes}
        self._apply_next()  # one more instance reaches its next heartbeat
        return view


@pytest.fixture
def runtime(monkeypatch):
    from airflow.providers.http.hooks.http import HttpHook

    holder = {}

    def fake_run(hook, endpoint=None, data=None, headers=None, extra_options=None, **request_kwargs):
        status, body = holder["runtime"].handle(hook.http_conn_id, hook.method, endpoint, request_kwargs.get("json"))
        resp = http_response(status, body, url=f"http://runtime{endpoint}")
        if (extra_options or {}).get("check_response", True):
            hook.check_response(resp)
        return resp

    monkeypatch.setattr(HttpHook, "run", fake_run)

    def install(**kwargs):
        holder["runtime"] = ScriptedRuntime(**kwargs)
        return holder["runtime"]

    return install


def run_dag(dag_id, **test_kwargs):
    """dag.test() on a freshly parsed DAG (retries off); returns (run state, {task: state})."""
    dag = load_dagbag().dags[dag_id]
    for task in dag.tasks:
        if type(task).__name__ == "MappedOperator":
            task.partial_kwargs["retries"] = 0
        else:
            task.retries = 0
    dr = dag.test(**test_kwargs)
    states = {}
    for ti in dr.get_task_instances():
        key = ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]"
        states[key] = str(ti.state) if ti.state else None
    return str(dr.state), states


# ------------------------------------------------------------------ ecom_maintenance_window
def test_maintenance_window_happy_path(runtime):
    rt = runtime()
    state, tis = run_dag("ecom_maintenance_window")
    assert state == "success", tis
    assert set(tis.values()) == {"success"}
    requests = rt.route_requests()
    assert sorted(r for a, r in requests if a == "suspend") == sorted(ROUTES)
    assert sorted(r for a, r in requests if a == "resume") == sorted(ROUTES)
    posts = rt.paths("POST")
    assert posts.count("/api/jobs/maintenance") == 1
    # suspend -> maintenance -> resume
    maint = posts.index("/api/jobs/maintenance")
    suspends = [i for i, p in enumerate(posts) if p.endswith("/suspend?requestedBy=airflow")]
    resumes = [i for i, p in enumerate(posts) if p.endswith("/resume?requestedBy=airflow")]
    assert max(suspends) < maint < min(resumes)
    # the maintenance started only once EVERY instance had suspended both routes (the second one lags)
    assert rt.states_at_maintenance == {i: dict.fromkeys(ROUTES, "Suspended") for i in rt.instances}
    assert rt.paths("GET").count(c.ROUTES_PATH) >= 3, "the sensors waited for the lagging instance"
    assert rt.states == {i: dict.fromkeys(ROUTES, "Started") for i in rt.instances}


def test_maintenance_failure_still_resumes_and_fails_the_run(runtime):
    rt = runtime(job_outcomes={"maintenance": "failed"})
    state, tis = run_dag("ecom_maintenance_window")
    assert state == "failed"
    assert tis["wait_for_maintenance"] == "failed"
    assert tis["resume_routes[0]"] == tis["resume_routes[1]"] == "success"
    assert tis["verify_routes_started"] == "success"
    assert tis["check_maintenance_outcome"] == "failed"
    assert rt.states == {i: dict.fromkeys(ROUTES, "Started") for i in rt.instances}


def test_suspend_failure_on_one_route_skips_maintenance_but_resumes_all(runtime):
    rt = runtime(unknown_routes={"dead-letter-redelivery"})
    state, tis = run_dag("ecom_maintenance_window")
    assert state == "failed"
    assert tis["suspend_routes[0]"] == "success"
    assert tis["suspend_routes[1]"] == "failed"
    assert tis["trigger_maintenance"] == "upstream_failed"
    assert "/api/jobs/maintenance" not in rt.paths("POST")
    assert sorted(r for a, r in rt.route_requests() if a == "resume") == sorted(ROUTES)
    # the route that was suspended is running again on every instance
    assert all(rt.states[i]["ingest-events"] == "Started" for i in rt.instances)
    assert tis["check_maintenance_outcome"] == "failed"


# ------------------------------------------------------------------ ecom_transform_and_index
def test_transform_and_index_waits_for_already_running_transform(runtime):
    running = {
        "id": "transform-already-running",
        "type": "transform",
        "trigger": "quartz",
        "status": "running",
        "startedAt": "2026-11-23T09:59:00Z",
        "finishedAt": None,
        "error": None,
        "result": {},
    }
    rt = runtime(running_jobs={"transform": running}, polls_before_done=1)
    state, tis = run_dag("ecom_transform_and_index")
    assert state == "success", tis
    assert rt.paths("GET").count("/api/jobs/transform-already-running") == 2  # running, then done
    assert rt.paths("POST") == ["/api/jobs/transform", "/api/jobs/index"]


def test_failed_transform_stops_before_index(runtime):
    rt = runtime(job_outcomes={"transform": "failed"})
    state, tis = run_dag("ecom_transform_and_index")
    assert state == "failed"
    assert tis["wait_for_transform"] == "failed"
    assert tis["trigger_index"] == "upstream_failed"
    assert rt.paths("POST") == ["/api/jobs/transform"]


# ------------------------------------------------------------------ ecom_dead_letter_redrive
DEAD_LETTERS = {
    "byStatus": {"waiting": 4, "recovered": 20, "parked": 3, "discarded": 0},
    "byRule": {"rule.amount_positive": 7},
    "oldestWaitingAt": "2026-11-23T09:00:00Z",
}


def test_dead_letter_redrive_reports(runtime):
    rt = runtime(dead_letters=DEAD_LETTERS)
    state, tis = run_dag("ecom_dead_letter_redrive")
    assert state == "success", tis
    assert rt.paths()[0:1] == ["/api/jobs/redeliver"]
    assert rt.paths("GET")[-1] == "/api/dead-letters/summary"


def test_dead_letter_redrive_fails_above_threshold(runtime):
    runtime(dead_letters=DEAD_LETTERS)
    state, tis = run_dag("ecom_dead_letter_redrive", run_conf={"max_parked": 2})
    assert state == "failed"
    assert tis["report_dead_letters"] == "failed"


# ------------------------------------------------------------------ ecom_data_quality
def test_data_quality_breach_fails_the_run(runtime):
    runtime(
        quality={
            "generatedAt": "2026-11-23T10:00:00Z",
            "checks": [
                {"name": "completeness", "value": 0.99, "threshold": 0.95, "status": "ok", "detail": ""},
                {"name": "freshness", "value": 5400, "threshold": 900, "status": "breach", "detail": "stale"},
            ],
        }
    )
    state, tis = run_dag("ecom_data_quality")
    assert state == "failed"
    assert tis == {"fetch_quality_report": "success", "check_quality": "failed"}


def test_data_quality_ok(runtime):
    runtime(
        quality={
            "generatedAt": "2026-11-23T10:00:00Z",
            "checks": [{"name": "completeness", "value": 0.99, "threshold": 0.95, "status": "ok", "detail": ""}],
        }
    )
    state, tis = run_dag("ecom_data_quality")
    assert state == "success", tis
