"""Test setup: make the DAGs folder importable and point Airflow at the repo-local home.

`bash scripts/airflow.sh test` already exports these; the defaults below let
`.local/airflow-venv/bin/pytest airflow/tests` work too.
"""

from __future__ import annotations

import os
import sys

import pytest

from helpers import DAG_IDS, DAGS_FOLDER, REPO, load_dagbag

os.environ.setdefault("AIRFLOW_HOME", str(REPO / ".local" / "airflow"))
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(DAGS_FOLDER))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
if str(DAGS_FOLDER) not in sys.path:
    sys.path.insert(0, str(DAGS_FOLDER))


@pytest.fixture(scope="session")
def dagbag():
    return load_dagbag()


@pytest.fixture(scope="session")
def clean_warehouse():
    """Name of a database filled by the real pipeline (see warehouse.py); copy it before changing it."""
    import warehouse

    name = f"ecom_gxtest_{os.getpid()}"
    warehouse.drop_database(name)
    try:
        warehouse.build_clean_warehouse(name)
        yield name
    finally:
        warehouse.drop_database(name)


@pytest.fixture
def quality_dir(tmp_path, monkeypatch):
    """A quality directory of the test's own (GX project, Data Docs, summaries)."""
    monkeypatch.setenv("ECOM_QUALITY_DIR", str(tmp_path / "quality"))
    return tmp_path / "quality"


@pytest.fixture(scope="session")
def dags(dagbag):
    return {dag_id: dagbag.dags[dag_id] for dag_id in DAG_IDS if dag_id in dagbag.dags}
