package io.ecompipeline.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

/**
 * Writes COPY rows into a table so that a row already there (a replay: same key) is skipped, not doubled — the one
 * way every idempotent writer of the pipeline stores rows.
 *
 * <p>Fast path (the normal case: none of the rows is there yet): one COPY straight into the table, inside a
 * savepoint. If any row already exists, the COPY fails with a unique violation, the savepoint is rolled back and the
 * rows take the general path: COPY into a session-local staging table, then one {@code INSERT ... ON CONFLICT DO
 * NOTHING}. Only replays pay for the second path; the common batch is written once instead of twice (measured: COPY
 * is about twice as fast as batched INSERTs here, see BENCHMARKS.md).
 *
 * @param table    the target table
 * @param columns  the columns the rows hold, in order
 * @param conflict the conflict target, e.g. {@code (event_id)} or {@code ON CONSTRAINT dead_letters_origin_key}
 */
public record IdempotentCopy(String table, String columns, String conflict) {

    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * Writes {@code rows} in the caller's transaction (or, on an auto-commit connection, in one of its own: under
     * auto-commit the COPY's own commit would empty the {@code ON COMMIT DELETE ROWS} staging table before the merge
     * reads it). Returns how many rows were new.
     */
    public int write(Connection connection, CopyBuffer rows) throws SQLException {
        if (rows.rows() == 0) {
            return 0;
        }
        return Database.inTransaction(connection, () -> writeInTransaction(connection, rows));
    }

    private int writeInTransaction(Connection connection, CopyBuffer rows) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            long copied = rows.copyInto(connection, "COPY " + table + " (" + columns + ") FROM STDIN");
            connection.releaseSavepoint(savepoint);
            return (int) copied;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(savepoint); // some of these rows are already stored: deduplicate below
        }
        String staging = "stg_" + table.replace('.', '_');
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS " + staging + " (LIKE " + table + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
            rows.copyInto(connection, "COPY " + staging + " (" + columns + ") FROM STDIN");
            return st.executeUpdate("INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM " + staging
                    + " ON CONFLICT " + conflict + " DO NOTHING");
        }
    }
}
