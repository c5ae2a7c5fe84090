"""Run the data-quality suites once, without Airflow (the demo does; so can an operator):

    python -m ecom_pipeline.quality [--suite NAME ...] [--db-url URL] [--dir DIR] [--api URL]

Runs the suites (all by default) against the warehouse, updates the Data Docs, writes the catalog page and the
daily summary into DIR (default ``$ECOM_QUALITY_DIR``), prints every failed expectation with sample rows and where
the Data Docs are. Exit code 0 when every suite passed, 1 when one failed, 2 on a usage or connection problem.

The database comes from ``--db-url``, else ``ECOM_QUALITY_DB_URL``, else the runtime's own settings ``PG_URL``
(``jdbc:postgresql://host:port/db``), ``PG_USER`` and ``PG_PASSWORD``. With ``--api`` (or ``ECOM_API_URL``) the
runtime's ``GET /api/quality`` (checks, anomalies) goes into the summary too; credentials from
``PIPELINE_API_USER``/``PIPELINE_API_PASSWORD``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.parse
from pathlib import Path

from ecom_pipeline.quality import SUITE_NAMES, data_docs_index, quality_dir


def database_url(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    if os.environ.get("ECOM_QUALITY_DB_URL"):
        return os.environ["ECOM_QUALITY_DB_URL"]
    jdbc = os.environ.get("PG_URL", "jdbc:postgresql://localhost:5432/ecom").removeprefix("jdbc:")
    parts = urllib.parse.urlsplit(jdbc)
    user = urllib.parse.quote(os.environ.get("PG_USER", "ecom"), safe="")
    password = urllib.parse.quote(os.environ.get("PG_PASSWORD", ""), safe="")
    auth = f"{user}:{password}@" if password else f"{user}@"
    return f"postgresql://{auth}{parts.hostname}:{parts.port or 5432}{parts.path}"


def fetch_report(api: str) -> dict:
    import requests

    auth = None
    if os.environ.get("PIPELINE_API_USER"):
        auth = (os.environ["PIPELINE_API_USER"], os.environ.get("PIPELINE_API_PASSWORD", ""))
    response = requests.get(api.rstrip("/") + "/api/quality", auth=auth, timeout=60)
    response.raise_for_status()
    return response.json()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ecom_pipeline.quality", description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", action="append", choices=SUITE_NAMES, help="a suite to run (repeat); default all")
    parser.add_argument("--db-url", help="postgresql://user:password@host:port/db of the warehouse")
    parser.add_argument("--dir", type=Path, help="quality directory (default $ECOM_QUALITY_DIR)")
    parser.add_argument(
        "--api", default=os.environ.get("ECOM_API_URL"), help="runtime base URL, e.g. http://localhost:8080"
    )
    args = parser.parse_args(argv)

    import psycopg2

    from ecom_pipeline.quality import catalog, gx, summary

    base = (args.dir or quality_dir()).resolve()
    url = database_url(args.db_url)
    try:
        connection = psycopg2.connect(gx.sqlalchemy_url(url).replace("postgresql+psycopg2://", "postgresql://"))
    except psycopg2.OperationalError as exc:
        print(f"cannot connect to the warehouse: {exc}".strip(), file=sys.stderr)
        return 2
    results = []
    for name in args.suite or SUITE_NAMES:
        result = gx.run_suite(name, url, base)
        print(gx.describe(result))
        results.append(result)
    report = None
    if args.api:
        try:
            report = fetch_report(args.api)
        except Exception as exc:  # the summary says the report was not available
            print(f"runtime report not read from {args.api}: {exc}", file=sys.stderr)
    try:
        pages = catalog.write(catalog.build(connection), base)
        daily = summary.build(
            results, report, summary.measure_sla(connection), str(data_docs_index(base)), pages["html"]
        )
    finally:
        connection.close()
    files = summary.write(daily, base)
    print(json.dumps({"data_docs": str(data_docs_index(base)), "catalog": pages["html"], "summary": files}, indent=2))
    return 0 if all(r["success"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
