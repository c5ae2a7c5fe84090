"""Response checks and helpers of ecom_pipeline.common, with sample payloads of the runtime contract."""

from __future__ import annotations

import pytest
from airflow.sdk import PokeReturnValue
from airflow.sdk.exceptions import AirflowException, AirflowFailException

from ecom_pipeline import common as c
from helpers import http_response as response


def job(status="running", job_type="transform", **kw):
    doc = {
        "id": f"{job_type}-1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "type": job_type,
        "trigger": "http",
        "status": status,
        "startedAt": "2026-11-23T10:00:00Z",
        "finishedAt": None if status == "running" else "2026-11-23T10:01:00Z",
        "error": None,
        "result": {},
    }
    doc.update(kw)
    return doc


MBEAN = 'org.apache.camel:context=ecom-pipeline,type=routes,name="ingest-events"'


# ---------------------------------------------------------------- endpoints / payloads
def test_paths_and_connections():
    assert c.API_CONN_ID == "ecom_pipeline_api"
    assert c.MANAGEMENT_CONN_ID == "ecom_pipeline_management"
    assert c.JOLOKIA_PATH == "/observe/jolokia"
    assert c.job_trigger_path("maintenance") == "/api/jobs/maintenance"
    assert c.job_status_path("transform-abc") == "/api/jobs/transform-abc"
    assert c.DEAD_LETTER_SUMMARY_PATH == "/api/dead-letters/summary"
    assert c.QUALITY_PATH == "/api/quality"
    with pytest.raises(ValueError, match="unknown job type 'vacuum'"):
        c.job_trigger_path("vacuum")
    with pytest.raises(ValueError, match="invalid job id"):
        c.job_status_path("../etc")


def test_job_status_path_template_renders_job_id():
    import jinja2

    class TI:
        def xcom_pull(self, task_ids):
            assert task_ids == "trigger_index"
            return job(job_type="index")

    rendered = jinja2.Template(c.job_status_path_template("trigger_index")).render(ti=TI())
    assert rendered == "/api/jobs/index-1b4e28ba-2fa1-11d2-883f-0016d3cca427"


def test_route_mbean_and_jolokia_requests():
    assert c.route_mbean("ingest-events") == MBEAN
    assert c.jolokia_read_state("dead-letter-redelivery") == {
        "type": "read",
        "mbean": 'org.apache.camel:context=ecom-pipeline,type=routes,name="dead-letter-redelivery"',
        "attribute": "State",
    }
    # what the maintenance window suspends: events, redelivery and every source route of the runtime
    assert c.INGESTION_ROUTE_IDS == (
        "ingest-events",
        "dead-letter-redelivery",
        "ingest-products",
        "ingest-inventory",
        "ingest-campaigns",
        "products-api-poll",
    )
    assert set(c.SOURCE_ROUTE_IDS) == c.OPTIONAL_ROUTE_IDS
    assert c.INGEST_ROUTE_ID not in c.OPTIONAL_ROUTE_IDS
    assert c.REDELIVERY_ROUTE_ID not in c.OPTIONAL_ROUTE_IDS


def test_the_source_routes_are_the_runtimes():
    """The ids name real routes of the runtime's route files (a renamed route would never be suspended)."""
    import re

    from helpers import REPO

    routes = REPO / "src" / "main" / "resources" / "routes"
    ids = set()
    for path in routes.glob("*.yaml"):
        ids |= set(re.findall(r"^    id: ([\w-]+)$", path.read_text(), flags=re.MULTILINE))
    assert set(c.INGESTION_ROUTE_IDS) <= ids, set(c.INGESTION_ROUTE_IDS) - ids


