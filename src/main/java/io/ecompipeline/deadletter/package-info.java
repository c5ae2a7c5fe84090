/**
 * The durable dead-letter store: writing entries with all their reasons and origin (in the caller's transaction),
 * reading them for the API and metrics, and redelivering due entries through the contract and the same row writer as
 * live events, parking them after the last attempt.
 *
 * <p>May depend on: {@code persist}, {@code contract}, {@code db}.
 */
package io.ecompipeline.deadletter;
