/**
 * The REST API ({@code /api}): one small endpoint class per resource (jobs, dead letters, quality, ingest, config
 * reloads), JSON responses and errors, the users file of the HTTP servers, and the HTTP engine the REST routes use.
 *
 * <p>May depend on: {@code jobs}, {@code deadletter}, {@code ingest}, {@code quality}, {@code reload}, {@code observe},
 * {@code config}.
 */
package io.ecompipeline.api;