def test_route_request_paths():
    assert c.ROUTES_PATH == "/api/routes"
    assert c.route_request_path("ingest-events", "suspend") == "/api/routes/ingest-events/suspend?requestedBy=airflow"
    assert c.route_request_path("ingest-events", "resume") == "/api/routes/ingest-events/resume?requestedBy=airflow"
    with pytest.raises(ValueError, match="unknown route action"):
        c.route_request_path("ingest-events", "stop")
    with pytest.raises(ValueError, match="invalid route id"):
        c.route_request_path("../x", "suspend")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "0 6,18 * * *"),
        ("", "0 6,18 * * *"),
        ("  ", "0 6,18 * * *"),
        ("hourly", "0 * * * *"),
        ("HOURLY", "0 * * * *"),
        ("twice-daily", "0 6,18 * * *"),
        ("@hourly", "@hourly"),
        ("*/30 * * * *", "*/30 * * * *"),
    ],
)
def test_resolve_schedule(value, expected):
    assert c.resolve_schedule(value, c.TRANSFORM_SCHEDULE_DEFAULT) == expected


# ---------------------------------------------------------------- Jolokia (per instance)
def test_jolokia_value_of_a_read():
    body = {"request": c.jolokia_read_state("ingest-events"), "value": "Started", "status": 200}
    assert c.jolokia_value(body) == "Started"


def test_jolokia_error_in_body_with_http_200_fails():
    err = {
        "request": c.jolokia_read_state("nope"),
        "status": 404,
        "error_type": "javax.management.InstanceNotFoundException",
        "error": "javax.management.InstanceNotFoundException : org.apache.camel:...",
    }
    with pytest.raises(c.JolokiaError, match=r"status=404.*InstanceNotFoundException"):
        c.jolokia_value(err)


# ---------------------------------------------------------------- routes of the fleet
def route_request(desired="suspended", route_id="ingest-events"):
    return {
        "request": {
            "routeId": route_id,
            "desiredState": desired,
            "version": 3,
            "requestedAt": "2026-11-23T10:00:00Z",
            "requestedBy": "airflow",
        },
        "note": "every live instance applies it within a heartbeat interval",
    }


def test_route_request_accepted():
    assert c.check_route_request(response(202, route_request())) is True


NO_SUCH_ROUTE = {"title": "Not Found", "detail": "no route with id 'x' on any instance", "status": 404}


@pytest.mark.parametrize("route_id", sorted(c.SOURCE_ROUTE_IDS))
def test_route_request_for_an_optional_route_no_instance_has_is_nothing_to_do(route_id):
    url = f"http://runtime{c.route_request_path(route_id, 'suspend')}"
    assert c.check_route_request(response(404, NO_SUCH_ROUTE, url=url)) is True


@pytest.mark.parametrize("route_id", [c.INGEST_ROUTE_ID, c.REDELIVERY_ROUTE_ID])
def test_route_request_for_a_required_route_no_instance_has_fails(route_id):
    url = f"http://runtime{c.route_request_path(route_id, 'resume')}"
    with pytest.raises(AirflowException, match="HTTP 404"):
        c.check_route_request(response(404, NO_SUCH_ROUTE, url=url))


def test_optional_routes_tolerate_only_a_404():
    url = f"http://runtime{c.route_request_path('ingest-products', 'suspend')}"
    with pytest.raises(AirflowException, match="HTTP 500"):
        c.check_route_request(response(500, {"status": 500}, url=url))


def test_route_id_of_request():
    assert c.route_id_of_request("http://h:8080/api/routes/ingest-products/suspend?requestedBy=airflow") == (
        "ingest-products"
    )
    assert c.route_id_of_request("http://h:8080/api/routes") is None
    assert c.route_id_of_request("http://h:8080/api/routes/x/stop") is None


@pytest.mark.parametrize(
    ("status", "body"),
    [(404, {"error": "no route with id 'x' on any instance", "status": 404}), (200, {"x": 1}), (202, {"request": {}})],
)
def test_route_request_rejected(status, body):
    with pytest.raises(AirflowException, match=f"HTTP {status}"):
        c.check_route_request(response(status, body))


def report(state="Suspended", quiescent=True, applied=3):
    return {
        "state": state,
        "inflight": 0,
        "consumerPaused": state != "Started",
        "quiescent": quiescent,
        "appliedVersion": applied,
        "reportedAt": "2026-11-23T10:00:02Z",
    }


