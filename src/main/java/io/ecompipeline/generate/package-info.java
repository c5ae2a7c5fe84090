/**
 * Synthetic e-commerce events for the demo, tests and benchmarks: valid ones, late ones and a configurable share of
 * every kind of defect, and a publisher that sends them to Kafka.
 *
 * <p>May depend on: nothing else of the pipeline.
 */
package io.ecompipeline.generate;
