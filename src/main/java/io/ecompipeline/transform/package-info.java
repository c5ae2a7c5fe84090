/**
 * SQL jobs over the warehouse layers: one skeleton ({@link io.ecompipeline.transform.SqlJobRunner}: lock, run record,
 * claim, files in order, one transaction) and what differs per job ({@link io.ecompipeline.transform.TransformJob},
 * {@link io.ecompipeline.transform.GoldJob}); the SQL itself lives in {@code sql/}.
 *
 * <p>May depend on: {@code jobs}, {@code db}.
 */
package io.ecompipeline.transform;
