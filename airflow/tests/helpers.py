"""What several test modules share: where the DAGs are, which DAGs there must be, a parsed DagBag and
canned HTTP responses of the runtime. Importing this module does not import Airflow (conftest sets
the environment up before Airflow is first imported)."""

from __future__ import annotations

import json
from http import HTTPStatus
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
DAGS_FOLDER = REPO / "airflow" / "dags"

DAG_IDS = (
    "ecom_maintenance_window",
    "ecom_transform_and_index",
    "ecom_dead_letter_redrive",
    "ecom_data_quality",
)


def load_dagbag():
    """A freshly parsed DagBag of the DAGs folder."""
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_FOLDER))


def http_response(status: int, body, url: str = "http://127.0.0.1:8080/x") -> requests.Response:
    """A ``requests.Response`` as the runtime would send it: ``body`` as JSON, or as is when text/bytes."""
    resp = requests.Response()
    resp.status_code = status
    resp.reason = HTTPStatus(status).phrase
    if isinstance(body, str):
        body = body.encode()
    resp._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    resp.headers["Content-Type"] = "application/json"
    resp.url = url
    resp.encoding = "utf-8"
    return resp
