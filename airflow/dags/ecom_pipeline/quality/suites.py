"""The Great Expectations suites of the warehouse, versioned with the code (GX Core 1.x).

Four suites, one per stage of the data (docs/metrics.md defines every column they check):

* ``raw`` — ``raw.events`` as the contract (src/main/resources/contract) admits it: columns, unique event ids,
  allowed codes, positivity, non-null rates, no event from the future.
* ``clean`` — ``clean.events`` / ``clean.transactions``: derived columns agree with their inputs, latency sanity,
  lateness consistent with latency, late-ratio bound, no clean row without its raw event.
* ``business_metrics`` — ``marts.hourly_metrics`` / ``marts.daily_metrics``: totals >= 0, net = gross - refunds,
  ratios in [0, 1] and equal to their counts, no hour with activity missing, days = the sum of their hours.
* ``warehouse`` — gold: SCD Type 2 dimensions (``marts.customer_tier_history``, and ``marts.product_history`` once
  the product catalog of issue 13 is deployed) have no overlapping validity and one current row per key; RFM scores
  in 1-5; facts refer to existing dimension rows.

Every expectation carries a stable ``meta.id`` (``<table>.<check>``) that reports and tests name, and a ``description``
shown in Data Docs. Batches are whole tables. In a SQL check GX puts the batch's subquery where ``{batch}`` stands:
a query with a JOIN aliases it itself (``{batch} AS b``), a query without one must not (GX adds an alias there) and
names its columns unqualified.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from ecom_pipeline.quality import Thresholds

# ---------------------------------------------------------------------------------------------------------------------
# The contract (src/main/resources/contract/rules.yaml); tests/test_quality_suites.py keeps these equal to it
# ---------------------------------------------------------------------------------------------------------------------
EVENT_TYPES = ("PAGE_VIEW", "ADD_TO_CART", "PURCHASE", "REFUND")
PAYMENT_STATUSES = ("PAID", "PENDING", "FAILED", "REFUNDED")
PAYMENT_METHODS = ("CARD", "PAYPAL", "BANK_TRANSFER", "WALLET", "COD")
PRICE_CEILING = 100000
#: rule.event_time_not_future: an event may be at most this far ahead of processing time (max_future_skew PT5M)
MAX_FUTURE_SKEW_SECONDS = 300

RAW_COLUMNS = (
    "event_id", "event_type", "event_time", "source", "session_id", "customer_id", "customer_email",
    "customer_country", "customer_tier", "product_id", "product_name", "product_category", "product_price",
    "product_currency", "transaction_id", "amount", "quantity", "currency", "payment_method", "payment_status",
    "payload", "kafka_topic", "kafka_partition", "kafka_offset", "ingested_at", "run_id",
)  # fmt: skip
RAW_REQUIRED = (
    "event_id", "event_type", "event_time", "source", "customer_id", "customer_email", "customer_country",
    "payload", "kafka_topic", "kafka_partition", "kafka_offset", "ingested_at", "run_id",
)  # fmt: skip
HOURLY_COUNTS = (
    "total_transactions", "late_transactions", "orders", "paid_orders", "pending_orders", "failed_orders",
    "refund_transactions", "unconverted_transactions", "sessions", "session_events", "bounced_sessions",
    "converted_sessions",
)  # fmt: skip
RFM_SEGMENTS = ("champions", "loyal", "recent", "at_risk", "lost", "needs_attention")


@dataclass(frozen=True)
class TableChecks:
    """The expectations on one table (one GX Expectation Suite and one Validation Definition)."""

    table: str
    expectations: list = field(default_factory=list)
    #: columns that identify a row: shown with failed values, so a report names the rows
    key_columns: tuple[str, ...] = ()
    #: a table another branch of the warehouse adds: skipped (and reported as such) while it does not exist
    optional: bool = False

    @property
    def schema(self) -> str:
        return self.table.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.table.split(".", 1)[1]


@dataclass(frozen=True)
class Suite:
    name: str
    title: str
    tables: list[TableChecks]

    def ids(self) -> list[str]:
        return [e.meta["id"] for t in self.tables for e in t.expectations]


def _x(check_id: str, expectation_class, description: str, **kwargs):
    """One expectation with its stable id and the sentence Data Docs shows."""
    return expectation_class(meta={"id": check_id}, description=description, **kwargs)


def _rows(check_id: str, description: str, query: str):
    """A SQL check: the query returns the offending rows (none = success). ``{batch}`` is the table checked."""
    return _x(check_id, gxe.UnexpectedRowsExpectation, description, unexpected_rows_query=query)


# ---------------------------------------------------------------------------------------------------------------------
# raw
# ---------------------------------------------------------------------------------------------------------------------
def raw_suite(t: Thresholds) -> Suite:
    p = "raw.events"
    checks = [
        _x(f"{p}.columns", gxe.ExpectTableColumnsToMatchSet,
           "raw.events has every column the transformations read (more may be added)",
           column_set=list(RAW_COLUMNS), exact_match=False),
        _x(f"{p}.event_id_unique", gxe.ExpectColumnValuesToBeUnique,
           "an event is stored once: event_id is unique", column="event_id"),
        *[
            _x(f"{p}.{column}_not_null", gxe.ExpectColumnValuesToNotBeNull,
               f"{column} is always set (required by the contract)", column=column)
            for column in RAW_REQUIRED
        ],
        _x(f"{p}.event_type_allowed", gxe.ExpectColumnValuesToBeInSet,
           "event_type is one of the contract's event types", column="event_type", value_set=list(EVENT_TYPES)),
        _x(f"{p}.payment_status_allowed", gxe.ExpectColumnValuesToBeInSet,
           "payment_status is one of the contract's statuses", column="payment_status",
           value_set=list(PAYMENT_STATUSES)),
        _x(f"{p}.payment_method_allowed", gxe.ExpectColumnValuesToBeInSet,
           "payment_method is one of the contract's methods", column="payment_method",
           value_set=list(PAYMENT_METHODS)),
        _x(f"{p}.currency_iso", gxe.ExpectColumnValuesToMatchRegex,
           "currency has the ISO 4217 shape", column="currency", regex=r"^[A-Z]{3}$"),
        _x(f"{p}.product_currency_iso", gxe.ExpectColumnValuesToMatchRegex,
           "product_currency has the ISO 4217 shape", column="product_currency", regex=r"^[A-Z]{3}$"),
        _x(f"{p}.country_iso", gxe.ExpectColumnValuesToMatchRegex,
           "customer_country has the ISO 3166-1 alpha-2 shape", column="customer_country", regex=r"^[A-Z]{2}$"),
        _x(f"{p}.amount_positive", gxe.ExpectColumnValuesToBeBetween,
           "amount is positive (refunds too)", column="amount", min_value=0, strict_min=True),
        _x(f"{p}.quantity_positive", gxe.ExpectColumnValuesToBeBetween,
           "quantity is positive", column="quantity", min_value=0, strict_min=True),
        _x(f"{p}.price_in_range", gxe.ExpectColumnValuesToBeBetween,
           f"product_price is positive and at most the ceiling {PRICE_CEILING}", column="product_price",
           min_value=0, strict_min=True, max_value=PRICE_CEILING),
        _x(f"{p}.product_on_non_page_views", gxe.ExpectColumnValuesToNotBeNull,
           "every event but a page view names its product", column="product_id",
           row_condition=Column("event_type") != "PAGE_VIEW"),
        *[
            _x(f"{p}.{column}_on_transactions", gxe.ExpectColumnValuesToNotBeNull,
               f"every purchase and refund has its {column}", column=column,
               row_condition=Column("event_type").is_in(["PURCHASE", "REFUND"]))
            for column in ("transaction_id", "amount", "quantity", "currency", "payment_method", "payment_status")
        ],
        _x(f"{p}.session_id_rate", gxe.ExpectColumnValuesToNotBeNull,
           f"at least {t.min_session_share:.0%} of the events outside refunds belong to a session",
           column="session_id", mostly=t.min_session_share, row_condition=Column("event_type") != "REFUND"),
        _x(f"{p}.customer_tier_rate", gxe.ExpectColumnValuesToNotBeNull,
           f"at least {t.min_tier_share:.0%} of the events carry the customer's tier",
           column="customer_tier", mostly=t.min_tier_share),
        _rows(f"{p}.not_from_the_future",
              f"no event happened more than {MAX_FUTURE_SKEW_SECONDS} s after it was stored "
              "(rule.event_time_not_future)",
              "SELECT event_id, event_time, ingested_at FROM {batch} "
              f"WHERE event_time > ingested_at + interval '{MAX_FUTURE_SKEW_SECONDS} seconds'"),
    ]  # fmt: skip
    return Suite("raw", "Raw layer: raw.events as the contract admits it", [TableChecks(p, checks, ("event_id",))])


# ---------------------------------------------------------------------------------------------------------------------
# clean
# ---------------------------------------------------------------------------------------------------------------------
def clean_suite(t: Thresholds) -> Suite:
    e = "clean.events"
    events = [
        _x(f"{e}.event_id_unique", gxe.ExpectColumnValuesToBeUnique,
           "one clean row per raw event", column="event_id"),
        _x(f"{e}.event_type_allowed", gxe.ExpectColumnValuesToBeInSet,
           "event_type is one of the contract's event types", column="event_type", value_set=list(EVENT_TYPES)),
        _x(f"{e}.latency_sane", gxe.ExpectColumnValuesToBeBetween,
           f"latency (processing - event time) is at least -{MAX_FUTURE_SKEW_SECONDS} s: the contract refuses "
           "events further in the future", column="latency_seconds", min_value=-MAX_FUTURE_SKEW_SECONDS),
        _rows(f"{e}.latency_matches_times",
              "latency_seconds = processing_time - event_time",
              "SELECT event_id, event_time, processing_time, latency_seconds FROM {batch} "
              "WHERE abs(latency_seconds - extract(EPOCH FROM processing_time - event_time)) > 0.001"),
        _rows(f"{e}.late_means_later",
              "every late event waited longer than every event on time (one late threshold)",
              "SELECT event_id, latency_seconds, longest_on_time FROM (SELECT event_id, latency_seconds, is_late, "
              "max(latency_seconds) FILTER (WHERE NOT is_late) OVER () AS longest_on_time FROM {batch}) AS e "
              "WHERE is_late AND latency_seconds <= longest_on_time"),
        _rows(f"{e}.buckets_match_event_time",
              "event_hour, event_date and window_start are the UTC buckets of event_time",
              "SELECT event_id, event_time, event_hour, event_date, window_start FROM {batch} "
              "WHERE event_hour <> date_trunc('hour', event_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' "
              "OR event_date <> (event_time AT TIME ZONE 'UTC')::date "
              "OR window_start > event_time OR window_start <= event_time - interval '5 minutes'"),
        _rows(f"{e}.flags_match_type",
              "the event flags agree with event_type and payment_status",
              "SELECT event_id, event_type, payment_status FROM {batch} "
              "WHERE is_page_view <> (event_type = 'PAGE_VIEW') OR is_add_to_cart <> (event_type = 'ADD_TO_CART') "
              "OR is_order <> (event_type = 'PURCHASE') OR is_refund <> (event_type = 'REFUND') "
              "OR is_paid_order <> (is_order AND payment_status IS NOT DISTINCT FROM 'PAID')"),
        _rows(f"{e}.has_raw_event",
              "every clean event has its raw event",
              "SELECT b.event_id FROM {batch} AS b LEFT JOIN raw.events AS r ON r.event_id = b.event_id "
              "WHERE r.event_id IS NULL"),
    ]  # fmt: skip
    x = "clean.transactions"
    transactions = [
        _x(f"{x}.event_id_unique", gxe.ExpectColumnValuesToBeUnique,
           "one row per transaction event", column="event_id"),
        _x(f"{x}.event_type_transaction", gxe.ExpectColumnValuesToBeInSet,
           "only purchases and refunds", column="event_type", value_set=["PURCHASE", "REFUND"]),
        *[
            _x(f"{x}.{column}_not_negative", gxe.ExpectColumnValuesToBeBetween,
               f"{column} is never negative", column=column, min_value=0)
            for column in ("ordered_units", "gross_amount", "refund_amount", "gross_amount_reporting",
                           "refund_amount_reporting")
        ],
        _x(f"{x}.amount_positive", gxe.ExpectColumnValuesToBeBetween,
           "amount is positive", column="amount", min_value=0, strict_min=True),
        _x(f"{x}.fx_rate_positive", gxe.ExpectColumnValuesToBeBetween,
           "an FX rate used is positive", column="fx_rate", min_value=0, strict_min=True),
        _rows(f"{x}.net_is_gross_minus_refund",
              "net = gross - refund, in the original and in the reporting currency",
              "SELECT event_id, gross_amount, refund_amount, net_amount, net_amount_reporting "
              "FROM {batch} WHERE net_amount <> gross_amount - refund_amount "
              "OR net_amount_reporting <> gross_amount_reporting - refund_amount_reporting"),
        _rows(f"{x}.reporting_amounts_iff_converted",
              "reporting-currency amounts are set exactly when the transaction is converted",
              "SELECT event_id, currency, event_date, is_converted, fx_rate, net_amount_reporting FROM {batch} "
              "WHERE is_converted <> (net_amount_reporting IS NOT NULL) OR is_converted <> (fx_rate IS NOT NULL)"),
        _rows(f"{x}.late_ratio_bounded",
              f"at most {t.max_late_ratio:.0%} of the transactions of the latest 24 event hours are late "
              "(ECOM_QUALITY_MAX_LATE_RATIO)",
              "SELECT count(*) AS transactions, count(*) FILTER (WHERE is_late) AS late FROM {batch} "
              "WHERE event_time > (SELECT max(event_time) FROM {batch}) - interval '24 hours' "
              f"HAVING count(*) FILTER (WHERE is_late) > {t.max_late_ratio} * count(*)"),
        _rows(f"{x}.has_clean_event",
              "every transaction is one of clean.events",
              "SELECT b.event_id FROM {batch} AS b LEFT JOIN clean.events AS c ON c.event_id = b.event_id "
              "WHERE c.event_id IS NULL"),
    ]  # fmt: skip
    return Suite(
        "clean",
        "Clean layer: derived columns, latency and lateness",
        [TableChecks(e, events, ("event_id",)), TableChecks(x, transactions, ("event_id",))],
    )


# ---------------------------------------------------------------------------------------------------------------------
# business metrics
# ---------------------------------------------------------------------------------------------------------------------
def business_metrics_suite(t: Thresholds) -> Suite:
    h = "marts.hourly_metrics"
    hourly = [
        _x(f"{h}.event_hour_unique", gxe.ExpectColumnValuesToBeUnique, "one row per hour", column="event_hour"),
        *[
            _x(f"{h}.{column}_not_negative", gxe.ExpectColumnValuesToBeBetween,
               f"{column} is never negative", column=column, min_value=0)
            for column in (*HOURLY_COUNTS, "gross_revenue", "refunds", "session_duration_seconds")
        ],
        *[
            _x(f"{h}.{column}_in_0_1", gxe.ExpectColumnValuesToBeBetween,
               f"{column} is a share between 0 and 1", column=column, min_value=0, max_value=1)
            for column in ("late_ratio", "bounce_rate", "conversion_rate")
        ],
        _rows(f"{h}.net_is_gross_minus_refunds",
              "net_revenue = gross_revenue - refunds, and total_amount = net_revenue",
              "SELECT event_hour, gross_revenue, refunds, net_revenue, total_amount FROM {batch} "
              "WHERE net_revenue <> gross_revenue - refunds OR total_amount <> net_revenue"),
        _rows(f"{h}.counts_add_up",
              "transactions = orders + refunds; orders >= paid + pending + failed; late, bounced and converted "
              "never exceed their whole",
              "SELECT event_hour, total_transactions, orders, refund_transactions, late_transactions, sessions "
              "FROM {batch} WHERE total_transactions <> orders + refund_transactions "
              "OR orders < paid_orders + pending_orders + failed_orders "
              "OR late_transactions > total_transactions OR unconverted_transactions > total_transactions "
              "OR bounced_sessions > sessions OR converted_sessions > sessions"),
        _rows(f"{h}.ratios_match_counts",
              "late_ratio and conversion_rate are their counts divided (null without a denominator)",
              "SELECT event_hour, late_transactions, total_transactions, late_ratio, converted_sessions, "
              "sessions, conversion_rate FROM {batch} "
              "WHERE abs(coalesce(late_ratio, -1) - coalesce(late_transactions::float8 "
              "/ nullif(total_transactions, 0), -1)) > 1e-9 "
              "OR abs(coalesce(conversion_rate, -1) - coalesce(converted_sessions::float8 "
              "/ nullif(sessions, 0), -1)) > 1e-9"),
        _rows(f"{h}.no_missing_hour",
              "every hour with transactions or session starts in clean has its row",
              "SELECT a.event_hour, sum(a.transactions) AS transactions, sum(a.sessions) AS sessions FROM ("
              "SELECT x.event_hour, count(*) AS transactions, 0 AS sessions FROM clean.transactions AS x "
              "GROUP BY x.event_hour UNION ALL "
              "SELECT s.start_hour, 0, count(*) FROM clean.sessions AS s GROUP BY s.start_hour) AS a "
              "LEFT JOIN {batch} AS b ON b.event_hour = a.event_hour WHERE b.event_hour IS NULL "
              "GROUP BY a.event_hour ORDER BY a.event_hour"),
    ]  # fmt: skip
    d = "marts.daily_metrics"
    daily = [
        _x(f"{d}.event_date_unique", gxe.ExpectColumnValuesToBeUnique, "one row per day", column="event_date"),
        _rows(f"{d}.day_is_sum_of_hours",
              "a day's transactions, net revenue and sessions are the sums of its hours",
              "SELECT b.event_date, b.total_transactions, h.transactions AS hours_transactions, b.net_revenue, "
              "h.net_revenue AS hours_net_revenue, b.sessions, h.sessions AS hours_sessions FROM {batch} AS b "
              "FULL JOIN (SELECT (m.event_hour AT TIME ZONE 'UTC')::date AS event_date, "
              "sum(m.total_transactions) AS transactions, sum(m.net_revenue) AS net_revenue, "
              "sum(m.sessions) AS sessions FROM marts.hourly_metrics AS m GROUP BY 1) AS h "
              "ON h.event_date = b.event_date "
              "WHERE b.total_transactions IS DISTINCT FROM h.transactions "
              "OR b.net_revenue IS DISTINCT FROM h.net_revenue OR b.sessions IS DISTINCT FROM h.sessions"),
    ]  # fmt: skip
    return Suite(
        "business_metrics",
        "Business metrics: hourly and daily totals",
        [TableChecks(h, hourly, ("event_hour",)), TableChecks(d, daily, ("event_date",))],
    )


# ---------------------------------------------------------------------------------------------------------------------
# warehouse (gold)
# ---------------------------------------------------------------------------------------------------------------------
def scd2_checks(table: str, key: str) -> list:
    """SCD Type 2: versions of a key never overlap, exactly one is current, and current = open-ended."""
    return [
        _x(f"{table}.version_unique", gxe.ExpectCompoundColumnsToBeUnique,
           f"one version per {key} and valid_from", column_list=[key, "valid_from"]),
        _rows(f"{table}.no_overlap",
              f"the versions of a {key} never overlap in time",
              f"SELECT a.{key}, a.valid_from, a.valid_to, o.valid_from AS overlapping_from, "
              "o.valid_to AS overlapping_to FROM {batch} AS a "
              f"INNER JOIN {{batch}} AS o ON o.{key} = a.{key} AND o.valid_from > a.valid_from "
              "AND (a.valid_to IS NULL OR o.valid_from < a.valid_to)"),
        _rows(f"{table}.one_current",
              f"every {key} has exactly one current version",
              f"SELECT {key}, count(*) FILTER (WHERE is_current) AS current_versions FROM {{batch}} "
              f"GROUP BY {key} HAVING count(*) FILTER (WHERE is_current) <> 1"),
        _rows(f"{table}.current_is_open",
              "a version is current exactly when it has no end, and it ends after it starts",
              f"SELECT {key}, valid_from, valid_to, is_current FROM {{batch}} "
              "WHERE is_current <> (valid_to IS NULL) OR valid_to <= valid_from"),
    ]  # fmt: skip


def warehouse_suite(t: Thresholds) -> Suite:
    tiers = "marts.customer_tier_history"
    rfm = "marts.customer_rfm"
    segments = "marts.customer_rfm_segments"
    products = "marts.product_history"
    performance = "marts.daily_product_performance"
    return Suite(
        "warehouse",
        "Warehouse (gold): SCD2 dimensions, RFM, referential integrity",
        [
            TableChecks(tiers, scd2_checks(tiers, "customer_id"), ("customer_id", "valid_from")),
            TableChecks(
                rfm,
                [
                    _x(f"{rfm}.orders_positive", gxe.ExpectColumnValuesToBeBetween,
                       "a customer with RFM figures has at least one paid order", column="orders", min_value=1),
                    _rows(f"{rfm}.first_before_last",
                          "first_order_at <= last_order_at",
                          "SELECT customer_id, first_order_at, last_order_at FROM {batch} "
                          "WHERE first_order_at > last_order_at"),
                    _rows(f"{rfm}.customer_in_dimension",
                          "every customer with RFM figures whose transactions carry a tier is in "
                          "marts.customer_tier_history (no orphan fact)",
                          "SELECT b.customer_id, b.orders, b.last_order_at FROM {batch} AS b "
                          "LEFT JOIN (SELECT DISTINCT h.customer_id FROM marts.customer_tier_history AS h) AS d "
                          "ON d.customer_id = b.customer_id WHERE d.customer_id IS NULL "
                          "AND EXISTS (SELECT 1 FROM clean.transactions AS x WHERE x.customer_id = b.customer_id "
                          "AND x.customer_tier IS NOT NULL AND x.event_time <= b.last_order_at)"),
                ],
                ("customer_id",),
            ),
            TableChecks(
                segments,
                [
                    *[
                        _x(f"{segments}.{score}_in_1_5", gxe.ExpectColumnValuesToBeBetween,
                           f"{score} is a quintile between 1 and 5", column=score, min_value=1, max_value=5)
                        for score in ("r_score", "f_score", "m_score")
                    ],
                    _x(f"{segments}.segment_known", gxe.ExpectColumnValuesToBeInSet,
                       "segment is one of the documented segments", column="segment", value_set=list(RFM_SEGMENTS)),
                ],
                ("customer_id",),
            ),
            TableChecks(
                performance,
                [
                    _x(f"{performance}.revenue_rank_positive", gxe.ExpectColumnValuesToBeBetween,
                       "revenue_rank starts at 1", column="revenue_rank", min_value=1),
                    _rows(f"{performance}.net_is_gross_minus_refunds",
                          "net_revenue = gross_revenue - refunds",
                          "SELECT revenue_date, product_id, gross_revenue, refunds, net_revenue "
                          "FROM {batch} WHERE net_revenue <> gross_revenue - refunds"),
                ],
                ("revenue_date", "product_id"),
            ),
            TableChecks(
                products,
                [
                    *scd2_checks(products, "product_id"),
                    _rows(f"{products}.facts_have_product",
                          "every product sold (marts.daily_product_performance) is in the product dimension, once "
                          "the dimension holds any product",
                          "SELECT DISTINCT f.product_id FROM marts.daily_product_performance AS f "
                          "LEFT JOIN {batch} AS b ON b.product_id = f.product_id "
                          "WHERE b.product_id IS NULL AND EXISTS (SELECT 1 FROM {batch} AS any_product)"),
                ],
                ("product_id", "valid_from"),
                optional=True,
            ),
        ],
    )  # fmt: skip


BUILDERS = {
    "raw": raw_suite,
    "clean": clean_suite,
    "business_metrics": business_metrics_suite,
    "warehouse": warehouse_suite,
}


def build(name: str, thresholds: Thresholds | None = None) -> Suite:
    if name not in BUILDERS:
        raise ValueError(f"unknown suite {name!r}; expected one of {sorted(BUILDERS)}")
    return BUILDERS[name](thresholds or Thresholds.from_env())