def fleet(routes, instances=("a", "b"), dead=()):
    members = [{"id": i, "live": True} for i in instances] + [{"id": i, "live": False} for i in dead]
    return {"instances": members, "routes": routes}


def fleet_route(route_id, desired, state, applied, quiescent, reports):
    return {
        "id": route_id,
        "desired": desired,
        "version": 3,
        "state": state,
        "applied": applied,
        "quiescent": quiescent,
        "instances": reports,
    }


def test_fleet_quiescent_only_once_every_live_instance_is():
    both = {"a": report(), "b": report()}
    lagging = {"a": report(), "b": report(state="Started", quiescent=False, applied=2)}
    done = fleet([fleet_route(r, "suspended", "Suspended", True, True, both) for r in c.INGESTION_ROUTE_IDS])
    assert c.fleet_route_verdict(done, c.INGESTION_ROUTE_IDS, c.REQUEST_SUSPENDED) is True
    not_yet = fleet(
        [
            fleet_route("ingest-events", "suspended", "Mixed", False, False, lagging),
            fleet_route("dead-letter-redelivery", "suspended", "Suspended", True, True, both),
        ]
    )
    assert c.fleet_route_verdict(not_yet, c.INGESTION_ROUTE_IDS, c.REQUEST_SUSPENDED) is False
    # suspended but the Kafka consumer has not paused yet
    paused_not_yet = {"a": report(), "b": report(quiescent=False)}
    polling = fleet(
        [fleet_route(r, "suspended", "Suspended", True, False, paused_not_yet) for r in c.INGESTION_ROUTE_IDS]
    )
    assert c.fleet_route_verdict(polling, c.INGESTION_ROUTE_IDS, c.REQUEST_SUSPENDED) is False


def test_fleet_verdict_needs_the_routes_and_a_live_instance():
    both = {"a": report(), "b": report()}
    one_route = fleet([fleet_route("ingest-events", "suspended", "Suspended", True, True, both)])
    assert c.fleet_route_verdict(one_route, c.INGESTION_ROUTE_IDS, c.REQUEST_SUSPENDED) is False
    nobody = fleet(
        [fleet_route(r, "suspended", "Suspended", True, True, {}) for r in c.INGESTION_ROUTE_IDS], instances=()
    )
    assert c.fleet_route_verdict(nobody, c.INGESTION_ROUTE_IDS, c.REQUEST_SUSPENDED) is False
    with pytest.raises(AirflowException, match="unexpected /api/routes response"):
        c.fleet_route_verdict({"status": "UP"}, c.INGESTION_ROUTE_IDS, c.REQUEST_SUSPENDED)


def test_fleet_started_once_every_live_instance_reports_started():
    started = {"a": report("Started", False, 4), "b": report("Started", False, 4)}
    done = fleet([fleet_route(r, "started", "Started", True, False, started) for r in c.INGESTION_ROUTE_IDS])
    check = c.fleet_routes_are(c.REQUEST_STARTED)
    assert check.__name__ == "fleet_routes_started"
    assert check(response(200, done)) is True
    # still suspended on one instance
    mixed = {"a": report("Started", False, 4), "b": report("Suspended", True, 3)}
    not_yet = fleet([fleet_route(r, "started", "Mixed", False, False, mixed) for r in c.INGESTION_ROUTE_IDS])
    assert check(response(200, not_yet)) is False
    # the request is still "suspended" (the resume did not land)
    wrong = fleet([fleet_route(r, "suspended", "Started", True, False, started) for r in c.INGESTION_ROUTE_IDS])
    assert check(response(200, wrong)) is False


CORE = (c.INGEST_ROUTE_ID, c.REDELIVERY_ROUTE_ID)


def core_suspended():
    both = {"a": report(), "b": report()}
    return [fleet_route(r, "suspended", "Suspended", True, True, both) for r in CORE]


