package io.ecompipeline.persist;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How the contract-valid records of one source become rows of its raw table: the mapping (which refuses the few
 * records the contract allows but PostgreSQL cannot store, so they become dead letters instead of failing their batch)
 * and the idempotent writer ({@link io.ecompipeline.db.IdempotentCopy}, keyed so a replayed record is skipped).
 *
 * @param <R> the row type
 */
public interface RowSink<R> {

    /** The row of a contract-valid record. */
    R row(JsonNode record, SourceRecord origin) throws UnstorableEventException;

    /** Writes {@code rows} in the caller's transaction (or one of its own on auto-commit); returns how many were new. */
    int write(Connection connection, List<R> rows) throws SQLException;
}
