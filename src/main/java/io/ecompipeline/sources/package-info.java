/**
 * Sources that are not a Kafka topic: the products REST API, polled on a schedule by the route
 * {@code products-api-poll} (camel-http). Each answer page is mapped to the products contract
 * ({@link io.ecompipeline.sources.ProductsApiMapper}) and placed by the same ingest step as a Kafka batch (rows or dead
 * letters in one transaction); a failed poll is counted and logged ({@link io.ecompipeline.sources.ProductsApiStats}).
 *
 * <p>May depend on: {@code ingest} (placement), {@code persist} (the record and its origin), {@code config}.
 */
package io.ecompipeline.sources;
