"""Lineage of the DAGs: what each task reads and writes, as Airflow assets that the OpenLineage provider turns into
datasets (``postgres://host:port`` / ``db.schema.table``, the naming the postgres provider defines).

The warehouse's address comes from the connection ``ecom_pipeline_db`` as given in the environment
(``AIRFLOW_CONN_ECOM_PIPELINE_DB``), read once when a DAG file is parsed: only host, port and database, never the
credentials. Without it, ``localhost:5432/ecom`` names the warehouse.
"""

from __future__ import annotations

import json
import os
import urllib.parse

from airflow.providers.postgres.assets.postgres import create_asset
from airflow.sdk import Asset

from ecom_pipeline.quality import quality_dir

DB_CONN_ID = "ecom_pipeline_db"
DB_CONN_ENV = "AIRFLOW_CONN_ECOM_PIPELINE_DB"


def warehouse_address(value: str | None = None) -> tuple[str, int, str]:
    """(host, port, database) of the warehouse connection (URI or JSON form of an Airflow connection)."""
    value = (os.environ.get(DB_CONN_ENV, "") if value is None else value).strip()
    if value.startswith("{"):
        conn = json.loads(value)
        return conn.get("host") or "localhost", int(conn.get("port") or 5432), conn.get("schema") or "ecom"
    if value:
        parts = urllib.parse.urlsplit(value)
        return parts.hostname or "localhost", parts.port or 5432, parts.path.lstrip("/") or "ecom"
    return "localhost", 5432, "ecom"


def table(qualified: str) -> Asset:
    """The asset of one warehouse table, e.g. ``table("marts.hourly_metrics")``."""
    schema, name = qualified.split(".", 1)
    host, port, database = warehouse_address()
    return create_asset(host=host, port=port, database=database, schema=schema, table=name)


def tables(*qualified: str) -> list[Asset]:
    return [table(name) for name in qualified]


def quality_file(relative: str) -> Asset:
    """A file the quality DAG writes under the quality directory (Data Docs, catalog, summary)."""
    return Asset(uri=(quality_dir() / relative).as_uri())


def elasticsearch_index(name: str = "hourly_metrics") -> Asset:
    """The Elasticsearch index (alias) the index job fills; ES_URL as the runtime reads it."""
    base = os.environ.get("ES_URL", "http://localhost:9200").rstrip("/")
    # named by its URI: a fixed name would make two ES_URL values one name with two URIs, which Airflow refuses by
    # marking the asset inactive (and failing every task that lists it)
    return Asset(uri=f"{base}/{name}")
