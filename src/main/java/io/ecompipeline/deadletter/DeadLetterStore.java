package io.ecompipeline.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.contract.Violation;
import io.ecompipeline.db.CopyBuffer;
import io.ecompipeline.db.IdempotentCopy;
import io.ecompipeline.persist.SourceRecord;
import io.ecompipeline.persist.StorageRules;

/**
 * The durable dead-letter store ({@code pipeline.dead_letters}). New entries are written in the same
 * transaction as the batch's valid rows, so a batch is placed completely or not at all; a record consumed twice
 * (crash before the offset commit) is stored once, keyed by its Kafka origin ({@link IdempotentCopy}). Every entry
 * names its source (events, products, ...), which redelivery uses to pick the contract and the writer.
 */
public final class DeadLetterStore {

    private static final IdempotentCopy DEAD_LETTERS = new IdempotentCopy("pipeline.dead_letters", "source, event_id, "
            + "source_topic, source_partition, source_offset, payload, error_class, reasons, run_id, next_attempt_at",
            "ON CONSTRAINT dead_letters_origin_key");

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
        CopyBuffer buffer = new CopyBuffer(letters.size(), 1400);
        String due = dueAt(connection);
        for (NewDeadLetter d : letters) {
            SourceRecord o = d.origin();
            buffer.value(d.source()).value(StorageRules.storableOrNull(d.eventId())).value(o.topic()).value(o.partition()).value(o.offset())
                    .bytes(o.value() == null ? new byte[0] : o.value()).value(d.errorClass())
                    .value(reasonsJson(d.reasons())).value(runId).value(due).endRow();
        }
        return DEAD_LETTERS.write(connection, buffer);
    }

    /** now() + the redelivery delay, as PostgreSQL prints it: due after the delay, counted from the transaction start. */
    private String dueAt(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT (now() + ?::interval)::text")) {
            st.setString(1, redeliveryDelay);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * The reasons as jsonb text. Fields and messages may quote the record (a property name, a value), so a NUL or an
     * unpaired surrogate in them is written as its escape text: jsonb would refuse it and fail the whole write.
     */
    public String reasonsJson(List<Violation> reasons) {
        try {
            return json.writeValueAsString(reasons.stream().map(StorageRules::printable).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise reasons", e);
        }
    }
}
