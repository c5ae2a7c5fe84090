/**
 * Watching the pipeline: Prometheus metrics of ingest, dead letters and consumer lag, readiness checks (PostgreSQL,
 * Elasticsearch), and alerts (a log line and an optional webhook).
 *
 * <p>May depend on: {@code ingest}, {@code deadletter}, {@code sources} (their figures), {@code db}.
 */
package io.ecompipeline.observe;