def test_an_optional_route_switched_off_on_an_instance_counts_where_it_runs():
    # b has the products API poll switched off (reported Disabled, never suspended): a's suspension is enough
    reports = {"a": report(), "b": report("Disabled", True, 3)}
    view = fleet([*core_suspended(), fleet_route("products-api-poll", "suspended", "Mixed", True, True, reports)])
    assert c.fleet_route_verdict(view, (*CORE, "products-api-poll"), c.REQUEST_SUSPENDED) is True
    # ... but while a's consumer still runs, the window waits
    running = {"a": report("Started", False, 2), "b": report("Disabled", True, 3)}
    view = fleet([*core_suspended(), fleet_route("products-api-poll", "suspended", "Mixed", False, False, running)])
    assert c.fleet_route_verdict(view, (*CORE, "products-api-poll"), c.REQUEST_SUSPENDED) is False
    # after the resume: started where it runs, still Disabled where it is off
    started = {"a": report("Started", False, 4), "b": report("Disabled", True, 4)}
    core = [fleet_route(r, "started", "Started", True, False, {"a": started["a"], "b": started["a"]}) for r in CORE]
    view = fleet([*core, fleet_route("products-api-poll", "started", "Mixed", True, False, started)])
    assert c.fleet_route_verdict(view, (*CORE, "products-api-poll"), c.REQUEST_STARTED) is True


def test_an_optional_route_no_instance_has_is_done_once_every_instance_reported():
    routes = (*CORE, "ingest-inventory")
    # requested (so listed), but no live instance has it
    view = fleet([*core_suspended(), fleet_route("ingest-inventory", "suspended", "Unknown", False, False, {})])
    assert c.fleet_route_verdict(view, routes, c.REQUEST_SUSPENDED) is True
    # not even listed
    assert c.fleet_route_verdict(fleet(core_suspended()), routes, c.REQUEST_SUSPENDED) is True
    # switched off everywhere
    off = {"a": report("Disabled", True, 3), "b": report("Disabled", True, 3)}
    view = fleet([*core_suspended(), fleet_route("ingest-inventory", "suspended", "Disabled", True, True, off)])
    assert c.fleet_route_verdict(view, routes, c.REQUEST_SUSPENDED) is True
    # a live instance that has reported nothing yet may have it: wait
    view = fleet(core_suspended(), instances=("a", "b", "c"))
    assert c.fleet_route_verdict(view, routes, c.REQUEST_SUSPENDED) is False


def test_a_required_route_switched_off_is_not_done():
    off = {"a": report("Disabled", True, 3), "b": report("Disabled", True, 3)}
    view = fleet([fleet_route(r, "started", "Disabled", True, True, off) for r in CORE])
    assert c.fleet_route_verdict(view, CORE, c.REQUEST_STARTED) is False
    # and a required route nobody reports keeps waiting
    assert c.fleet_route_verdict(fleet(core_suspended()[:1]), CORE, c.REQUEST_SUSPENDED) is False


def test_a_present_optional_route_that_did_not_resume_is_not_done():
    still = {"a": report("Suspended", True, 4), "b": report("Started", False, 4)}
    started = {"a": report("Started", False, 4), "b": report("Started", False, 4)}
    core = [fleet_route(r, "started", "Started", True, False, started) for r in CORE]
    view = fleet([*core, fleet_route("ingest-campaigns", "started", "Mixed", True, False, still)])
    check = c.fleet_routes_are(c.REQUEST_STARTED, (*CORE, "ingest-campaigns"))
    assert check(response(200, view)) is False


# ---------------------------------------------------------------- jobs
def test_trigger_accepted_202():
    doc = job()
    assert c.check_job_trigger(response(202, doc)) is True
    assert c.filter_job_trigger(response(202, doc)) == doc


def test_trigger_409_waits_for_running_job(caplog):
    running = job(job_type="maintenance", trigger="quartz")
    body = {"error": "a maintenance job is already running", "running": running}
    assert c.check_job_trigger(response(409, body)) is True
    assert c.filter_job_trigger(response(409, body)) == running
    assert "already running" in caplog.text


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (409, {"error": "already running"}),  # 409 without the running job
        (404, {"error": "unknown job type"}),
        (500, {"error": "boom"}),
        (401, {"error": "unauthorized"}),
        (202, {"status": "running"}),  # no id
    ],
)
def test_trigger_rejected(status, body):
    with pytest.raises(AirflowException, match=f"HTTP {status}"):
        c.check_job_trigger(response(status, body))


