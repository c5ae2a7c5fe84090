package io.ecompipeline.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.contract.Violation;
import io.ecompipeline.db.CopyBuffer;
import io.ecompipeline.db.Database;
import io.ecompipeline.persist.SourceRecord;

/**
 * The durable dead-letter store ({@code pipeline.dead_letters} in PostgreSQL). New entries are written in the same
 * transaction as the batch's valid rows, so a batch is placed completely or not at all; a record consumed twice
 * (crash before the offset commit) is stored once, keyed by its Kafka origin.
 *
 * <p>Inside a transaction the entries are COPYed straight into {@code pipeline.dead_letters} under a savepoint; only when one
 * of them is already there (unique violation on the origin) does the batch go through the staging table and
 * {@code INSERT ... ON CONFLICT DO NOTHING}.
 */
public final class DeadLetterStore {

    private static final String COLUMNS = "event_id, source_topic, source_partition, source_offset, payload, "
            + "error_class, reasons, run_id";
    private static final String CREATE_STAGING = "CREATE TEMP TABLE IF NOT EXISTS stg_dead_letters "
            + "(LIKE pipeline.dead_letters INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";
    private static final String COPY = "COPY stg_dead_letters (" + COLUMNS + ") FROM STDIN";
    private static final String COPY_DIRECT = "COPY pipeline.dead_letters (" + COLUMNS + ", next_attempt_at) FROM STDIN";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String MERGE = "INSERT INTO pipeline.dead_letters (" + COLUMNS + ", next_attempt_at) SELECT "
            + COLUMNS + ", now() + ?::interval FROM stg_dead_letters "
            + "ON CONFLICT ON CONSTRAINT dead_letters_origin_key DO NOTHING";

    private final ObjectMapper json;
    private final String runId;
    private final String redeliveryDelay;

    public DeadLetterStore(ObjectMapper json, UUID runId, Duration redeliveryDelay) {
        this.json = json;
        this.runId = runId.toString();
        this.redeliveryDelay = redeliveryDelay.toMillis() + " milliseconds";
    }

    /**
     * Stores new dead letters, due for redelivery after the configured delay, in the caller's transaction (or, on an
     * auto-commit connection, in one of their own). Returns how many were new.
     */
    public int add(Connection connection, List<NewDeadLetter> letters) throws SQLException {
        if (letters.isEmpty()) {
            return 0;
        }
        return Database.inTransaction(connection, () -> addInTransaction(connection, letters));
    }

    private int addInTransaction(Connection connection, List<NewDeadLetter> letters) throws SQLException {
        // fast path: straight into pipeline.dead_letters, due at the same now() + delay the merge below would compute
        Savepoint savepoint = connection.setSavepoint();
        try {
            long copied = rows(letters, dueAt(connection)).copyInto(connection, COPY_DIRECT);
            connection.releaseSavepoint(savepoint);
            return (int) copied;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(savepoint); // a record stored before (consumed twice): deduplicate below
        }
        CopyBuffer buffer = rows(letters, null);
        try (Statement st = connection.createStatement()) {
            st.execute(CREATE_STAGING);
        }
        buffer.copyInto(connection, COPY);
        try (PreparedStatement merge = connection.prepareStatement(MERGE)) {
            merge.setString(1, redeliveryDelay);
            return merge.executeUpdate();
        }
    }

    /** The entries in COPY format; with {@code due} as a last column (next_attempt_at) unless it is null. */
    private CopyBuffer rows(List<NewDeadLetter> letters, String due) {
        CopyBuffer buffer = new CopyBuffer(letters.size(), 1400);
        for (NewDeadLetter d : letters) {
            SourceRecord o = d.origin();
            buffer.value(d.eventId()).value(o.topic()).value(o.partition()).value(o.offset())
                    .bytes(o.value() == null ? new byte[0] : o.value()).value(d.errorClass())
                    .value(reasonsJson(d.reasons())).value(runId);
            if (due != null) {
                buffer.value(due);
            }
            buffer.endRow();
        }
        return buffer;
    }

    /** now() + the redelivery delay, as PostgreSQL prints it (now() is the transaction's start, as in MERGE). */
    private String dueAt(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT (now() + ?::interval)::text")) {
            st.setString(1, redeliveryDelay);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    public String reasonsJson(List<Violation> reasons) {
        try {
            return json.writeValueAsString(reasons);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise reasons", e);
        }
    }
}
