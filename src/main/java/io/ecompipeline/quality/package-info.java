/**
 * Data quality of the recent window: completeness, rejects by rule, duplicates, schema drift, volume, freshness;
 * a breach raises an alert.
 *
 * <p>May depend on: {@code observe} (alerts), {@code db}.
 */
package io.ecompipeline.quality;