def test_job_running_is_not_done():
    result = c.check_job_finished(response(200, job("running")))
    assert isinstance(result, PokeReturnValue)
    assert result.is_done is False


def test_job_succeeded_is_done_with_job_in_xcom():
    doc = job("succeeded", result={"files": ["10_transactions_clean.sql"], "rows": 1200})
    result = c.check_job_finished(response(200, doc))
    assert result.is_done is True
    assert result.xcom_value == doc


def test_job_failed_fails_without_retry():
    doc = job("failed", error='ERROR: relation "clean.transactions" does not exist')
    with pytest.raises(c.JobFailedError, match=r"transform.*failed.*clean.transactions") as exc:
        c.check_job_finished(response(200, doc))
    assert isinstance(exc.value, AirflowFailException)


@pytest.mark.parametrize("status", ["abandoned", "skipped"])
def test_job_abandoned_or_skipped_fails_without_retry(status):
    doc = job(status, instance="vm#4711-a1b2c3", error="instance vm#4711-a1b2c3 missed its heartbeats")
    with pytest.raises(c.JobFailedError, match=rf"transform.*{status}.*vm#4711-a1b2c3"):
        c.check_job_finished(response(200, doc))


@pytest.mark.parametrize("doc", [{"id": "x"}, {"id": "x", "status": "exploded"}, ["not", "a", "job"]])
def test_job_unexpected_documents(doc):
    with pytest.raises(AirflowException):
        c.job_outcome(doc)


# ---------------------------------------------------------------- dead letters
SUMMARY = {
    "byStatus": {"waiting": 12, "recovered": 340, "parked": 7, "discarded": 1},
    "byRule": {"rule.amount_positive": 9, "rule.payment_status": 3, "schema.required": 8},
    "oldestWaitingAt": "2026-11-23T09:45:00Z",
}


def test_dead_letter_report():
    text = c.dead_letter_report(SUMMARY)
    assert "parked" in text
    assert " 7" in text
    assert "2026-11-23T09:45:00Z" in text
    # rules sorted by count, highest first
    assert text.index("rule.amount_positive") < text.index("schema.required") < text.index("rule.payment_status")


def test_dead_letter_report_empty_store():
    text = c.dead_letter_report({"byStatus": {}, "byRule": {}, "oldestWaitingAt": None})
    assert "oldest waiting: -" in text


def test_parked_within_threshold():
    assert c.check_parked_dead_letters(SUMMARY, 7) == 7
    assert c.check_parked_dead_letters(SUMMARY, 100) == 7


def test_parked_above_threshold_fails():
    with pytest.raises(c.DeadLetterThresholdExceeded, match=r"7 parked .* threshold of 6.*rule.amount_positive=9"):
        c.check_parked_dead_letters(SUMMARY, 6)


def test_parked_missing_status_counts_as_zero():
    assert c.check_parked_dead_letters({"byStatus": {"waiting": 1}}, 0) == 0


def test_dead_letter_summary_malformed():
    with pytest.raises(AirflowException):
        c.check_parked_dead_letters({"waiting": 3}, 0)


# ---------------------------------------------------------------- data quality
def quality(*checks):
    return {"generatedAt": "2026-11-23T10:00:00Z", "checks": list(checks)}


OK_CHECK = {"name": "completeness", "value": 0.99, "threshold": 0.95, "status": "ok", "detail": "99% complete"}
FRESH_BREACH = {
    "name": "freshness",
    "value": 5400,
    "threshold": 900,
    "status": "breach",
    "detail": "newest event is 90 minutes old",
}
DUP_BREACH = {"name": "duplicates", "value": 0.04, "threshold": 0.01, "status": "breach", "detail": ""}


def test_quality_all_ok():
    assert c.check_quality(quality(OK_CHECK, {**OK_CHECK, "name": "schema_drift"})) == ["completeness", "schema_drift"]


