/**
 * Hourly metrics to Elasticsearch: the index with its explicit mapping, and the indexer that drains the queue of
 * recomputed hours with bulk requests ({@code _id} = the hour), removing an hour only once Elasticsearch took it.
 *
 * <p>May depend on: {@code jobs}, {@code db}.
 */
package io.ecompipeline.index;
