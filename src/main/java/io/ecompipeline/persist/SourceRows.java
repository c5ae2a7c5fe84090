package io.ecompipeline.persist;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The valid records of one source collected for one write (typed by the source, so callers need no casts). */
public final class SourceRows<R> {

    private final RecordSource<R> source;
    private final List<R> rows = new ArrayList<>();

    SourceRows(RecordSource<R> source) {
        this.source = source;
    }

    /** Adds the row of a contract-valid record; throws (and adds nothing) when PostgreSQL could not store it. */
    public void add(JsonNode record, SourceRecord origin) throws UnstorableEventException {
        rows.add(source.sink().row(record, origin));
    }

    public int size() {
        return rows.size();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Writes the rows idempotently; returns how many were new (the rest were already stored). */
    public int write(Connection connection) throws SQLException {
        return rows.isEmpty() ? 0 : source.sink().write(connection, rows);
    }

    public RecordSource<R> source() {
        return source;
    }

    /** A copy holding only the rows added so far (for writing one record on its own). */
    public List<R> rows() {
        return new ArrayList<>(rows);
    }
}