def test_quality_breach_lists_every_breached_check():
    with pytest.raises(c.DataQualityBreach) as exc:
        c.check_quality(quality(OK_CHECK, FRESH_BREACH, DUP_BREACH))
    msg = str(exc.value)
    assert msg.startswith("2 data-quality check(s) breached")
    assert "freshness (value=5400, threshold=900): newest event is 90 minutes old" in msg
    assert "duplicates (value=0.04, threshold=0.01)" in msg
    assert "completeness" not in msg
    assert isinstance(exc.value, AirflowFailException)


def test_quality_unknown_status_counts_as_breach():
    assert c.breached_checks(quality({**OK_CHECK, "status": "error"}))[0]["name"] == "completeness"


@pytest.mark.parametrize("report", [{}, {"checks": None}, ["x"]])
def test_quality_malformed(report):
    with pytest.raises(AirflowException):
        c.check_quality(report)


def test_quality_without_checks_fails():
    with pytest.raises(AirflowException, match="no checks"):
        c.check_quality(quality())


# ---------------------------------------------------------------- run outcome
def test_failed_tasks():
    states = {
        "suspend_routes_0": "success",
        "wait_for_maintenance": "failed",
        "verify_routes_started": "upstream_failed",
        "resume_routes": "success",
        "check_maintenance_outcome": "running",
        "x": None,
    }
    assert c.failed_tasks(states, ignore=["check_maintenance_outcome"]) == [
        "verify_routes_started",
        "wait_for_maintenance",
    ]
    assert c.failed_tasks({"a": "success", "b": "skipped"}) == []


# ------------------------------------------------------------------ data-quality verdict
def suite(name, *failures):
    return {
        "suite": name,
        "success": not failures,
        "failures": [
            {"id": fid, "observed": observed, "sample": sample, "description": "d"}
            for fid, observed, sample in failures
        ],
    }


ALL_SUITES = ("raw", "clean", "business_metrics", "warehouse")


def test_verdict_passes_when_suites_and_checks_pass():
    passed = c.check_quality_outcome([suite(s) for s in ALL_SUITES], ALL_SUITES, quality(OK_CHECK), failed=[])
    assert passed == [f"suite {s}" for s in ALL_SUITES] + ["check completeness"]


def test_verdict_names_failed_expectations_with_sample_rows():
    rows = [{"event_id": f"e{i}"} for i in range(5)]
    suites = [suite("raw", ("raw.events.event_id_unique", "2 of 10 rows unexpected", rows)), suite("clean")]
    with pytest.raises(c.DataQualityFailure) as exc:
        c.check_quality_outcome(
            [*suites, suite("business_metrics"), suite("warehouse")], ALL_SUITES, quality(OK_CHECK), []
        )
    message = str(exc.value)
    assert message.startswith("1 data-quality problem(s): suite raw: raw.events.event_id_unique (observed 2 of 10")
    # three sample rows, not all five
    assert '{"event_id": "e2"}' in message
    assert '"e3"' not in message


def test_verdict_counts_breaches_missing_suites_and_failed_steps():
    with pytest.raises(c.DataQualityFailure) as exc:
        c.check_quality_outcome(
            [suite("raw"), suite("clean")],
            ALL_SUITES,
            quality(OK_CHECK, FRESH_BREACH),
            failed=["run_suite_0", "wait_for_anomalies"],
        )
    message = str(exc.value)
    assert message.startswith("3 data-quality problem(s)")
    assert "no result from suite(s) business_metrics, warehouse" in message
    assert "runtime check freshness" in message
    # a failed suite task is already named by its suite; other failed steps are listed
    assert "failed steps: wait_for_anomalies" in message
    assert "run_suite_0" not in message


def test_verdict_without_a_runtime_report_fails():
    with pytest.raises(c.DataQualityFailure, match="no runtime quality report"):
        c.check_quality_outcome([suite(s) for s in ALL_SUITES], ALL_SUITES, None, [])


def test_anomalies_is_a_job_type():
    assert c.job_trigger_path("anomalies") == "/api/jobs/anomalies"
