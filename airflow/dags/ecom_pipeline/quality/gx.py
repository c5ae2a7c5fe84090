"""Runs the suites of :mod:`ecom_pipeline.quality.suites` with Great Expectations Core and turns each run into a
summary a person (and the DAG's report) can read: pass/fail, every failed expectation with its observed value and a
few sample rows, and where the Data Docs are.

The GX project is a file context in ``<quality dir>/gx`` (suites, validation definitions, checkpoints and every
validation result; the suites are rewritten from the code on every run, so the code is the only source). Data Docs
go to ``<quality dir>/data-docs``. The database is reached through the ``ECOM_GX_DB_URL`` environment variable,
which GX resolves when it connects: the connection string with its password is never written into the project.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ecom_pipeline.quality import Thresholds, data_docs_index, quality_dir

log = logging.getLogger(__name__)

DATASOURCE = "ecom_warehouse"
DB_URL_ENV = "ECOM_GX_DB_URL"
DATA_DOCS_SITE = "ecom"
#: failed rows (or values) kept per expectation in a summary; Data Docs keep GX's own sample
SAMPLE_ROWS = 5
RESULT_FORMAT = {"result_format": "COMPLETE", "include_unexpected_rows": True, "partial_unexpected_count": 20}


def _quiet_gx() -> None:
    """No usage statistics (nothing may leave the machine) and no tqdm progress bars in task logs."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("TQDM_DISABLE", "1")


def sqlalchemy_url(url: str) -> str:
    """A PostgreSQL URL as SQLAlchemy's psycopg2 dialect wants it (``postgres://`` and ``jdbc:`` forms accepted)."""
    url = url.strip().removeprefix("jdbc:")
    # PostgresHook.get_uri() says postgresql+psycopg:// once psycopg 3 is installed (it is, next to Airflow 3.3)
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://", "postgresql+psycopg://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    raise ValueError("expected a postgresql:// URL for the warehouse database")


@contextlib.contextmanager
def _db_url_in_env(url: str) -> Iterator[None]:
    before = os.environ.get(DB_URL_ENV)
    os.environ[DB_URL_ENV] = sqlalchemy_url(url)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(DB_URL_ENV, None)
        else:
            os.environ[DB_URL_ENV] = before


