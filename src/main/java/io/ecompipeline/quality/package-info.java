/**
 * Data quality on the runtime side: the report of the recent window (completeness, rejects by rule, duplicates, schema
 * drift, volume, freshness, FX coverage; read-only), the periodic check that alerts on its breaches, and the anomaly
 * detector (each hour against the same hour of the previous days, robust z-score; history in PostgreSQL). The Great
 * Expectations suites of the warehouse live on the Airflow side (airflow/dags/ecom_pipeline/quality).
 *
 * <p>May depend on: {@code observe} (alerts), {@code db}.
 */
package io.ecompipeline.quality;
