"""Test setup: make the DAGs folder importable and point Airflow at the repo-local home.

`bash scripts/airflow.sh test` already exports these; the defaults below let
`.local/airflow-venv/bin/pytest airflow/tests` work too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DAGS_FOLDER = REPO / "airflow" / "dags"

os.environ.setdefault("AIRFLOW_HOME", str(REPO / ".local" / "airflow"))
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(DAGS_FOLDER))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
if str(DAGS_FOLDER) not in sys.path:
    sys.path.insert(0, str(DAGS_FOLDER))

DAG_IDS = (
    "ecom_maintenance_window",
    "ecom_transform_and_index",
    "ecom_dead_letter_redrive",
    "ecom_data_quality",
)


@pytest.fixture(scope="session")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_FOLDER))


@pytest.fixture(scope="session")
def dags(dagbag):
    return {dag_id: dagbag.dags[dag_id] for dag_id in DAG_IDS if dag_id in dagbag.dags}
