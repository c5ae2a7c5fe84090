"""Structure of each DAG: task ids, dependencies, trigger rules, schedules, sensors, params."""

from __future__ import annotations

from datetime import timedelta

import pytest
from airflow.sdk import TriggerRule

from ecom_pipeline import common as c
from helpers import DAG_IDS


def upstream(dag):
    return {t.task_id: sorted(t.upstream_task_ids) for t in dag.tasks}


def partial_or_attr(task, name):
    """Attribute of a task, also for mapped tasks (where sensor args live in partial_kwargs)."""
    if "MappedOperator" in {c.__name__ for c in type(task).__mro__}:
        return task.partial_kwargs.get(name)
    return getattr(task, name)


def seconds(value):
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def expanded(task):
    return list(task.expand_input.value["endpoint"])


#: every DAG's tasks, each with its direct upstream tasks
UPSTREAM = {
    "ecom_maintenance_window": {
        "suspend_routes": [],
        "wait_fleet_quiescent": ["suspend_routes"],
        "trigger_maintenance": ["wait_fleet_quiescent"],
        "wait_for_maintenance": ["trigger_maintenance"],
        "resume_routes": ["wait_for_maintenance"],
        "verify_routes_started": ["resume_routes"],
        "check_maintenance_outcome": ["verify_routes_started"],
    },
    "ecom_transform_and_index": {
        "trigger_transform": [],
        "wait_for_transform": ["trigger_transform"],
        "trigger_index": ["wait_for_transform"],
        "wait_for_index": ["trigger_index"],
        "report": ["wait_for_index", "wait_for_transform"],
    },
    "ecom_dead_letter_redrive": {
        "trigger_redeliver": [],
        "wait_for_redeliver": ["trigger_redeliver"],
        "fetch_dead_letter_summary": ["wait_for_redeliver"],
        "report_dead_letters": ["fetch_dead_letter_summary"],
    },
    "ecom_data_quality": {
        "run_suite": [],
        "trigger_anomalies": ["run_suite"],
        "wait_for_anomalies": ["trigger_anomalies"],
        "fetch_quality_report": ["wait_for_anomalies"],
        "update_catalog": ["fetch_quality_report"],
        "quality_report": ["update_catalog"],
        "check_quality": ["quality_report"],
    },
}


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_tasks_and_order(dags, dag_id):
    assert upstream(dags[dag_id]) == UPSTREAM[dag_id]


@pytest.fixture
def dag(request, dags):
    """The DAG named by the test class's ``DAG_ID``."""
    return dags[request.cls.DAG_ID]


# ------------------------------------------------------------------ ecom_maintenance_window
class TestMaintenanceWindow:
    DAG_ID = "ecom_maintenance_window"

    def test_manual_only(self, dag):
        assert dag.schedule is None

    def test_resume_runs_even_when_something_failed(self, dag):
        assert dag.get_task("resume_routes").trigger_rule == TriggerRule.ALL_DONE

    def test_outcome_check_fails_run_after_resume(self, dag):
        outcome = dag.get_task("check_maintenance_outcome")
        assert outcome.trigger_rule == TriggerRule.ALL_DONE
        assert outcome.retries == 0
        # it is the only leaf: the run state is decided by it
        assert [t.task_id for t in dag.leaves] == ["check_maintenance_outcome"]
        for task_id in (
            "suspend_routes",
            "wait_fleet_quiescent",
            "trigger_maintenance",
            "wait_for_maintenance",
            "verify_routes_started",
        ):
            assert dag.get_task(task_id).trigger_rule == TriggerRule.ALL_SUCCESS, task_id

    def test_no_teardown_semantics_used(self, dag):
        # resume must run even if *suspend* failed half-way, which ALL_DONE_SETUP_SUCCESS would not do
        assert not any(t.is_setup or t.is_teardown for t in dag.tasks)

    @pytest.mark.parametrize(("task_id", "action"), [("suspend_routes", "suspend"), ("resume_routes", "resume")])
    def test_route_requests_to_the_fleet_per_route(self, dag, task_id, action):
        task = dag.get_task(task_id)
        assert task.partial_kwargs["http_conn_id"] == c.API_CONN_ID
        assert task.partial_kwargs["method"] == "POST"
        assert task.partial_kwargs["response_check"] is c.check_route_request
        # a 404 reaches the check, which accepts it for the optional source routes only
        assert task.partial_kwargs["extra_options"]["check_response"] is False
        assert expanded(task) == [
            f"/api/routes/ingest-events/{action}?requestedBy=airflow",
            f"/api/routes/dead-letter-redelivery/{action}?requestedBy=airflow",
            f"/api/routes/ingest-products/{action}?requestedBy=airflow",
            f"/api/routes/ingest-inventory/{action}?requestedBy=airflow",
            f"/api/routes/ingest-campaigns/{action}?requestedBy=airflow",
            f"/api/routes/products-api-poll/{action}?requestedBy=airflow",
        ]

    @pytest.mark.parametrize(
        ("task_id", "desired"), [("wait_fleet_quiescent", "suspended"), ("verify_routes_started", "started")]
    )
    def test_sensors_wait_for_every_live_instance(self, dag, task_id, desired):
        task = dag.get_task(task_id)
        assert (task.http_conn_id, task.method, task.endpoint) == (c.API_CONN_ID, "GET", "/api/routes")
        assert task.mode == "poke"
        assert seconds(task.poke_interval) == 5
        assert seconds(task.timeout) == 300
        assert task.response_check.__name__ == f"fleet_routes_{desired}"

    def test_maintenance_job(self, dag):
        trigger = dag.get_task("trigger_maintenance")
        assert (trigger.http_conn_id, trigger.method, trigger.endpoint) == (
            c.API_CONN_ID,
            "POST",
            "/api/jobs/maintenance",
        )
        assert trigger.extra_options["check_response"] is False  # 409 is handled by the check
        wait = dag.get_task("wait_for_maintenance")
        assert wait.endpoint == c.job_status_path_template("trigger_maintenance")
        assert wait.mode == "reschedule"
        assert wait.poke_interval == 5
        assert wait.timeout == 3600
        assert wait.response_check is c.check_job_finished


