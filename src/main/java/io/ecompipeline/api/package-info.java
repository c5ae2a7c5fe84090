/**
 * The REST API ({@code /api}): one small endpoint class per resource (jobs, routes of the fleet, dead letters, quality,
 * ingest, config reloads), JSON responses, the HTTP servers' authentication (in memory; probes without credentials),
 * the HTTP engine the REST routes use, and the errors of both HTTP servers: RFC 9457 problem details written by one
 * writer ({@code HttpResponses}) for the endpoints' errors and for what the REST and management servers answer
 * themselves ({@code HttpServerGuards}: 401, 404, 405, failures). The OpenAPI document's schemas are records
 * ({@code ApiSchemas} and those of the packages below); {@code @Nullable} (JSpecify) on a field makes it nullable there.
 *
 * <p>May depend on: {@code fleet}, {@code jobs}, {@code deadletter}, {@code ingest}, {@code quality}, {@code reload},
 * {@code observe}, {@code config}.
 */
package io.ecompipeline.api;
