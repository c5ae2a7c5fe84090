/**
 * What a placed record becomes, and the idempotent writer shared by every path that places records (live ingest,
 * the record-by-record fallback, dead-letter redelivery): {@link io.ecompipeline.persist.SourceRecord} (a consumed
 * record and its origin), {@link io.ecompipeline.persist.RawEventRow} and {@link io.ecompipeline.persist.RawEventWriter}
 * (COPY under a savepoint, else staging + {@code ON CONFLICT DO NOTHING}).
 *
 * <p>May depend on: {@code contract}, {@code db}.
 */
package io.ecompipeline.persist;