# ------------------------------------------------------------------ ecom_transform_and_index
class TestTransformAndIndex:
    DAG_ID = "ecom_transform_and_index"

    def test_twice_daily_by_default(self, dag, monkeypatch):
        assert dag.schedule == "0 6,18 * * *"
        assert type(dag.timetable).__name__ == "CronTriggerTimetable"
        assert "ECOM_TRANSFORM_SCHEDULE" in dag.doc_md
        assert "hourly" in dag.doc_md

    @pytest.mark.parametrize("job_type", ["transform", "index"])
    def test_jobs(self, dag, job_type):
        trigger = dag.get_task(f"trigger_{job_type}")
        assert trigger.endpoint == f"/api/jobs/{job_type}"
        assert trigger.method == "POST"
        assert trigger.response_filter is c.filter_job_trigger
        wait = dag.get_task(f"wait_for_{job_type}")
        assert wait.endpoint == c.job_status_path_template(f"trigger_{job_type}")
        assert wait.mode == "reschedule"
        assert wait.timeout == 3600
        assert all(t.trigger_rule == TriggerRule.ALL_SUCCESS for t in dag.tasks)


# ------------------------------------------------------------------ ecom_dead_letter_redrive
class TestDeadLetterRedrive:
    DAG_ID = "ecom_dead_letter_redrive"

    def test_schedule_and_param(self, dag):
        assert dag.schedule == "0 7 * * *"
        param = dag.params.get_param("max_parked")
        assert param.value == 100
        assert param.schema == {"type": "integer", "minimum": 0}
        assert param.description

    def test_endpoints(self, dag):
        assert dag.get_task("trigger_redeliver").endpoint == "/api/jobs/redeliver"
        fetch = dag.get_task("fetch_dead_letter_summary")
        assert (fetch.method, fetch.endpoint) == ("GET", "/api/dead-letters/summary")
        assert dag.get_task("report_dead_letters").retries == 0


# ------------------------------------------------------------------ ecom_data_quality
class TestDataQuality:
    DAG_ID = "ecom_data_quality"

    def test_schedule_and_endpoint(self, dag):
        assert dag.schedule == "15 * * * *"
        fetch = dag.get_task("fetch_quality_report")
        assert (fetch.http_conn_id, fetch.method, fetch.endpoint) == (c.API_CONN_ID, "GET", "/api/quality")
        assert fetch.retries == 2
        assert dag.get_task("check_quality").retries == 0

    def test_one_mapped_task_per_suite(self, dag):
        from ecom_pipeline.quality import SUITE_NAMES

        suites = dag.get_task("run_suite")
        # a TaskFlow task mapped with expand(): Airflow 3.3's DecoratedMappedOperator keeps the mapped op_kwargs apart
        assert "MappedOperator" in {c.__name__ for c in type(suites).__mro__}
        expanded = getattr(suites, "op_kwargs_expand_input", None) or suites.expand_input
        assert expanded.value.get("suite", expanded.value.get("op_kwargs", {}).get("suite")) == list(SUITE_NAMES)
        assert suites.partial_kwargs["map_index_template"] == "{{ suite_name }}"
        assert list(SUITE_NAMES) == ["raw", "clean", "business_metrics", "warehouse"]

    def test_anomaly_job_and_everything_after_the_suites_runs_whatever_they_found(self, dag):
        trigger = dag.get_task("trigger_anomalies")
        assert (trigger.method, trigger.endpoint) == ("POST", "/api/jobs/anomalies")
        for task_id in (
            "trigger_anomalies",
            "fetch_quality_report",
            "update_catalog",
            "quality_report",
            "check_quality",
        ):
            assert dag.get_task(task_id).trigger_rule == TriggerRule.ALL_DONE, task_id
        assert [t.task_id for t in dag.leaves] == ["check_quality"]

    def test_the_verdict_notifies(self, dag):
        from ecom_pipeline.notify import ALERTS_CONN_ID, EcomNotifier

        callbacks = dag.get_task("check_quality").on_failure_callback
        callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
        assert [type(cb) for cb in callbacks] == [EcomNotifier]
        assert callbacks[0].slack_webhook_conn_id == ALERTS_CONN_ID
        assert "{{ exception }}" in callbacks[0].text

    def test_every_task_declares_its_lineage(self, dag):
        def uris(assets):
            return {a.uri for a in assets}

        from ecom_pipeline import lineage

        host, port, database = lineage.warehouse_address()
        base = f"postgres://{host}:{port}/{database}"
        suites = dag.get_task("run_suite")
        inlets = uris(suites.partial_kwargs["inlets"])
        assert {f"{base}/raw/events", f"{base}/marts/hourly_metrics", f"{base}/marts/customer_tier_history"} <= inlets
        assert any(u.endswith("data-docs/index.html") for u in uris(suites.partial_kwargs["outlets"]))
        for task_id in ("update_catalog", "quality_report", "fetch_quality_report"):
            assert dag.get_task(task_id).inlets, task_id
        assert any(u.endswith("catalog.html") for u in uris(dag.get_task("update_catalog").outlets))
