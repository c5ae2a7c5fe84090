"""Whole DAG runs with ``dag.test()`` and the HTTP layer mocked in-process.

What this checks is *Airflow semantics* of our DAGs — trigger rules, which tasks run after a
failure, the final DAG run state, XCom hand-over, the 409 "already running" path — not the
runtime. ``HttpHook.run`` is replaced by :class:`ScriptedRuntime`, a few lines that answer
like the API contract in ``ecom_pipeline/common.py``. This is NOT an end-to-end test: the real
one (runtime jar + ``airflow dags test``) lives in ``tests/e2e`` and runs with ``ECOM_E2E=1``.

Retries are switched off for these runs so that failures are final at once.
"""

from __future__ import annotations

import json
import uuid
from types import SimpleNamespace

import pytest

from ecom_pipeline import common as c
from helpers import http_response, load_dagbag

pytestmark = pytest.mark.dagrun

ROUTES = c.INGESTION_ROUTE_IDS


class ScriptedRuntime:
    """Answers requests like the runtime's API; records every call as ``(method, path, payload)``.

    Route control is a fleet of ``instances``: a route request (POST /api/routes/{id}/suspend|resume)
    is applied by the first instance at once and by each further one a GET /api/routes later, like
    instances that apply it at their next heartbeat. ``unknown_routes`` no instance has (404, not listed);
    ``disabled`` (instance, route) pairs are switched off there (reported ``Disabled``, requests applied without
    changing them, like fleet.FleetMember); ``stuck`` pairs never apply a request.
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
        disabled=(),
        stuck=(),
    ):
        self.instances = list(instances)
        self.disabled = set(disabled)
        self.stuck = set(stuck)
        # instance -> route -> state
        self.states = {
            i: {r: c.ROUTE_DISABLED if (i, r) in self.disabled else "Started" for r in ROUTES} for i in self.instances
        }
        self.requests: dict[str, dict] = {}  # route -> {"desired", "version"}
        self.applied = {i: {} for i in self.instances}  # instance -> route -> version
        self.pending: list[tuple[str, str]] = []  # (instance, route) still to apply
        self.job_outcomes = {
            "transform": "succeeded",
            "index": "succeeded",
            "redeliver": "succeeded",
            "maintenance": "succeeded",
            "anomalies": "succeeded",
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
        self._apply_next(route)  # the instance that took the request applies it at once
        request = {"routeId": route, "desiredState": desired, "version": version, "requestedBy": "airflow"}
        return 202, {"request": request, "note": "applied within a heartbeat interval"}

    def _apply_next(self, route=None):
        """One instance applies its oldest pending request (of ``route`` when given)."""
        for k, (instance, pending_route) in enumerate(self.pending):
            if route not in (None, pending_route):
                continue
            del self.pending[k]
            if (instance, pending_route) in self.stuck:
                return
            request = self.requests[pending_route]
            if (instance, pending_route) not in self.disabled:
                self.states[instance][pending_route] = "Suspended" if request["desired"] == "suspended" else "Started"
            self.applied[instance][pending_route] = request["version"]
            return

    def settle(self):
        """Every instance reaches its next heartbeat: what is pending is applied (stuck pairs still never apply)."""
        while self.pending:
            self._apply_next()

    def _fleet_view(self):
        routes = []
        for route in (r for r in ROUTES if r not in self.unknown_routes):
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


def run_dag(dag_id, sensor_timeout=None, **test_kwargs):
    """dag.test() on a freshly parsed DAG (retries off; sensors give up after ``sensor_timeout`` seconds when
    given); returns (run state, {task: state})."""
    dag = load_dagbag().dags[dag_id]
    for task in dag.tasks:
        if type(task).__name__ == "MappedOperator":
            task.partial_kwargs["retries"] = 0
        else:
            task.retries = 0
        if sensor_timeout is not None and hasattr(task, "poke_interval"):
            task.timeout = sensor_timeout
            task.poke_interval = 0.5
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


def test_switched_off_and_absent_source_routes_do_not_fail_the_window(runtime):
    # instance-b has the products API poll switched off; no instance has the campaigns route (404)
    rt = runtime(unknown_routes={"ingest-campaigns"}, disabled={("instance-b", "products-api-poll")})
    state, tis = run_dag("ecom_maintenance_window")
    assert state == "success", tis
    assert set(tis.values()) == {"success"}, tis
    # the maintenance ran once every present, enabled route was suspended on every instance
    expected = {i: dict.fromkeys(ROUTES, "Suspended") for i in rt.instances}
    for i in rt.instances:
        expected[i]["ingest-campaigns"] = "Started"  # absent: nobody applied anything
    expected["instance-b"]["products-api-poll"] = c.ROUTE_DISABLED
    assert rt.states_at_maintenance == expected
    # afterwards everything runs again, except what is switched off: a resume does not start it
    assert rt.states["instance-a"]["products-api-poll"] == "Started"
    assert rt.states["instance-b"]["products-api-poll"] == c.ROUTE_DISABLED
    assert all(rt.states[i][r] == "Started" for i in rt.instances for r in c.SOURCE_ROUTE_IDS[:2])


def test_a_present_source_route_that_does_not_suspend_fails_the_window(runtime):
    # instance-b runs ingest-inventory but never applies the requests: the window must not start maintenance
    rt = runtime(stuck={("instance-b", "ingest-inventory")})
    state, tis = run_dag("ecom_maintenance_window", sensor_timeout=3)
    assert state == "failed"
    assert tis["wait_fleet_quiescent"] == "failed"
    assert tis["trigger_maintenance"] == "upstream_failed"
    assert "/api/jobs/maintenance" not in rt.paths("POST")
    assert sorted(r for a, r in rt.route_requests() if a == "resume") == sorted(ROUTES)
    assert tis["check_maintenance_outcome"] == "failed"


def test_suspend_failure_on_one_route_skips_maintenance_but_resumes_all(runtime):
    rt = runtime(unknown_routes={"dead-letter-redelivery"})
    state, tis = run_dag("ecom_maintenance_window")
    assert state == "failed"
    assert tis["suspend_routes[0]"] == "success"
    assert tis["suspend_routes[1]"] == "failed"
    assert tis["trigger_maintenance"] == "upstream_failed"
    assert "/api/jobs/maintenance" not in rt.paths("POST")
    assert sorted(r for a, r in rt.route_requests() if a == "resume") == sorted(ROUTES)
    # no sensor runs after a failed resume (upstream failed), so nothing polls the fleet: once every instance reached
    # its next heartbeat, the route that was suspended is running again on every instance (the last request won)
    rt.settle()
    assert all(rt.states[i]["ingest-events"] == "Started" for i in rt.instances), rt.states
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


def test_failed_transform_stops_before_index(runtime, alert_receiver):
    rt = runtime(job_outcomes={"transform": "failed"})
    state, tis = run_dag("ecom_transform_and_index")
    assert state == "failed"
    assert tis["wait_for_transform"] == "failed"
    assert tis["trigger_index"] == "upstream_failed"
    assert rt.paths("POST") == ["/api/jobs/transform"]
    assert alert_receiver.bodies == [], "no completion notification for a run that did not complete"


def test_completed_transform_run_notifies_once(runtime, alert_receiver):
    runtime()
    state, tis = run_dag("ecom_transform_and_index")
    assert state == "success", tis
    assert len(alert_receiver.bodies) == 1, alert_receiver.bodies
    text = alert_receiver.bodies[0]["text"]
    assert "transform and index completed" in text
    # what the two jobs did, from the report task
    for fragment in ('"transform"', '"index"', '"rows": 10'):
        assert fragment in text, text


@pytest.fixture
def alert_receiver(monkeypatch):
    receiver = Receiver()
    monkeypatch.setenv(
        "AIRFLOW_CONN_ECOM_ALERTS_WEBHOOK", json.dumps({"conn_type": "slackwebhook", "password": receiver.url})
    )
    yield receiver
    receiver.close()


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
# Real Great Expectations suites against a copy of the real warehouse (warehouse.py); only the runtime's HTTP API is
# scripted. The notifier posts to a local receiver standing in for Slack.
QUALITY_OK = {
    "generatedAt": "2026-11-23T10:00:00Z",
    "checks": [{"name": "completeness", "value": 0.99, "threshold": 0.95, "status": "ok", "detail": ""}],
    "anomalies": {"latest": [], "flagged": []},
}


class Receiver:
    """A local HTTP endpoint that records the JSON bodies posted to it (the Slack webhook's stand-in)."""

    def __init__(self):
        import http.server
        import threading

        bodies = self.bodies = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def quality_run(clean_warehouse, monkeypatch, tmp_path):
    """A copy of the clean warehouse as ``ecom_pipeline_db``, a quality directory and the alert receiver."""
    import warehouse

    receiver = Receiver()
    with warehouse.copy_of(clean_warehouse) as db:
        monkeypatch.setenv("AIRFLOW_CONN_ECOM_PIPELINE_DB", warehouse.url(db))
        monkeypatch.setenv("ECOM_QUALITY_DIR", str(tmp_path / "quality"))
        monkeypatch.setenv(
            "AIRFLOW_CONN_ECOM_ALERTS_WEBHOOK", json.dumps({"conn_type": "slackwebhook", "password": receiver.url})
        )
        yield SimpleNamespace(db=db, dir=tmp_path / "quality", alerts=receiver.bodies)
    receiver.close()


SUITES = ("raw", "clean", "business_metrics", "warehouse")
AFTER_SUITES = ("trigger_anomalies", "wait_for_anomalies", "fetch_quality_report", "update_catalog", "quality_report")


@pytest.mark.quality
def test_data_quality_clean_run_succeeds(runtime, quality_run):
    rt = runtime(quality=QUALITY_OK)
    state, tis = run_dag("ecom_data_quality")
    assert state == "success", tis
    assert {tis[f"run_suite[{i}]"] for i in range(len(SUITES))} == {"success"}
    assert all(tis[t] == "success" for t in (*AFTER_SUITES, "check_quality")), tis
    assert "/api/jobs/anomalies" in rt.paths("POST")
    daily = json.loads((quality_run.dir / "summary" / "latest.json").read_text())
    assert daily["success"] is True
    assert [s["suite"] for s in daily["suites"]] == list(SUITES)
    assert (quality_run.dir / "data-docs" / "index.html").is_file()
    assert (quality_run.dir / "catalog.html").is_file()
    assert quality_run.alerts == []


@pytest.mark.quality
def test_a_failed_suite_fails_the_run_after_the_report_and_alerts(runtime, quality_run):
    import warehouse

    event_id = warehouse.query(quality_run.db, "SELECT min(event_id::text) FROM raw.events")[0][0]
    warehouse.execute(
        quality_run.db,
        "ALTER TABLE raw.events DROP CONSTRAINT events_pkey",
        f"INSERT INTO raw.events SELECT * FROM raw.events WHERE event_id = '{event_id}'",
    )
    runtime(quality=QUALITY_OK)
    state, tis = run_dag("ecom_data_quality")
    assert state == "failed"
    assert [tis[f"run_suite[{i}]"] for i in range(len(SUITES))] == ["failed", "success", "success", "success"]
    # anomalies, catalog and report still ran; the verdict failed
    assert all(tis[t] == "success" for t in AFTER_SUITES), tis
    assert tis["check_quality"] == "failed"
    daily = json.loads((quality_run.dir / "summary" / "latest.json").read_text())
    assert daily["success"] is False
    assert daily["suites"][0]["failed_expectations"] == ["raw.events.event_id_unique"]
    # one alert, naming the expectation and the duplicated event
    assert len(quality_run.alerts) == 1, quality_run.alerts
    text = quality_run.alerts[0]["text"]
    assert "raw.events.event_id_unique" in text, text
    assert event_id in text, text


@pytest.mark.quality
def test_data_quality_breach_fails_the_run(runtime, quality_run):
    runtime(
        quality={
            **QUALITY_OK,
            "checks": [
                {"name": "completeness", "value": 0.99, "threshold": 0.95, "status": "ok", "detail": ""},
                {"name": "freshness", "value": 5400, "threshold": 900, "status": "breach", "detail": "stale"},
            ],
        }
    )
    state, tis = run_dag("ecom_data_quality")
    assert state == "failed"
    assert {tis[f"run_suite[{i}]"] for i in range(len(SUITES))} == {"success"}
    assert tis["check_quality"] == "failed"
    assert len(quality_run.alerts) == 1, quality_run.alerts
    assert "freshness" in quality_run.alerts[0]["text"], quality_run.alerts
