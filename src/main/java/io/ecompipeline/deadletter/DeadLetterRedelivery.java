package io.ecompipeline.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.ecompipeline.contract.Contract;
import io.ecompipeline.contract.ValidationResult;
import io.ecompipeline.contract.Violation;
import io.ecompipeline.db.Database;
import io.ecompipeline.persist.RecordSource;
import io.ecompipeline.persist.RecordSources;
import io.ecompipeline.persist.SourceRecord;
import io.ecompipeline.persist.SourceRows;
import io.ecompipeline.persist.StorageRules;
import io.ecompipeline.persist.UnstorableEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redelivers due dead letters through the same contract and the same idempotent writer as live records of their source
 * ({@code pipeline.dead_letters.source}: an event is revalidated by the event contract and written to raw.events, a
 * product by the products contract to raw.products, and so on).
 * Entries are claimed with {@code FOR UPDATE SKIP LOCKED}, so several runtime instances can redeliver at once
 * without touching an entry twice; each batch is one transaction (claim, write rows, update entries, record the
 * attempts), so a crash leaves the entries waiting as they were. Everything PostgreSQL would refuse is found before
 * the write ({@link StorageRules}); should a batch still fail for a reason other than the database being unreachable,
 * its entries are settled one by one, and an entry that cannot be settled at all is left waiting for the next pass
 * instead of failing this one.
 */
