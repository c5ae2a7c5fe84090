/**
 * Watching the pipeline: Prometheus metrics of ingest, dead letters, consumer lag and data quality (anomalies, breached
 * checks, open alerts, read from PostgreSQL), readiness checks (PostgreSQL, Elasticsearch), and alerts (a log line and
 * an optional Slack-compatible webhook; open/resolved state in PostgreSQL, so several instances alert once).
 *
 * <p>May depend on: {@code ingest}, {@code deadletter}, {@code sources} (their figures), {@code db}.
 */
package io.ecompipeline.observe;
