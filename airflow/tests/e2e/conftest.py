"""End-to-end scaffolding: real runtime (`java -jar target/ecom-pipeline.jar`) + `airflow dags test`.

Skipped unless ECOM_E2E=1. With ECOM_E2E=1 (set by CI after it started the runtime) an unreachable
or unauthorised runtime is a test FAILURE, never a skip.

Connections come from AIRFLOW_CONN_ECOM_PIPELINE_API / AIRFLOW_CONN_ECOM_PIPELINE_MANAGEMENT, as
exported by `bash scripts/airflow.sh test`. ECOM_E2E_READY_TIMEOUT (seconds, default 120) bounds the
wait for the runtime to become ready.
"""

from __future__ import annotations

import os
import time
import urllib.parse

import pytest
import requests

E2E = os.environ.get("ECOM_E2E") == "1"


def pytest_collection_modifyitems(config, items):
    if E2E:
        return
    skip = pytest.mark.skip(reason="end-to-end: set ECOM_E2E=1 with the runtime running")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


def conn(env_name: str) -> tuple[str, tuple[str, str] | None]:
    """(base URL, basic-auth tuple) from an Airflow connection URI in the environment."""
    uri = os.environ.get(env_name)
    if not uri:
        pytest.fail(f"ECOM_E2E=1 but {env_name} is not set (run via `bash scripts/airflow.sh test`)")
    parts = urllib.parse.urlsplit(uri)
    auth = None
    if parts.username:
        auth = (urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
    return f"{parts.scheme}://{parts.hostname}:{parts.port}", auth


@pytest.fixture(scope="session")
def management():
    return conn("AIRFLOW_CONN_ECOM_PIPELINE_MANAGEMENT")


@pytest.fixture(scope="session")
def api():
    return conn("AIRFLOW_CONN_ECOM_PIPELINE_API")


@pytest.fixture(scope="session")
def runtime_ready(management, api):
    """Wait (bounded) until the runtime is ready and both servers accept our credentials; else FAIL."""
    from ecom_pipeline.common import JOBS_PATH, READINESS_PATH

    deadline = time.monotonic() + float(os.environ.get("ECOM_E2E_READY_TIMEOUT", "120"))
    last = "no attempt"
    while time.monotonic() < deadline:
        try:
            ready = requests.get(management[0] + READINESS_PATH, auth=management[1], timeout=5)
            # an unknown job id must be a 404 (authenticated), not 401/403
            probe = requests.get(f"{api[0]}{JOBS_PATH}/e2e-readiness-probe", auth=api[1], timeout=5)
            if ready.status_code in (401, 403) or probe.status_code in (401, 403):
                pytest.fail(f"runtime rejects the credentials: ready={ready.status_code} api={probe.status_code}")
            if ready.status_code == 200 and probe.status_code == 404:
                return
            last = f"ready={ready.status_code} api={probe.status_code}"
        except requests.RequestException as exc:
            last = repr(exc)
        time.sleep(2)
    pytest.fail(f"ECOM_E2E=1 but the runtime is not reachable/ready: {last}")