def project(base: Path):
    """The file context in ``base/gx`` with progress bars off and the Data Docs site in ``base/data-docs``."""
    _quiet_gx()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    base.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(base))
    if context.variables.progress_bars != ProgressBarsConfig(globally=False, metric_calculations=False):
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        context.variables.save()
    sites = context.get_site_names()
    if DATA_DOCS_SITE not in sites:
        context.add_data_docs_site(
            DATA_DOCS_SITE,
            {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str((base / "data-docs").resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    # GX's own default site would be a second, stale copy under gx/uncommitted
    for site in sites:
        if site != DATA_DOCS_SITE:
            context.delete_data_docs_site(site)
    return context


def _existing_tables(engine, tables: list[str]) -> set[str]:
    import sqlalchemy as sa

    with engine.connect() as connection:
        found = connection.execute(
            sa.text(
                "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname || '.' || c.relname = ANY(:tables) AND c.relkind IN ('r', 'v', 'm', 'p')"
            ),
            {"tables": tables},
        )
        return {row[0] for row in found}


def run_suite(name: str, db_url: str, base: Path | None = None, thresholds: Thresholds | None = None) -> dict:
    """Validate suite ``name`` against the database at ``db_url``; update Data Docs; return the summary."""
    from ecom_pipeline.quality import suites

    base = base or quality_dir()
    suite = suites.build(name, thresholds)
    started = datetime.now(UTC)
    with _db_url_in_env(db_url):
        context = project(base)
        import great_expectations as gx
        from great_expectations.checkpoint import UpdateDataDocsAction

        datasource = context.data_sources.add_or_update_postgres(
            name=DATASOURCE, connection_string="${" + DB_URL_ENV + "}"
        )
        present = _existing_tables(datasource.get_engine(), [t.table for t in suite.tables])
        definitions, skipped = [], []
        for table in suite.tables:
            if table.table not in present:
                if table.optional:
                    skipped.append({"table": table.table, "reason": "table does not exist in this warehouse"})
                    continue
                raise RuntimeError(f"suite {name}: table {table.table} does not exist (database not migrated?)")
            definitions.append(_validation_definition(context, datasource, suite.name, table))
        checkpoint = context.checkpoints.add_or_update(
            gx.Checkpoint(
                name=f"ecom_{suite.name}",
                validation_definitions=definitions,
                actions=[UpdateDataDocsAction(name="update_data_docs", site_names=[DATA_DOCS_SITE])],
                result_format=RESULT_FORMAT,
            )
        )
        result = checkpoint.run()
    return summarize(suite, result, skipped, started, base)


def _validation_definition(context, datasource, suite_name: str, table):
    import great_expectations as gx

    asset_name = table.table
    with contextlib.suppress(LookupError):
        datasource.delete_asset(asset_name)
    asset = datasource.add_table_asset(name=asset_name, schema_name=table.schema, table_name=table.name)
    batch = asset.add_batch_definition_whole_table("whole_table")
    gx_suite = context.suites.add_or_update(
        gx.ExpectationSuite(
            name=f"{suite_name}:{table.table}",
            expectations=list(table.expectations),
            meta={"ecom_suite": suite_name, "table": table.table},
        )
    )
    return context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"{suite_name}:{table.table}", data=batch, suite=gx_suite)
    )


# ---------------------------------------------------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------------------------------------------------
def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _sample(result: dict, key_columns: tuple[str, ...]) -> list:
    """A few offending rows (or values) of one failed expectation."""
    details = result.get("details") or {}
    rows = details.get("unexpected_rows") or result.get("unexpected_rows")
    if rows:
        return _jsonable(list(rows)[:SAMPLE_ROWS])
    index = result.get("unexpected_index_list")
    if index:
        return _jsonable(list(index)[:SAMPLE_ROWS])
    values = result.get("partial_unexpected_list")
    if values:
        return _jsonable(list(values)[:SAMPLE_ROWS])
    return []


def _failure(validation_result, expectation_result, key_columns) -> dict:
    config = expectation_result.expectation_config
    result = expectation_result.result or {}
    observed = result.get("observed_value")
    if observed is None and "unexpected_count" in result:
        observed = f"{result['unexpected_count']} of {result.get('element_count')} rows unexpected"
    failure = {
        "id": (config.meta or {}).get("id", config.type),
        "expectation": config.type,
        "description": config.description,
        "table": validation_result.meta.get("active_batch_definition", {}).get("data_asset_name"),
        "observed": _jsonable(observed),
        "sample": _sample(result, key_columns),
    }
    if expectation_result.exception_info and expectation_result.exception_info.get("raised_exception"):
        failure["error"] = str(expectation_result.exception_info.get("exception_message"))[:500]
    return failure


def summarize(suite, checkpoint_result, skipped: list, started: datetime, base: Path) -> dict:
    keys = {t.table: t.key_columns for t in suite.tables}
    failures, evaluated = [], 0
    for validation_result in checkpoint_result.run_results.values():
        for expectation_result in validation_result.results:
            evaluated += 1
            if not expectation_result.success:
                table = validation_result.meta.get("active_batch_definition", {}).get("data_asset_name")
                failures.append(_failure(validation_result, expectation_result, keys.get(table, ())))
    summary = {
        "suite": suite.name,
        "title": suite.title,
        "success": bool(checkpoint_result.success),
        "evaluated": evaluated,
        "failed": len(failures),
        "failures": failures,
        "skipped": skipped,
        "tables": [t.table for t in suite.tables if t.table not in {s["table"] for s in skipped}],
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "data_docs": str(data_docs_index(base)),
    }
    return summary


def describe(summary: dict) -> str:
    """The summary as log lines: one per failed expectation, with its sample rows."""
    state = "passed" if summary["success"] else "FAILED"
    lines = [
        f"suite {summary['suite']} {state}: {summary['failed']} of {summary['evaluated']} expectations failed "
        f"(tables {', '.join(summary['tables'])}; Data Docs {summary['data_docs']})"
    ]
    for skipped in summary.get("skipped", []):
        lines.append(f"  skipped {skipped['table']}: {skipped['reason']}")
    for failure in summary["failures"]:
        lines.append(f"  FAILED {failure['id']}: {failure['description']} — observed {failure['observed']}")
        if failure.get("error"):
            lines.append(f"    error: {failure['error']}")
        for row in failure["sample"]:
            lines.append(f"    e.g. {row}")
    return "\n".join(lines)
