package io.ecompipeline.persist;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import io.ecompipeline.db.CopyBuffer;
import io.ecompipeline.db.Database;

/**
 * Writes valid events to {@code raw.events} idempotently. A replayed or redelivered event never makes a second row.
 * Runs inside the caller's transaction (or, on an auto-commit connection, in one of its own).
 *
 * <p>Fast path (the normal case: no event of the batch is there yet): one COPY straight into {@code raw.events},
 * inside a savepoint. If any event_id already exists, the COPY fails with a unique violation, the savepoint is rolled
 * back and the batch takes the general path: COPY into a session-local staging table, then one
 * {@code INSERT ... ON CONFLICT (event_id) DO NOTHING}. Only replays (a crash before the offset commit, a
 * redelivered event) pay for the second path; the common batch is written once instead of twice.
 */
public final class RawEventWriter {

    private static final String COLUMNS = "event_id, event_type, event_time, source, session_id, customer_id, "
            + "customer_email, customer_country, customer_tier, product_id, product_name, product_category, "
            + "product_price, product_currency, transaction_id, amount, quantity, currency, payment_method, "
            + "payment_status, payload, kafka_topic, kafka_partition, kafka_offset, run_id";

    private static final String CREATE_STAGING = "CREATE TEMP TABLE IF NOT EXISTS stg_raw_events "
            + "(LIKE raw.events INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";
    private static final String COPY = "COPY stg_raw_events (" + COLUMNS + ") FROM STDIN";
    private static final String COPY_DIRECT = "COPY raw.events (" + COLUMNS + ") FROM STDIN";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String MERGE = "INSERT INTO raw.events (" + COLUMNS + ") SELECT " + COLUMNS
            + " FROM stg_raw_events ON CONFLICT (event_id) DO NOTHING";

    private final String runId;

    public RawEventWriter(UUID runId) {
        this.runId = runId.toString();
    }

    /** Returns how many rows were new; the rest were already there (duplicates). */
    public int write(Connection connection, List<RawEventRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        CopyBuffer buffer = new CopyBuffer(rows.size(), 700);
        for (RawEventRow r : rows) {
            SourceRecord o = r.origin();
            buffer.value(r.eventId().toString()).value(r.eventType()).value(r.eventTime()).value(r.source())
                    .value(r.sessionId()).value(r.customerId()).value(r.customerEmail()).value(r.customerCountry())
                    .value(r.customerTier()).value(r.productId()).value(r.productName()).value(r.productCategory())
                    .value(r.productPrice()).value(r.productCurrency()).value(r.transactionId()).value(r.amount())
                    .value(r.quantity()).value(r.currency()).value(r.paymentMethod()).value(r.paymentStatus())
                    .utf8(o.value()).value(o.topic()).value(o.partition()).value(o.offset()).value(runId)
                    .endRow();
        }
        return Database.inTransaction(connection, () -> writeInTransaction(connection, buffer));
    }

    private static int writeInTransaction(Connection connection, CopyBuffer buffer) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            long copied = buffer.copyInto(connection, COPY_DIRECT);
            connection.releaseSavepoint(savepoint);
            return (int) copied;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(savepoint); // some of these events are already stored: deduplicate below
        }
        try (Statement st = connection.createStatement()) {
            st.execute(CREATE_STAGING);
            buffer.copyInto(connection, COPY);
            return st.executeUpdate(MERGE);
        }
    }
}
