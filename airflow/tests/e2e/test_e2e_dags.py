"""`airflow dags test` of the real DAGs against the real runtime (ECOM_E2E=1 only).

Started by scripts/e2e-airflow.sh, which runs the runtime jar on its own Kafka topic (E2E_KAFKA_TOPIC).
The assertions go through the management API (route states observed while the DAG runs), Kafka (events
published while ingestion is suspended) and PostgreSQL (those events land afterwards, exactly once; the
transformation run is recorded).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from ecom_pipeline import common as c

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "airflow.sh"
LOG_DIR = REPO / ".local" / "airflow" / "e2e-logs"
DAG_TIMEOUT = int(os.environ.get("ECOM_E2E_DAG_TIMEOUT", "1200"))
TOPIC = os.environ.get("E2E_KAFKA_TOPIC", "")
INVENTORY_TOPIC = os.environ.get("E2E_INVENTORY_TOPIC", "")
EVENTS_DURING_WINDOW = 200
SNAPSHOTS_DURING_WINDOW = 20
#: the routes this runtime runs (the Kafka sources are on by default); the products REST poll is off by default
RUNNING_ROUTE_IDS = tuple(r for r in c.INGESTION_ROUTE_IDS if r != "products-api-poll")
SWITCHED_OFF_ROUTE_ID = "products-api-poll"


def dags_test(dag_id: str, *args: str, env: dict | None = None) -> tuple[int, str, str]:
    """Run `scripts/airflow.sh dags-test`; returns (exit code, run id, log path)."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"{dag_id}.log"
    with open(log_path, "w") as log:
        proc = subprocess.run(
            ["bash", str(SCRIPT), "dags-test", dag_id, *args],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=DAG_TIMEOUT,
            env={**os.environ, **(env or {})},
        )
    text = log_path.read_text(errors="replace")
    match = re.findall(rf"DagRun Finished: dag_id={re.escape(dag_id)}, .*?run_id=([^,\s]+)", text)
    assert match, f"no finished DagRun in {log_path}:\n{text[-3000:]}"
    return proc.returncode, match[-1], str(log_path)


