"""A real warehouse for the data-quality tests: a PostgreSQL database of its own, migrated and filled by the real
runtime (``target/ecom-pipeline.jar``: migrate, ingest generated events from Kafka, transform, gold), then copied per
test case (``CREATE DATABASE ... TEMPLATE``) so each case plants its defects into clean data of its own.

Needs the local stack (PostgreSQL, Kafka, Elasticsearch: ``bash scripts/local-stack.sh up``) and the jar
(``mvn package``); a missing one FAILS the tests, it never skips them. Addresses come from the same environment as the
runtime (``PG_URL``, ``PG_USER``, ``PG_PASSWORD``, ``KAFKA_BOOTSTRAP_SERVERS``, ``ES_URL``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.parse
import uuid
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
JAR = REPO / "target" / "ecom-pipeline.jar"
LOG_DIR = REPO / "target" / "airflow-test-logs"
API_USER, API_PASSWORD = "operator", "dev-only-password"
#: generated events (about a tenth of them invalid: they become dead letters)
EVENTS = 800
SEED = 20261130


def _pg() -> dict:
    jdbc = os.environ.get("PG_URL", "jdbc:postgresql://127.0.0.1:5432/ecom").removeprefix("jdbc:")
    parts = urllib.parse.urlsplit(jdbc)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": os.environ.get("PG_USER", "ecom"),
        "password": os.environ.get("PG_PASSWORD", "ecom"),
    }


def connect(dbname: str):
    import psycopg2

    pg = _pg()
    try:
        return psycopg2.connect(dbname=dbname, connect_timeout=5, **pg)
    except psycopg2.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not usable at {pg['host']}:{pg['port']} as {pg['user']} ({exc}); "
            "start the local stack with: bash scripts/local-stack.sh up"
        )


def url(dbname: str) -> str:
    pg = _pg()
    user, password = urllib.parse.quote(pg["user"], safe=""), urllib.parse.quote(pg["password"], safe="")
    return f"postgresql://{user}:{password}@{pg['host']}:{pg['port']}/{dbname}"


def jdbc_url(dbname: str) -> str:
    pg = _pg()
    return f"jdbc:postgresql://{pg['host']}:{pg['port']}/{dbname}"


def admin(sql: str) -> None:
    connection = connect("postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cur:
            cur.execute(sql)
    finally:
        connection.close()


def create_database(name: str, template: str | None = None) -> None:
    if template:
        # a template must have no other session: close what a previous test's engine pool may still hold open
        admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{template}' AND pid <> pg_backend_pid()"
        )
    admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))


def drop_database(name: str) -> None:
    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def copy_of(template: str):
    """A fresh copy of ``template`` (its own name), dropped afterwards."""
    name = f"{template}_c{uuid.uuid4().hex[:6]}"
    create_database(name, template)
    try:
        yield name
    finally:
        drop_database(name)


def execute(dbname: str, *statements: str) -> None:
    connection = connect(dbname)
    try:
        with connection, connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
    finally:
        connection.close()


def query(dbname: str, sql: str) -> list[tuple]:
    connection = connect(dbname)
    try:
        with connection.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------------------------------------
# Building the clean warehouse with the real runtime
# ---------------------------------------------------------------------------------------------------------------------
def _free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _java(*args: str, env: dict, log: Path, timeout: int = 600) -> None:
    with open(log, "w") as out:
        proc = subprocess.run(
            ["java", "-jar", str(JAR), *args], env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout
        )
    if proc.returncode != 0:
        pytest.fail(f"java -jar {JAR.name} {' '.join(args)} failed ({proc.returncode}):\n{log.read_text()[-3000:]}")


def _until(what: str, timeout: float, probe, log: Path | None = None):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = probe()
            if last:
                return last
        except (requests.RequestException, ValueError) as exc:
            last = repr(exc)
        time.sleep(1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"timed out waiting for {what} (last: {last})\n{tail}")


def build_clean_warehouse(name: str) -> dict:
    """Create database ``name`` and fill it through the real pipeline; returns what was generated."""
    if not JAR.is_file():
        pytest.fail(f"{JAR} is missing: build it first (mvn package, or mvn verify as scripts/test.sh does)")
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    connect("postgres").close()  # fails loudly when PostgreSQL is not there
    create_database(name)
    topic = f"gxtest.{name}"
    env = {
        **os.environ,
        "PG_URL": jdbc_url(name),
        "PG_USER": _pg()["user"],
        "PG_PASSWORD": _pg()["password"],
        "KAFKA_TOPIC": topic,
        "KAFKA_GROUP_ID": topic,
        "SERVER_PORT": str(_free_port()),
        "MANAGEMENT_PORT": str(_free_port()),
        "PIPELINE_DEV_MODE": "true",
        "PIPELINE_API_USER": API_USER,
        "PIPELINE_API_PASSWORD": API_PASSWORD,
        "ES_INDEX": name,
        "ES_HEALTH_ENABLED": "false",
        # only the runs this fixture asks for
        "TRANSFORM_CRON": "0 0 0 1 1 ? 2099",
        "GOLD_CRON": "0 0 0 1 1 ? 2099",
        "ANOMALY_CRON": "0 0 0 1 1 ? 2099",
        "PIPELINE_BATCH_MAX_WAIT_MS": "200",
    }
    _java("migrate", env=env, log=LOG_DIR / f"{name}-migrate.log")
    api = f"http://127.0.0.1:{env['SERVER_PORT']}/api"
    auth = (API_USER, API_PASSWORD)
    log = LOG_DIR / f"{name}-runtime.log"
    with open(log, "w") as out:
        runtime = subprocess.Popen(["java", "-jar", str(JAR)], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:

        def ready():
            if runtime.poll() is not None:
                pytest.fail(f"the runtime exited ({runtime.returncode}):\n{log.read_text()[-3000:]}")
            return requests.get(f"{api}/jobs/readiness-probe", auth=auth, timeout=5).status_code == 404

        _until("the runtime", 300, ready, log)
        _java(
            "generate", "--count", str(EVENTS), "--invalid", "0.1", "--seed", str(SEED), "--customers", "60",
            "--products", "30", "--topic", topic,
            "--bootstrap", os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
            env=env, log=LOG_DIR / f"{name}-generate.log",
        )  # fmt: skip
        placed = "SELECT (SELECT count(*) FROM raw.events) + (SELECT count(*) FROM pipeline.dead_letters)"
        _until(f"{EVENTS} records placed", 180, lambda: query(name, placed)[0][0] >= EVENTS, log)
        for job in ("transform", "gold"):
            started = requests.post(f"{api}/jobs/{job}", auth=auth, timeout=30).json()
            job_id = started.get("id") or started["running"]["id"]

            def finished(job_id=job_id):
                run = requests.get(f"{api}/jobs/{job_id}", auth=auth, timeout=30).json()
                return run if run["status"] != "running" else None

            run = _until(f"the {job} job", 300, finished, log)
            assert run["status"] == "succeeded", run
    finally:
        runtime.terminate()
        try:
            runtime.wait(60)
        except subprocess.TimeoutExpired:
            runtime.kill()
        # the hourly_metrics index the transform job filled (an alias on a versioned index): not needed here
        es = os.environ.get("ES_URL", "http://127.0.0.1:9200").rstrip("/")
        try:
            for index in requests.get(f"{es}/_alias/{name}", timeout=10).json():
                requests.delete(f"{es}/{index}", timeout=10)
        except (requests.RequestException, ValueError, AttributeError):
            pass
    return {"events": EVENTS, "topic": topic}
