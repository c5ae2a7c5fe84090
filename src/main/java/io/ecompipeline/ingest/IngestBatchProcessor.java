package io.ecompipeline.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.contract.EventContract;
import io.ecompipeline.contract.ValidationResult;
import io.ecompipeline.contract.Violation;
import io.ecompipeline.db.Database;
import io.ecompipeline.db.TransientDatabaseException;
import io.ecompipeline.deadletter.DeadLetterStore;
import io.ecompipeline.deadletter.NewDeadLetter;
import io.ecompipeline.persist.Placement;
import io.ecompipeline.persist.RawEventRow;
import io.ecompipeline.persist.RawEventWriter;
import io.ecompipeline.persist.SourceRecord;
import io.ecompipeline.persist.StorageRules;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest step: validates every record of a polled Kafka batch against the contract and places each one in
 * exactly one place, {@code raw.events} or {@code pipeline.dead_letters}, in a single transaction. The route commits the
 * Kafka offsets only after this returns, so a crash at any point re-reads the batch and the idempotent writes make
 * the replay harmless.
 */
public final class IngestBatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(IngestBatchProcessor.class);
    public static final String OUTCOME_PROPERTY = "ingestOutcome";

    private final DataSource dataSource;
    private final Supplier<EventContract> contract;
    private final RawEventWriter rawEvents;
    private final DeadLetterStore deadLetters;
    private final IngestStats stats;
    private final ObjectMapper json;
    private final UUID runId;
    private volatile DeclaredFields declaredFields;

    public IngestBatchProcessor(DataSource dataSource, Supplier<EventContract> contract, RawEventWriter rawEvents,
                                DeadLetterStore deadLetters, IngestStats stats, ObjectMapper json, UUID runId) {
        this.dataSource = dataSource;
        this.contract = contract;
        this.rawEvents = rawEvents;
        this.deadLetters = deadLetters;
        this.stats = stats;
        this.json = json;
        this.runId = runId;
    }

    /**
     * Route entry point: the body is the batch (a list of record exchanges). Everything PostgreSQL would refuse is
     * found before the write, so a failure here is about the database: a transient one (unreachable, a lost race)
     * is thrown as {@link TransientDatabaseException}, the only kind the route retries; anything else goes straight
     * to {@link #isolate}.
     */
    public void process(Exchange batch) throws SQLException {
        BatchOutcome outcome = place(SourceRecord.fromBatch(batch));
        batch.setProperty(OUTCOME_PROPERTY, outcome);
    }

    /**
     * Dead-letter channel entry point: the whole-batch write failed (after the retries of a transient failure, at
     * once otherwise). Places the records one by one so a single record the database refuses cannot hold back the
     * others; a record that still fails becomes a {@code processing} dead letter with the error as its reason. When
     * the database itself is unreachable this throws, nothing is committed, and the consumer re-reads the batch later.
     */
    public void isolate(Exchange batch) throws SQLException {
        Exception cause = batch.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        List<SourceRecord> records = SourceRecord.fromBatch(batch);
        if (cause != null && Database.isConnectivityFailure(cause)) {
            LOG.warn("PostgreSQL unavailable ({}); {} records stay uncommitted in Kafka and will be re-read",
                    cause.getMessage(), records.size());
            throw cause instanceof SQLException sql ? sql : new SQLException(cause.getMessage(), "08000", cause);
        }
        LOG.warn("Batch of {} records failed as a whole ({}); placing them record by record", records.size(),
                cause == null ? "unknown error" : cause.getMessage());
        long started = System.currentTimeMillis();
        int inserted = 0;
        int duplicates = 0;
        int dead = 0;
        for (SourceRecord record : records) {
            try {
                BatchOutcome one = place(List.of(record), false);
                inserted += one.inserted();
                duplicates += one.duplicates();
                dead += one.deadLettered();
            } catch (SQLException | RuntimeException e) {
                if (Database.isConnectivityFailure(e)) {
                    throw e;
                }
                List<Violation> reasons = List.of(new Violation("processing.persist_failed", "$",
                        e.getClass().getSimpleName() + ": " + e.getMessage()));
                String eventId = StorageRules.storableOrNull(contract.get().validate(record.value()).eventId());
                try (Connection c = dataSource.getConnection()) {
                    deadLetters.add(c, List.of(new NewDeadLetter(record, eventId, NewDeadLetter.PROCESSING, reasons)));
                }
                stats.recordRejects(reasons);
                dead++;
            }
        }
        try (Connection c = dataSource.getConnection()) {
            recordBatch(c, records, inserted, duplicates, dead, true, Map.of(), started);
        }
        BatchOutcome outcome = new BatchOutcome(records.size(), inserted, duplicates, dead, true,
                System.currentTimeMillis() - started);
        stats.recordBatch(outcome);
        batch.setProperty(OUTCOME_PROPERTY, outcome);
        LOG.info("Isolated batch placed: {}", outcome);
    }

    BatchOutcome place(List<SourceRecord> records) throws SQLException {
        BatchOutcome outcome = place(records, true);
        stats.recordBatch(outcome);
        return outcome;
    }

    private BatchOutcome place(List<SourceRecord> records, boolean audit) throws SQLException {
        long started = System.currentTimeMillis();
        EventContract rules = contract.get();
        Set<String> declared = declaredFields(rules);
        Map<String, Integer> unknownFields = new TreeMap<>();
        List<RawEventRow> rows = new ArrayList<>(records.size());
        List<NewDeadLetter> rejects = new ArrayList<>();
        for (SourceRecord record : records) {
            ValidationResult result = rules.validate(record.value());
            if (result.event() != null) {
                for (Iterator<String> names = result.event().fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!declared.contains(name)) {
                        // the audit row is jsonb too: a name PostgreSQL cannot store is counted by its escape
                        unknownFields.merge(StorageRules.printable(name), 1, Integer::sum);
                    }
                }
            }
            Placement placement = Placement.of(result, record);
            if (placement.isRow()) {
                rows.add(placement.row());
            } else {
                rejects.add(new NewDeadLetter(record, placement.eventId(), NewDeadLetter.classify(placement.reasons()),
                        placement.reasons()));
            }
        }
        int inserted;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                inserted = rawEvents.write(c, rows);
                deadLetters.add(c, rejects);
                if (audit) {
                    recordBatch(c, records, inserted, rows.size() - inserted, rejects.size(), false, unknownFields, started);
                }
                c.commit();
            } catch (SQLException e) {
                Database.rollbackQuietly(c);
                stats.recordFailedAttempt();
                throw TransientDatabaseException.classify(e);
            } catch (RuntimeException e) {
                Database.rollbackQuietly(c);
                stats.recordFailedAttempt();
                throw e;
            }
        } catch (SQLException e) {
            throw TransientDatabaseException.classify(e); // no connection at all
        }
        for (NewDeadLetter reject : rejects) {
            stats.recordRejects(reject.reasons());
        }
        return new BatchOutcome(records.size(), inserted, rows.size() - inserted, rejects.size(), false,
                System.currentTimeMillis() - started);
    }

    private void recordBatch(Connection c, List<SourceRecord> records, int inserted, int duplicates, int dead,
                             boolean isolated, Map<String, Integer> unknownFields, long startedMillis) throws SQLException {
        Map<String, long[]> ranges = new LinkedHashMap<>();
        for (SourceRecord r : records) {
            long[] range = ranges.computeIfAbsent(r.topic() + "/" + r.partition(), k -> new long[] {r.offset(), r.offset()});
            range[0] = Math.min(range[0], r.offset());
            range[1] = Math.max(range[1], r.offset());
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO pipeline.ingest_batches "
                + "(run_id, received, inserted, duplicates, dead_lettered, isolated, offsets, unknown_fields, started_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)")) {
            st.setObject(1, runId);
            st.setInt(2, records.size());
            st.setInt(3, inserted);
            st.setInt(4, duplicates);
            st.setInt(5, dead);
            st.setBoolean(6, isolated);
            st.setString(7, json.writeValueAsString(ranges));
            st.setString(8, json.writeValueAsString(unknownFields));
            st.setTimestamp(9, new Timestamp(startedMillis));
            st.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Top-level properties the schema declares; anything else in an event is schema drift. */
    private Set<String> declaredFields(EventContract current) {
        DeclaredFields cached = declaredFields;
        if (cached == null || cached.contract() != current) {
            Set<String> names = new HashSet<>();
            current.schema().getSchemaNode().path("properties").fieldNames().forEachRemaining(names::add);
            cached = new DeclaredFields(current, Set.copyOf(names));
            declaredFields = cached;
        }
        return cached.names();
    }

    private record DeclaredFields(EventContract contract, Set<String> names) {
    }
}