def dag_run_state(dag_id: str, run_id: str) -> str:
    out = subprocess.run(
        ["bash", str(SCRIPT), "airflow", "dags", "state", dag_id, run_id],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    return out.strip().splitlines()[-1].strip()


def route_state(management, route_id: str) -> str:
    resp = requests.post(
        management[0] + c.JOLOKIA_PATH, auth=management[1], json=c.jolokia_read_state(route_id), timeout=10
    )
    resp.raise_for_status()
    return c.jolokia_value(resp.json())


def psql(sql: str) -> str:
    """One value from the pipeline's PostgreSQL (same environment as the runtime)."""
    url = os.environ["PG_URL"].removeprefix("jdbc:postgresql://")
    hostport, database = url.split("/", 1)
    host, _, port = hostport.partition(":")
    env = dict(os.environ, PGPASSWORD=os.environ.get("PG_PASSWORD", ""))
    args = ["psql", "-h", host, "-p", port or "5432", "-U", os.environ.get("PG_USER", "ecom")]
    args += ["-d", database.split("?")[0], "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql]
    out = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60, check=True).stdout
    return out.strip()


def publish(events: list[dict], topic: str = TOPIC) -> None:
    from confluent_kafka import Producer

    producer = Producer({"bootstrap.servers": os.environ["KAFKA_BOOTSTRAP_SERVERS"], "acks": "all"})
    for event in events:
        producer.produce(topic, json.dumps(event).encode())
    assert producer.flush(30) == 0, "not every record was acknowledged by Kafka"


def stock_snapshot(warehouse: str) -> dict:
    """A valid record of the inventory source (contract/inventory.schema.json)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + "Z"
    return {
        "product_id": "P-e2e-window",
        "warehouse_id": warehouse,
        "on_hand": 40,
        "reserved": 5,
        "reorder_point": 10,
        "unit_cost": 12.5,
        "currency": "EUR",
        "snapshot_time": now,
    }


def purchase() -> dict:
    now = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".000Z"
    return {
        "event_id": str(uuid.uuid4()),
        "event_type": "PURCHASE",
        "event_time": now,
        "source": "web",
        "session_id": "S-e2e-" + uuid.uuid4().hex[:8],
        "customer": {"customer_id": "C-e2e", "email": "e2e@example.com", "country": "DE", "tier": "GOLD"},
        "product": {"product_id": "P-e2e", "name": "E2E", "category": "electronics", "price": 10.5, "currency": "EUR"},
        "transaction": {
            "transaction_id": "T-" + uuid.uuid4().hex[:8],
            "amount": 21.0,
            "quantity": 2,
            "currency": "EUR",
            "payment_method": "CARD",
            "payment_status": "PAID",
        },
    }


class WindowObserver(threading.Thread):
    """Watches the ingestion routes while the DAG runs (Jolokia: the instance's own view; GET /api/routes: the
    fleet's); once every running one is suspended, publishes events and stock snapshots and counts the snapshots
    stored while the inventory route is still suspended."""

    def __init__(self, management, api):
        super().__init__(daemon=True)
        self.management = management
        self.api = api
        self.seen: dict[str, list[str]] = {r: [] for r in (*RUNNING_ROUTE_IDS, SWITCHED_OFF_ROUTE_ID)}
        self.published_ids: list[str] = []
        self.published_while_suspended = False
        self.warehouses: list[str] = []
        self.snapshots_stored_during_window: int | None = None
        self.stop_event = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop_event.is_set():
                states = {r: route_state(self.management, r) for r in self.seen}
                for route, state in states.items():
                    if not self.seen[route] or self.seen[route][-1] != state:
                        self.seen[route].append(state)
                running = [states[r] for r in RUNNING_ROUTE_IDS]
                if not self.published_ids and all(s == c.ROUTE_SUSPENDED for s in running) and self.quiescent():
                    self.publish_during_window()
                time.sleep(0.2)
        except BaseException as exc:  # surfaced by the test
            self.error = exc

    def publish_during_window(self) -> None:
        events = [purchase() for _ in range(EVENTS_DURING_WINDOW)]
        publish(events)
        self.published_ids = [e["event_id"] for e in events]
        self.warehouses = [f"WH-e2e-{uuid.uuid4().hex[:8]}" for _ in range(SNAPSHOTS_DURING_WINDOW)]
        publish([stock_snapshot(w) for w in self.warehouses], INVENTORY_TOPIC)
        stored = self.snapshots_stored()
        # still suspended after Kafka acknowledged them (and after the count): they really arrived during the window
        if all(route_state(self.management, r) == c.ROUTE_SUSPENDED for r in (c.INGEST_ROUTE_ID, "ingest-inventory")):
            self.published_while_suspended = True
            self.snapshots_stored_during_window = stored

    def snapshots_stored(self) -> int:
        """How many of the published snapshots raw.inventory_snapshots holds."""
        warehouses = ",".join(f"'{w}'" for w in self.warehouses)
        return int(psql(f"SELECT count(*) FROM raw.inventory_snapshots WHERE warehouse_id IN ({warehouses})"))

    def quiescent(self) -> bool:
        """What the DAG waits for: every live instance applied the suspension and is quiet."""
        resp = requests.get(self.api[0] + c.ROUTES_PATH, auth=self.api[1], timeout=10)
        resp.raise_for_status()
        return c.fleet_route_verdict(resp.json(), c.INGESTION_ROUTE_IDS, c.REQUEST_SUSPENDED)


def test_maintenance_window(runtime_ready, management, api):
    assert TOPIC, "E2E_KAFKA_TOPIC is not set (run through scripts/e2e-airflow.sh)"
    assert INVENTORY_TOPIC, "E2E_INVENTORY_TOPIC is not set (run through scripts/e2e-airflow.sh)"
    observer = WindowObserver(management, api)
    observer.start()
    try:
        rc, run_id, log = dags_test("ecom_maintenance_window")
    finally:
        observer.stop_event.set()
        observer.join(30)
    assert observer.error is None, repr(observer.error)
    assert dag_run_state("ecom_maintenance_window", run_id) == "success", log
    assert rc == 0, log

    # the routes were really suspended during the window (the sources' too) and are running again
    for route_id in RUNNING_ROUTE_IDS:
        assert c.ROUTE_SUSPENDED in observer.seen[route_id], (route_id, observer.seen[route_id])
        assert observer.seen[route_id][-1] == c.ROUTE_STARTED, (route_id, observer.seen[route_id])
        assert route_state(management, route_id) == c.ROUTE_STARTED
    # the products REST poll is switched off here (PRODUCTS_API_ENABLED=false): it did not fail the window, and the
    # resume did not start it
    assert observer.seen[SWITCHED_OFF_ROUTE_ID] == ["Stopped"], observer.seen[SWITCHED_OFF_ROUTE_ID]
    reported = next(r for r in requests.get(api[0] + c.ROUTES_PATH, auth=api[1], timeout=10).json()["routes"]
                    if r["id"] == SWITCHED_OFF_ROUTE_ID)  # fmt: skip
    assert {r["state"] for r in reported["instances"].values()} == {c.ROUTE_DISABLED}, reported

    # stock snapshots published while the inventory route was suspended were not stored then, and land afterwards
    assert observer.snapshots_stored_during_window == 0, observer.snapshots_stored_during_window
    deadline = time.monotonic() + 120
    snapshots = -1
    while time.monotonic() < deadline:
        snapshots = observer.snapshots_stored()
        if snapshots == SNAPSHOTS_DURING_WINDOW:
            break
        time.sleep(1)
    assert snapshots == SNAPSHOTS_DURING_WINDOW, f"{snapshots} of {SNAPSHOTS_DURING_WINDOW} snapshots landed"

    # events published while ingestion was paused all land afterwards, exactly once
    assert len(observer.published_ids) == EVENTS_DURING_WINDOW, "no events were published during the window"
    assert observer.published_while_suspended, "the window closed before Kafka acknowledged the events"
    ids = ",".join(f"'{i}'" for i in observer.published_ids)
    deadline = time.monotonic() + 120
    landed = -1
    while time.monotonic() < deadline:
        landed = int(psql(f"SELECT count(*) FROM raw.events WHERE event_id IN ({ids})"))
        if landed == EVENTS_DURING_WINDOW:
            break
        time.sleep(1)
    assert landed == EVENTS_DURING_WINDOW, f"{landed} of {EVENTS_DURING_WINDOW} events landed after the window"
    assert int(psql(f"SELECT count(*) FROM raw.events WHERE kafka_topic = '{TOPIC}'")) == EVENTS_DURING_WINDOW

    # the maintenance job ran and succeeded; the fleet's request for both routes is "started" again
    runs = requests.get(api[0] + c.JOBS_PATH, params={"type": "maintenance"}, auth=api[1], timeout=10).json()["runs"]
    assert any(r["status"] == c.JOB_SUCCEEDED and r["trigger"] == "http" for r in runs), runs
    view = requests.get(api[0] + c.ROUTES_PATH, auth=api[1], timeout=10).json()
    assert c.fleet_route_verdict(view, c.INGESTION_ROUTE_IDS, c.REQUEST_STARTED), view
    assert {r["id"]: r["desired"] for r in view["routes"] if r["id"] in c.INGESTION_ROUTE_IDS} == dict.fromkeys(
        c.INGESTION_ROUTE_IDS, c.REQUEST_STARTED
    ), view


def test_transform_and_index(runtime_ready, api):
    before = int(psql("SELECT count(*) FROM pipeline.job_runs WHERE status = 'succeeded'"))
    rc, run_id, log = dags_test("ecom_transform_and_index")
    assert dag_run_state("ecom_transform_and_index", run_id) == "success", log
    assert rc == 0, log
    # the transformation really ran: recorded in PostgreSQL and reported by the job API
    assert int(psql("SELECT count(*) FROM pipeline.job_runs WHERE status = 'succeeded'")) > before
    for job_type in ("transform", "index"):
        runs = requests.get(api[0] + c.JOBS_PATH, params={"type": job_type}, auth=api[1], timeout=10).json()["runs"]
        assert any(r["status"] == c.JOB_SUCCEEDED and r["trigger"] == "http" for r in runs), (job_type, runs)


def run_job(api, job_type: str) -> dict:
    started = requests.post(f"{api[0]}{c.JOBS_PATH}/{job_type}", auth=api[1], timeout=30).json()
    job_id = started.get("id") or started["running"]["id"]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job = requests.get(f"{api[0]}{c.JOBS_PATH}/{job_id}", auth=api[1], timeout=30).json()
        if job["status"] != c.JOB_RUNNING:
            return job
        time.sleep(1)
    pytest.fail(f"{job_type} job {job_id} did not finish")


def lineage_events(since: float) -> list[dict]:
    """OpenLineage events the file transport wrote (scripts/airflow.sh) since ``since`` (Unix time)."""
    transport = json.loads(os.environ["AIRFLOW__OPENLINEAGE__TRANSPORT"])
    path = Path(transport["log_file_path"])
    events = [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []
    cutoff = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(since))
    return [e for e in events if e.get("eventTime", "") >= cutoff]


def test_data_quality(runtime_ready, api):
    """Realistic events through the real runtime (ingest, transform, gold), then the quality DAG against the same
    runtime and database: every suite passes, the anomaly job ran, Data Docs, catalog and summary are written and
    every task reported its lineage."""
    assert TOPIC, "E2E_KAFKA_TOPIC is not set (run through scripts/e2e-airflow.sh)"
    before = int(psql("SELECT (SELECT count(*) FROM raw.events) + (SELECT count(*) FROM pipeline.dead_letters)"))
    generated = 600
    subprocess.run(
        ["java", "-jar", os.environ["ECOM_JAR"], "generate", "--count", str(generated), "--invalid", "0.05",
         "--topic", TOPIC, "--seed", "1130", "--bootstrap", os.environ["KAFKA_BOOTSTRAP_SERVERS"]],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    deadline = time.monotonic() + 180
    placed = before
    while time.monotonic() < deadline and placed < before + generated:
        placed = int(psql("SELECT (SELECT count(*) FROM raw.events) + (SELECT count(*) FROM pipeline.dead_letters)"))
        time.sleep(1)
    assert placed == before + generated
    for job_type in ("transform", "gold"):
        assert run_job(api, job_type)["status"] == c.JOB_SUCCEEDED, job_type

    started = time.time()
    # the maintenance test's events waited out the window on purpose: late by design, not a defect
    rc, run_id, log = dags_test("ecom_data_quality", env={"ECOM_QUALITY_MAX_LATE_RATIO": "1"})
    assert dag_run_state("ecom_data_quality", run_id) == "success", log
    assert rc == 0, log

    quality = Path(os.environ["ECOM_QUALITY_DIR"])
    daily = json.loads((quality / "summary" / "latest.json").read_text())
    assert daily["success"] is True, daily
    assert [s["suite"] for s in daily["suites"]] == ["raw", "clean", "business_metrics", "warehouse"]
    assert all(s["evaluated"] > 0 and s["failed"] == 0 for s in daily["suites"]), daily["suites"]
    assert (quality / "data-docs" / "index.html").is_file()
    assert "marts.hourly_metrics" in (quality / "catalog.md").read_text()
    # the anomaly job really ran on the runtime (nothing is judged yet: there is no history of previous days)
    runs = requests.get(api[0] + c.JOBS_PATH, params={"type": "anomalies"}, auth=api[1], timeout=10).json()["runs"]
    done = [r for r in runs if r["status"] == c.JOB_SUCCEEDED and r["trigger"] == "http"]
    assert done, runs
    assert done[0]["result"]["hoursEvaluated"] == 24, done[0]
    assert done[0]["result"]["anomalies"] == 0, done[0]

    # lineage: each task's inputs and outputs, as OpenLineage datasets
    events = [e for e in lineage_events(started) if e["job"]["name"].startswith("ecom_data_quality.")]
    complete = {e["job"]["name"].split(".", 1)[1]: e for e in events if e["eventType"] == "COMPLETE"}
    assert {"run_suite", "update_catalog", "quality_report"} <= set(complete), sorted(complete)
    inputs = {i["name"] for i in complete["run_suite"]["inputs"]}
    database = os.environ["PG_URL"].rsplit("/", 1)[1]
    assert {f"{database}.raw.events", f"{database}.marts.hourly_metrics"} <= inputs, inputs
    assert any(o["name"].endswith("catalog.html") for o in complete["update_catalog"]["outputs"])