public final class DeadLetterRedelivery {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRedelivery.class);

    private static final String CLAIM = "SELECT id, source, event_id, source_topic, source_partition, source_offset, payload, "
            + "attempts FROM pipeline.dead_letters WHERE status = 'waiting' AND next_attempt_at <= now() "
            + "ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
    private static final String MARK_RECOVERED = "UPDATE pipeline.dead_letters SET status = 'recovered', attempts = attempts + 1, "
            + "next_attempt_at = NULL, resolved_at = now(), resolution = 'recovered by redelivery' WHERE id = ?";
    private static final String MARK_FAILED = "UPDATE pipeline.dead_letters SET attempts = ?, reasons = ?::jsonb, "
            + "last_failed_at = now(), status = ?, next_attempt_at = CASE WHEN ? THEN NULL "
            + "ELSE now() + ? * interval '1 millisecond' END WHERE id = ?";
    private static final String RECORD_ATTEMPT = "INSERT INTO pipeline.dead_letter_attempts "
            + "(dead_letter_id, attempt, outcome, reasons, run_id) VALUES (?, ?, ?, ?::jsonb, ?)";

    private final DataSource dataSource;
    private final RecordSources sources;
    private final DeadLetterStore store;
    private final RedeliveryPolicy policy;
    private final UUID runId;

    public DeadLetterRedelivery(DataSource dataSource, RecordSources sources, DeadLetterStore store, RedeliveryPolicy policy,
                                UUID runId) {
        this.dataSource = dataSource;
        this.sources = sources;
        this.store = store;
        this.policy = policy;
        this.runId = runId;
    }

    public RedeliveryPolicy policy() {
        return policy;
    }

    /** Redelivers every entry that is due now, batch by batch, until none is left (or {@code maxEntries}). */
    public RedeliveryOutcome redeliverDue(int maxEntries) throws SQLException {
        RedeliveryOutcome total = RedeliveryOutcome.NONE;
        while (total.claimed() < maxEntries) {
            RedeliveryOutcome batch = redeliverBatch(Math.min(policy.batchSize(), maxEntries - total.claimed()));
            if (batch.claimed() == 0) {
                break;
            }
            total = total.plus(batch);
        }
        if (total.claimed() > 0) {
            LOG.info("Dead-letter redelivery: {} due, {} recovered, {} rescheduled, {} parked", total.claimed(),
                    total.recovered(), total.rescheduled(), total.parked());
        }
        return total;
    }

    private record Claimed(long id, String source, int attempts, SourceRecord record) {
    }

    /** The outcome of revalidating one entry: {@code passed} (its row is staged in its source's rows) or the reasons. */
    private record Verdict(Claimed entry, boolean passed, List<Violation> reasons) {
    }

    /** The rows staged for writing, one set per source. */
    private static final class Staged {
        private final Map<String, SourceRows<?>> bySource = new LinkedHashMap<>();

        int write(Connection c) throws SQLException {
            int written = 0;
            for (SourceRows<?> rows : bySource.values()) {
                written += rows.write(c);
            }
            return written;
        }
    }

    private RedeliveryOutcome redeliverBatch(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Claimed> claimed = claim(c, limit);
                if (claimed.isEmpty()) {
                    c.commit();
                    return RedeliveryOutcome.NONE;
                }
                Staged staged = new Staged();
                List<Verdict> verdicts = judge(claimed, staged);
                RedeliveryOutcome outcome;
                try {
                    staged.write(c);
                    outcome = settle(c, verdicts);
                    c.commit();
                } catch (SQLException e) {
                    rollbackQuietly(c);
                    if (Database.isConnectivityFailure(e)) {
                        throw e;
                    }
                    LOG.warn("Redelivery batch failed ({}); settling its {} entries one by one", e.getMessage(), claimed.size());
                    return oneByOne(claimed);
                }
                return outcome;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    /**
     * After a failed batch: each entry in its own transaction. An entry whose row the database refuses gets that
     * refusal as its reason; one that cannot even be settled so is left waiting (logged), and the pass goes on.
     */
    private RedeliveryOutcome oneByOne(List<Claimed> entries) throws SQLException {
        RedeliveryOutcome total = RedeliveryOutcome.NONE;
        for (Claimed entry : entries) {
            try {
                total = total.plus(settleAlone(entry));
            } catch (SQLException e) {
                if (Database.isConnectivityFailure(e)) {
                    throw e;
                }
                LOG.warn("Dead letter {} could not be settled ({}); it stays waiting for the next pass", entry.id(),
                        e.getMessage());
            }
        }
        return total;
    }

    /** One entry in a transaction of its own: claimed again, its row written (if it passes), settled. */
    private RedeliveryOutcome settleAlone(Claimed entry) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // claim again: another instance may have taken it since the failed batch rolled back
                if (!lockIfStillDue(c, entry.id())) {
                    c.commit();
                    return RedeliveryOutcome.NONE;
                }
                Staged staged = new Staged();
                Verdict verdict = judge(List.of(entry), staged).get(0);
                if (verdict.passed()) {
                    try (var sp = new Savepoint(c)) {
                        staged.write(c);
                        sp.release();
                    } catch (SQLException e) {
                        if (Database.isConnectivityFailure(e)) {
                            throw e;
                        }
                        verdict = new Verdict(entry, false, List.of(new Violation("processing.persist_failed", "$",
                                e.getClass().getSimpleName() + ": " + e.getMessage())));
                    }
                }
                RedeliveryOutcome outcome = settle(c, List.of(verdict));
                c.commit();
                return outcome;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private List<Claimed> claim(Connection c, int limit) throws SQLException {
        List<Claimed> claimed = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(CLAIM)) {
            st.setInt(1, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new Claimed(rs.getLong("id"), rs.getString("source"), rs.getInt("attempts"), new SourceRecord(
                            rs.getString("source_topic"), rs.getInt("source_partition"), rs.getLong("source_offset"),
                            rs.getBytes("payload"))));
                }
            }
        }
        return claimed;
    }

    private static boolean lockIfStillDue(Connection c, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM pipeline.dead_letters WHERE id = ? AND status = 'waiting' "
                + "AND next_attempt_at <= now() FOR UPDATE SKIP LOCKED")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private List<Verdict> judge(List<Claimed> claimed, Staged staged) {
        Map<String, Contract> contracts = new HashMap<>(); // read once per batch, like live ingest
        List<Verdict> verdicts = new ArrayList<>(claimed.size());
        for (Claimed entry : claimed) {
            if (!sources.contains(entry.source())) {
                verdicts.add(new Verdict(entry, false, List.of(new Violation("processing.unknown_source", "$",
                        "no source '" + entry.source() + "' in this runtime (known: " + sources.names() + ")"))));
                continue;
            }
            RecordSource<?> source = sources.get(entry.source());
            Contract contract = contracts.computeIfAbsent(source.name(), n -> source.contract().get());
            ValidationResult result = contract.validate(entry.record().value());
            if (!result.valid()) {
                verdicts.add(new Verdict(entry, false, StorageRules.withStorageReasons(result, entry.record().value())));
                continue;
            }
            try {
                stage(staged, source, result, entry.record());
                verdicts.add(new Verdict(entry, true, List.of()));
            } catch (UnstorableEventException e) {
                verdicts.add(new Verdict(entry, false, e.violations()));
            }
        }
        return verdicts;
    }

    private static <R> void stage(Staged staged, RecordSource<R> source, ValidationResult result, SourceRecord record)
            throws UnstorableEventException {
        @SuppressWarnings("unchecked") // keyed by the source's name: the rows there are this source's
        SourceRows<R> rows = (SourceRows<R>) staged.bySource.computeIfAbsent(source.name(), n -> source.newRows());
        rows.add(result.event(), record);
    }

    private RedeliveryOutcome settle(Connection c, List<Verdict> verdicts) throws SQLException {
        int recovered = 0;
        int rescheduled = 0;
        int parked = 0;
        try (PreparedStatement ok = c.prepareStatement(MARK_RECOVERED);
             PreparedStatement failed = c.prepareStatement(MARK_FAILED);
             PreparedStatement attempt = c.prepareStatement(RECORD_ATTEMPT)) {
            for (Verdict v : verdicts) {
                int attempts = v.entry().attempts() + 1;
                String outcome;
                String reasons = null;
                if (v.passed()) {
                    ok.setLong(1, v.entry().id());
                    ok.addBatch();
                    outcome = "recovered";
                    recovered++;
                } else {
                    boolean park = policy.exhausted(attempts);
                    reasons = store.reasonsJson(v.reasons());
                    failed.setInt(1, attempts);
                    failed.setString(2, reasons);
                    failed.setString(3, park ? "parked" : "waiting");
                    failed.setBoolean(4, park);
                    failed.setLong(5, policy.delayAfter(attempts).toMillis());
                    failed.setLong(6, v.entry().id());
                    failed.addBatch();
                    outcome = park ? "parked" : "failed";
                    if (park) {
                        parked++;
                    } else {
                        rescheduled++;
                    }
                }
                attempt.setLong(1, v.entry().id());
                attempt.setInt(2, attempts);
                attempt.setString(3, outcome);
                attempt.setString(4, reasons);
                attempt.setObject(5, runId);
                attempt.addBatch();
            }
            ok.executeBatch();
            failed.executeBatch();
            attempt.executeBatch();
        }
        return new RedeliveryOutcome(verdicts.size(), recovered, rescheduled, parked);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken anyway; the pool discards it
        }
    }

    /** A savepoint that rolls back unless released, so one failed write does not abort the whole transaction. */
    private static final class Savepoint implements AutoCloseable {
        private final Connection connection;
        private final java.sql.Savepoint savepoint;
        private boolean released;

        Savepoint(Connection connection) throws SQLException {
            this.connection = connection;
            this.savepoint = connection.setSavepoint();
        }

        void release() throws SQLException {
            connection.releaseSavepoint(savepoint);
            released = true;
        }

        @Override
        public void close() throws SQLException {
            if (!released) {
                connection.rollback(savepoint);
            }
        }
    }
}
