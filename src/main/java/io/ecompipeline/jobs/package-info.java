/**
 * Operational jobs: the registry that runs them by name (from schedules and the REST API) at most once at a time,
 * their runs, the run table every recorded job writes to ({@link io.ecompipeline.jobs.RunRecords},
 * {@link io.ecompipeline.jobs.RunResult}), and the maintenance job.
 *
 * <p>May depend on: {@code db}, {@code config}.
 */
package io.ecompipeline.jobs;
