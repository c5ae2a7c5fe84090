/**
 * PostgreSQL plumbing shared by every step: the connection pool, the bounded wait for the server, Flyway migrations,
 * transactions on auto-commit connections, the COPY text buffer, and the advisory-lock keys that keep jobs from
 * overlapping across instances.
 *
 * <p>May depend on: {@code config}.
 */
package io.ecompipeline.db;
