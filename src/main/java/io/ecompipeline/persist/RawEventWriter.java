package io.ecompipeline.persist;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.db.CopyBuffer;
import io.ecompipeline.db.IdempotentCopy;

/**
 * Writes valid events to {@code raw.events} idempotently ({@link IdempotentCopy}, keyed by event_id): a replayed or
 * redelivered event never makes a second row. Runs inside the caller's transaction (or, on an auto-commit
 * connection, in one of its own).
 */
public final class RawEventWriter implements RowSink<RawEventRow> {

    private static final IdempotentCopy RAW_EVENTS = new IdempotentCopy("raw.events", "event_id, event_type, event_time, "
            + "source, session_id, customer_id, customer_email, customer_country, customer_tier, product_id, product_name, "
            + "product_category, product_price, product_currency, transaction_id, amount, quantity, currency, payment_method, "
            + "payment_status, payload, kafka_topic, kafka_partition, kafka_offset, run_id", "(event_id)");

    private final String runId;

    public RawEventWriter(UUID runId) {
        this.runId = runId.toString();
    }

    @Override
    public RawEventRow row(JsonNode event, SourceRecord origin) throws UnstorableEventException {
        return RawEventRow.of(event, origin);
    }

    /** Returns how many rows were new; the rest were already there (duplicates). */
    @Override
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
        return RAW_EVENTS.write(connection, buffer);
    }
}
