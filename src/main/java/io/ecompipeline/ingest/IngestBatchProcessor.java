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
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.contract.Contract;
import io.ecompipeline.contract.ValidationResult;
import io.ecompipeline.contract.Violation;
import io.ecompipeline.db.Database;
import io.ecompipeline.db.TransientDatabaseException;
import io.ecompipeline.deadletter.DeadLetterStore;
import io.ecompipeline.deadletter.NewDeadLetter;
import io.ecompipeline.persist.RecordSource;
import io.ecompipeline.persist.RecordSources;
import io.ecompipeline.persist.SourceRecord;
import io.ecompipeline.persist.SourceRows;
import io.ecompipeline.persist.StorageRules;
import io.ecompipeline.persist.UnstorableEventException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest step of every Kafka route (events, products, inventory, campaigns) and of the products API poll:
 * validates every record of a batch against its source's contract and places each one in exactly one place, the
 * source's raw table or {@code pipeline.dead_letters}, in a single transaction. The route commits the Kafka offsets
 * only after this returns, so a crash at any point re-reads the batch and the idempotent writes make the replay
 * harmless. The route names its source in the exchange property {@value #SOURCE_PROPERTY} (events when absent).
 */
public final class IngestBatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(IngestBatchProcessor.class);
    public static final String OUTCOME_PROPERTY = "ingestOutcome";
    /** Exchange property naming the source of a batch (set by its route); events when absent. */
    public static final String SOURCE_PROPERTY = "ingestSource";
    /** Exchange property with the accepted records of the placed batch ({@link Accepted}), for the clean topic. */
    public static final String ACCEPTED_PROPERTY = "ingestAccepted";

    /** A record the contract accepted (stored now or before): its id and its bytes as consumed. */
    public record Accepted(String id, byte[] value) {
    }

    private final DataSource dataSource;
    private final RecordSources sources;
    private final DeadLetterStore deadLetters;
    private final IngestStats stats;
    private final ObjectMapper json;
    private final UUID runId;
    private final Map<String, DeclaredFields> declaredFields = new ConcurrentHashMap<>();

    public IngestBatchProcessor(DataSource dataSource, RecordSources sources, DeadLetterStore deadLetters, IngestStats stats,
                                ObjectMapper json, UUID runId) {
        this.dataSource = dataSource;
        this.sources = sources;
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
        Placement placed = place(sources.get(sourceOf(batch)), SourceRecord.fromBatch(batch), true);
        stats.recordBatch(placed.outcome());
        batch.setProperty(OUTCOME_PROPERTY, placed.outcome());
        batch.setProperty(ACCEPTED_PROPERTY, placed.accepted());
    }

    /**
     * Places records that did not come from a Kafka route (the products API poll) exactly like a consumed batch: rows
     * and dead letters of {@code source} in one transaction, audited.
     */
    public BatchOutcome place(String source, List<SourceRecord> records) throws SQLException {
        BatchOutcome outcome = place(sources.get(source), records, true).outcome();
        stats.recordBatch(outcome);
        return outcome;
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
        RecordSource<?> source = sources.get(sourceOf(batch));
        LOG.warn("Batch of {} {} records failed as a whole ({}); placing them record by record", records.size(), source.name(),
                cause == null ? "unknown error" : cause.getMessage());
        long started = System.currentTimeMillis();
        int inserted = 0;
        int duplicates = 0;
        int dead = 0;
        List<Accepted> accepted = new ArrayList<>();
        Map<String, Integer> rejectsByRule = new TreeMap<>();
        for (SourceRecord record : records) {
            try {
                Placement one = place(source, List.of(record), false);
                inserted += one.outcome().inserted();
                duplicates += one.outcome().duplicates();
                dead += one.outcome().deadLettered();
                accepted.addAll(one.accepted());
                one.rejectsByRule().forEach((rule, n) -> rejectsByRule.merge(rule, n, Integer::sum));
            } catch (SQLException | RuntimeException e) {
                if (Database.isConnectivityFailure(e)) {
                    throw e;
                }
                List<Violation> reasons = List.of(new Violation("processing.persist_failed", "$",
                        e.getClass().getSimpleName() + ": " + e.getMessage()));
                String eventId = StorageRules.storableOrNull(source.contract().get().validate(record.value()).eventId());
                try (Connection c = dataSource.getConnection()) {
                    deadLetters.add(c, List.of(new NewDeadLetter(source.name(), record, eventId, NewDeadLetter.PROCESSING, reasons)));
                }
                stats.recordRejects(reasons);
                countRules(reasons, rejectsByRule);
                dead++;
            }
        }
        try (Connection c = dataSource.getConnection()) {
            recordBatch(c, source.name(), records, new BatchCounts(inserted, duplicates, dead, Map.of(), rejectsByRule), true, started);
        }
        BatchOutcome outcome = new BatchOutcome(records.size(), inserted, duplicates, dead, true,
                System.currentTimeMillis() - started);
        stats.recordBatch(outcome);
        batch.setProperty(OUTCOME_PROPERTY, outcome);
        batch.setProperty(ACCEPTED_PROPERTY, accepted);
        LOG.info("Isolated batch placed: {}", outcome);
    }

    private record Placement(BatchOutcome outcome, List<Accepted> accepted, Map<String, Integer> rejectsByRule) {
    }

    /** What a batch's audit row counts besides its records and offsets. */
    private record BatchCounts(int inserted, int duplicates, int deadLettered, Map<String, Integer> unknownFields,
                               Map<String, Integer> rejectsByRule) {
    }

    private <R> Placement place(RecordSource<R> source, List<SourceRecord> records, boolean audit) throws SQLException {
        long started = System.currentTimeMillis();
        Contract rules = source.contract().get();
        Set<String> declared = declaredFields(source.name(), rules);
        Map<String, Integer> unknownFields = new TreeMap<>();
        SourceRows<R> rows = source.newRows();
        List<Accepted> accepted = new ArrayList<>(records.size());
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
            String eventId = StorageRules.storableOrNull(result.eventId());
            if (result.valid()) {
                try {
                    rows.add(result.event(), record);
                    accepted.add(new Accepted(result.eventId(), record.value()));
                    continue;
                } catch (UnstorableEventException e) {
                    rejects.add(new NewDeadLetter(source.name(), record, eventId, NewDeadLetter.classify(e.violations()),
                            e.violations()));
                }
            } else {
                List<Violation> reasons = StorageRules.withStorageReasons(result, record.value());
                rejects.add(new NewDeadLetter(source.name(), record, eventId, NewDeadLetter.classify(reasons), reasons));
            }
        }
        Map<String, Integer> rejectsByRule = new TreeMap<>();
        for (NewDeadLetter reject : rejects) {
            countRules(reject.reasons(), rejectsByRule);
        }
        int inserted;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                inserted = rows.write(c);
                deadLetters.add(c, rejects);
                if (audit) {
                    recordBatch(c, source.name(), records, new BatchCounts(inserted, rows.size() - inserted, rejects.size(),
                            unknownFields, rejectsByRule), false, started);
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
        return new Placement(new BatchOutcome(records.size(), inserted, rows.size() - inserted, rejects.size(), false,
                System.currentTimeMillis() - started), accepted, rejectsByRule);
    }

    /** Adds one dead letter to the per-rule counts: once under each rule among its reasons. */
    private static void countRules(List<Violation> reasons, Map<String, Integer> rejectsByRule) {
        Set<String> rules = new HashSet<>();
        for (Violation reason : reasons) {
            rules.add(reason.rule() == null ? "unknown" : reason.rule());
        }
        rules.forEach(rule -> rejectsByRule.merge(rule, 1, Integer::sum));
    }

    private void recordBatch(Connection c, String source, List<SourceRecord> records, BatchCounts counts, boolean isolated,
                             long startedMillis) throws SQLException {
        Map<String, long[]> ranges = new LinkedHashMap<>();
        for (SourceRecord r : records) {
            long[] range = ranges.computeIfAbsent(r.topic() + "/" + r.partition(), k -> new long[] {r.offset(), r.offset()});
            range[0] = Math.min(range[0], r.offset());
            range[1] = Math.max(range[1], r.offset());
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO pipeline.ingest_batches "
                + "(run_id, source, received, inserted, duplicates, dead_lettered, isolated, offsets, unknown_fields, rejects_by_rule, "
                + "started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?)")) {
            st.setObject(1, runId);
            st.setString(2, source);
            st.setInt(3, records.size());
            st.setInt(4, counts.inserted());
            st.setInt(5, counts.duplicates());
            st.setInt(6, counts.deadLettered());
            st.setBoolean(7, isolated);
            st.setString(8, json.writeValueAsString(ranges));
            st.setString(9, json.writeValueAsString(counts.unknownFields()));
            st.setString(10, json.writeValueAsString(counts.rejectsByRule()));
            st.setTimestamp(11, new Timestamp(startedMillis));
            st.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Top-level properties the schema declares; anything else in a record is schema drift. */
    private Set<String> declaredFields(String source, Contract current) {
        DeclaredFields cached = declaredFields.get(source);
        if (cached == null || cached.contract() != current) {
            Set<String> names = new HashSet<>();
            current.schema().getSchemaNode().path("properties").fieldNames().forEachRemaining(names::add);
            cached = new DeclaredFields(current, Set.copyOf(names));
            declaredFields.put(source, cached);
        }
        return cached.names();
    }

    private static String sourceOf(Exchange batch) {
        String source = batch.getProperty(SOURCE_PROPERTY, String.class);
        return source == null || source.isBlank() ? RecordSource.EVENTS : source;
    }

    private record DeclaredFields(Contract contract, Set<String> names) {
    }
}
