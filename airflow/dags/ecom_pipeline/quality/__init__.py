"""Data quality of the warehouse, the way seed 001 does it: Great Expectations suites per layer
(:mod:`.suites`), run by :mod:`.gx` into Data Docs; the data catalog page (:mod:`.catalog`); the daily
quality summary (:mod:`.summary`). ``python -m ecom_pipeline.quality`` runs them without Airflow.

Importing this package is cheap (no Great Expectations, no database): DAG parsing imports it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: the suites, in the order data flows (one mapped task each in ecom_data_quality)
SUITE_NAMES = ("raw", "clean", "business_metrics", "warehouse")

#: where the GX project, Data Docs, summaries and the catalog are written (README: "Data quality")
QUALITY_DIR_ENV = "ECOM_QUALITY_DIR"


def quality_dir() -> Path:
    """``$ECOM_QUALITY_DIR``, else ``$AIRFLOW_HOME/ecom-quality`` (``~/airflow/ecom-quality``)."""
    configured = os.environ.get(QUALITY_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    return Path(os.environ.get("AIRFLOW_HOME") or Path.home() / "airflow").expanduser().resolve() / "ecom-quality"


def data_docs_index(base: Path | None = None) -> Path:
    """The Data Docs entry page (static HTML; open it in a browser)."""
    return (base or quality_dir()) / "data-docs" / "index.html"


def _env_float(name: str, default: float, low: float, high: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number") from None
    if not low <= value <= high:
        raise ValueError(f"{name}={raw!r} must be between {low} and {high}")
    return value


@dataclass(frozen=True)
class Thresholds:
    """The tunable bounds of the suites (everything else is a fact of the contract or the SQL).

    Read from the environment by :meth:`from_env`, so the DAG, the CLI and the tests agree.
    """

    #: share of late transactions over all of clean.transactions (ECOM_QUALITY_MAX_LATE_RATIO); backfills
    #: (`generate --days N`) are late by definition: raise it to 1 for them
    max_late_ratio: float = 0.5
    #: least share of events (except refunds, which have no session) with a session id
    min_session_share: float = 0.9
    #: least share of events that carry the customer's tier (the contract makes it optional)
    min_tier_share: float = 0.9

    @classmethod
    def from_env(cls) -> Thresholds:
        return cls(
            max_late_ratio=_env_float("ECOM_QUALITY_MAX_LATE_RATIO", cls.max_late_ratio, 0.0, 1.0),
            min_session_share=_env_float("ECOM_QUALITY_MIN_SESSION_SHARE", cls.min_session_share, 0.0, 1.0),
            min_tier_share=_env_float("ECOM_QUALITY_MIN_TIER_SHARE", cls.min_tier_share, 0.0, 1.0),
        )
