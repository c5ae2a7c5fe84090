/**
 * The ingest step of a Kafka route: validate every record of a polled batch, place each one as a row or a dead letter
 * in one transaction, audit the batch, and commit the Kafka offsets only afterwards. Also the in-process ingest
 * figures (totals, last batch) that metrics and the API read.
 *
 * <p>May depend on: {@code deadletter} (the store), {@code persist}, {@code contract}, {@code db}.
 */
package io.ecompipeline.ingest;
