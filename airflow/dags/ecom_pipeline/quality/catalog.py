"""The data catalog page (seed 001's "update data catalog"), generated from the database itself: every table and
view of the warehouse layers with its ``COMMENT ON`` text, its columns (type, nullability, comment), its row count
and its freshness (the latest value of its time column). Written as ``catalog.json``, ``catalog.md`` and
``catalog.html`` into the quality directory.

Works on any DB-API connection to PostgreSQL (psycopg2 from ``PostgresHook.get_conn()`` or from the CLI).
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

#: the layers of sql/README.md, in the order data flows
SCHEMAS = ("raw", "pipeline", "clean", "marts")
#: tables above this many rows (planner estimate) are not counted exactly: the estimate is shown, marked as such
EXACT_COUNT_LIMIT = 1_000_000
#: a table's freshness is the latest value of the first of these columns it has
FRESHNESS_COLUMNS = (
    "ingested_at", "finished_at", "last_failed_at", "evaluated_at", "last_seen_at", "processing_time",
    "snapshot_time", "updated_at", "reported_at", "as_of", "queued_at", "event_time", "event_hour", "window_start",
    "started_at", "start_hour", "valid_from", "last_order_at", "revenue_date", "event_date", "funnel_date",
    "spend_date", "rate_date", "day",
)  # fmt: skip

_RELATIONS = """
SELECT n.nspname, c.relname, c.relkind, obj_description(c.oid, 'pg_class'), c.reltuples::bigint
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'p', 'v', 'm')
ORDER BY array_position(%s::text[], n.nspname::text), c.relname
"""
_COLUMNS = """
SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, col_description(a.attrelid, a.attnum)
FROM pg_attribute a
WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
"""


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def build(connection, schemas: tuple[str, ...] = SCHEMAS) -> dict[str, Any]:
    """Read the catalog from the database (read-only; one short transaction, rolled back)."""
    tables = []
    with connection.cursor() as cur:
        cur.execute(_RELATIONS, (list(schemas), list(schemas)))
        relations = cur.fetchall()
        for schema, name, kind, comment, estimate in relations:
            qualified = f"{_ident(schema)}.{_ident(name)}"
            cur.execute(_COLUMNS, (qualified,))
            columns = [
                {"name": c, "type": t, "nullable": bool(nullable), "comment": text}
                for c, t, nullable, text in cur.fetchall()
            ]
            exact = kind in ("v", "m") or estimate is None or estimate < EXACT_COUNT_LIMIT
            if exact:
                cur.execute(f"SELECT count(*) FROM {qualified}")
                rows = cur.fetchone()[0]
            else:
                rows = int(estimate)
            names = {c["name"] for c in columns}
            freshness_column = next((c for c in FRESHNESS_COLUMNS if c in names), None)
            latest = None
            if freshness_column:
                cur.execute(f"SELECT max({_ident(freshness_column)}) FROM {qualified}")
                value = cur.fetchone()[0]
                latest = value.isoformat() if hasattr(value, "isoformat") else value
            tables.append(
                {
                    "schema": schema,
                    "name": name,
                    "kind": {"r": "table", "p": "table", "v": "view", "m": "materialized view"}[kind],
                    "comment": comment,
                    "rows": rows,
                    "rows_estimated": not exact,
                    "freshness_column": freshness_column,
                    "latest": latest,
                    "columns": columns,
                }
            )
    connection.rollback()
    return {"generated_at": datetime.now(UTC).isoformat(), "schemas": list(schemas), "tables": tables}


def to_markdown(catalog: dict[str, Any]) -> str:
    lines = [
        "# Data catalog",
        "",
        f"Generated from the database at {catalog['generated_at']} (`COMMENT ON` texts; metric definitions: "
        "docs/metrics.md).",
        "",
        "| table | kind | rows | latest | what it is |",
        "|---|---|---:|---|---|",
    ]
    for t in catalog["tables"]:
        rows = f"~{t['rows']}" if t["rows_estimated"] else str(t["rows"])
        latest = f"{t['latest']} ({t['freshness_column']})" if t["latest"] else "—"
        lines.append(f"| `{t['schema']}.{t['name']}` | {t['kind']} | {rows} | {latest} | {_cell(t['comment'])} |")
    for t in catalog["tables"]:
        lines += ["", f"## {t['schema']}.{t['name']}", "", t["comment"] or "_(no comment)_", ""]
        lines += ["| column | type | null | meaning |", "|---|---|---|---|"]
        for c in t["columns"]:
            lines.append(
                f"| `{c['name']}` | {c['type']} | {'yes' if c['nullable'] else 'no'} | {_cell(c['comment'])} |"
            )
    return "\n".join(lines) + "\n"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def to_html(catalog: dict[str, Any]) -> str:
    e = html.escape
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>ecom-pipeline data catalog</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}code{color:#333}</style>",
        f"</head><body><h1>Data catalog</h1><p>Generated from the database at {e(catalog['generated_at'])}.</p>",
        "<table><tr><th>table</th><th>kind</th><th>rows</th><th>latest</th><th>what it is</th></tr>",
    ]
    for t in catalog["tables"]:
        anchor = f"{t['schema']}.{t['name']}"
        rows = f"~{t['rows']}" if t["rows_estimated"] else str(t["rows"])
        latest = f"{t['latest']} ({t['freshness_column']})" if t["latest"] else ""
        parts.append(
            f"<tr><td><a href='#{e(anchor)}'><code>{e(anchor)}</code></a></td><td>{e(t['kind'])}</td>"
            f"<td>{e(rows)}</td><td>{e(str(latest))}</td><td>{e(t['comment'] or '')}</td></tr>"
        )
    parts.append("</table>")
    for t in catalog["tables"]:
        anchor = f"{t['schema']}.{t['name']}"
        parts.append(f"<h2 id='{e(anchor)}'>{e(anchor)}</h2><p>{e(t['comment'] or '(no comment)')}</p>")
        parts.append("<table><tr><th>column</th><th>type</th><th>null</th><th>meaning</th></tr>")
        for c in t["columns"]:
            parts.append(
                f"<tr><td><code>{e(c['name'])}</code></td><td>{e(c['type'])}</td>"
                f"<td>{'yes' if c['nullable'] else 'no'}</td><td>{e(c['comment'] or '')}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write(catalog: dict[str, Any], directory: Path) -> dict[str, str]:
    """Write catalog.json, catalog.md and catalog.html; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": directory / "catalog.json",
        "markdown": directory / "catalog.md",
        "html": directory / "catalog.html",
    }
    paths["json"].write_text(json.dumps(catalog, indent=2, default=str) + "\n")
    paths["markdown"].write_text(to_markdown(catalog))
    paths["html"].write_text(to_html(catalog))
    return {k: str(v) for k, v in paths.items()}
