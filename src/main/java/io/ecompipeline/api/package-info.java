/**
 * The REST API ({@code /api}): one small endpoint class per resource (jobs, routes of the fleet, dead letters, quality,
 * ingest, config reloads), JSON responses and errors, the HTTP servers' authentication (in memory; probes without
 * credentials) and the HTTP engine the REST routes use.
 *
 * <p>May depend on: {@code fleet}, {@code jobs}, {@code deadletter}, {@code ingest}, {@code quality}, {@code reload},
 * {@code observe}, {@code config}.
 */
package io.ecompipeline.api;
