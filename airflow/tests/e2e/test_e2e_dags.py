"""`airflow dags test` of the real DAGs against the real runtime (ECOM_E2E=1 only)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import requests

from ecom_pipeline import common as c

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "airflow.sh"
LOG_DIR = REPO / ".local" / "airflow" / "e2e-logs"
DAG_TIMEOUT = int(os.environ.get("ECOM_E2E_DAG_TIMEOUT", "1200"))


def dags_test(dag_id: str, *args: str) -> tuple[int, str, str]:
    """Run `scripts/airflow.sh dags-test`; returns (exit code, run id, log path)."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"{dag_id}.log"
    with open(log_path, "w") as log:
        proc = subprocess.run(["bash", str(SCRIPT), "dags-test", dag_id, *args], cwd=REPO,
                              stdout=log, stderr=subprocess.STDOUT, timeout=DAG_TIMEOUT)
    text = log_path.read_text(errors="replace")
    match = re.findall(rf"DagRun Finished: dag_id={re.escape(dag_id)}, .*?run_id=([^,\s]+)", text)
    assert match, f"no finished DagRun in {log_path}:\n{text[-3000:]}"
    return proc.returncode, match[-1], str(log_path)


def dag_run_state(dag_id: str, run_id: str) -> str:
    out = subprocess.run(["bash", str(SCRIPT), "airflow", "dags", "state", dag_id, run_id], cwd=REPO,
                         capture_output=True, text=True, timeout=300, check=True).stdout
    return out.strip().splitlines()[-1].strip()


def route_state(management, route_id: str) -> str:
    resp = requests.post(management[0] + c.JOLOKIA_PATH, auth=management[1],
                         json=c.jolokia_read_state(route_id), timeout=10)
    resp.raise_for_status()
    return c.jolokia_value(resp.json())


def test_maintenance_window(runtime_ready, management):
    rc, run_id, log = dags_test("ecom_maintenance_window")
    assert dag_run_state("ecom_maintenance_window", run_id) == "success", log
    assert rc == 0, log
    for route_id in c.INGESTION_ROUTE_IDS:
        assert route_state(management, route_id) == c.ROUTE_STARTED


def test_transform_and_index(runtime_ready):
    rc, run_id, log = dags_test("ecom_transform_and_index")
    assert dag_run_state("ecom_transform_and_index", run_id) == "success", log
    assert rc == 0, log
