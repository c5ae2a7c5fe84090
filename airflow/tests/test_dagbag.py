"""The DAGs folder imports cleanly, offline, and holds exactly the four ecom-pipeline DAGs."""

from __future__ import annotations

import importlib.util
import socket
import time

import pytest

from helpers import DAG_IDS, DAGS_FOLDER, load_dagbag


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}


def test_all_dags_present(dagbag):
    assert sorted(dagbag.dag_ids) == sorted(DAG_IDS)


def test_helper_package_is_not_parsed_as_dags(dagbag):
    parsed = {p.rsplit("/", 1)[-1] for p in dagbag.file_last_changed}
    assert parsed == {f"{dag_id}.py" for dag_id in DAG_IDS}


def test_parsing_makes_no_network_calls(monkeypatch):
    """Top-level code must not talk to the runtime: parse with every socket connect refused."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network call during DAG parsing: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    t0 = time.monotonic()
    bag = load_dagbag()
    assert bag.import_errors == {}
    assert sorted(bag.dag_ids) == sorted(DAG_IDS)
    assert time.monotonic() - t0 < 10, "DAG parsing should be fast"


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_common_dag_settings(dags, dag_id):
    dag = dags[dag_id]
    assert dag.catchup is False
    assert "ecom-pipeline" in dag.tags
    assert len(dag.tags) >= 2
    assert dag.doc_md
    assert dag_id in dag.doc_md
    assert dag.max_active_runs == 1
    assert dag.dagrun_timeout is not None
    assert dag.owner == "ecom-pipeline"
    for task in dag.tasks:
        assert task.doc_md or task.doc or task.__doc__, f"{task.task_id} undocumented"


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_http_tasks_retry_with_delay(dags, dag_id):
    for task in dags[dag_id].tasks:
        if "Http" in getattr(task, "operator_name", type(task).__name__) or task.task_id.startswith(
            ("trigger_", "wait_", "fetch_", "suspend_", "resume_", "verify_")
        ):
            assert task.retries >= 1, task.task_id
            assert task.retry_delay.total_seconds() >= 10, task.task_id


def load_dag_file(path, module_name):
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (None, "0 6,18 * * *"),
        ("hourly", "0 * * * *"),
        ("@hourly", "@hourly"),
        ("0 */2 * * *", "0 */2 * * *"),
    ],
)
def test_transform_schedule_from_env(monkeypatch, env, expected):
    if env is None:
        monkeypatch.delenv("ECOM_TRANSFORM_SCHEDULE", raising=False)
    else:
        monkeypatch.setenv("ECOM_TRANSFORM_SCHEDULE", env)
    module = load_dag_file(DAGS_FOLDER / "ecom_transform_and_index.py", f"_transform_dag_{abs(hash(env))}")
    assert expected == module.SCHEDULE
    dag = module.ecom_transform_and_index()
    assert dag.schedule == expected
