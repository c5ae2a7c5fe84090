package io.ecompipeline.index;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import io.ecompipeline.db.AdvisoryLocks;
import io.ecompipeline.jobs.RunRecords;
import io.ecompipeline.jobs.RunResult;
import io.ecompipeline.jobs.RunStatus;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains {@code pipeline.es_pending_hours} into the {@code hourly_metrics} index: reads a chunk of pending hours with their
 * metrics, sends one bulk request through the {@code index-bulk} route (camel-elasticsearch) with {@code _id} = the
 * hour as an ISO-8601 string, and removes from the queue only the hours whose bulk item succeeded and that were not
 * recomputed meanwhile (same generation). Elasticsearch down or rejecting: the hours stay queued, the next pass
 * (after the next transformation run, or the index job) sends them again. Re-sending is harmless: same _id, same
 * document.
 *
 * <p>A pass holds a session-level advisory lock, so passes never interleave across instances: a later pass always
 * reads metrics at least as new as an earlier one, and an old document can never overwrite a newer one.
 */
public final class HourlyMetricsIndexer {

    private static final Logger LOG = LoggerFactory.getLogger(HourlyMetricsIndexer.class);
    public static final String JOB = "index";

    public static final String INDEXED = "indexed";
    public static final String UP_TO_DATE = "up_to_date";
    public static final String FAILED = "failed";
    public static final String DEFERRED = "deferred";

    static final DateTimeFormatter HOUR_ID = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final DataSource dataSource;
    private final RunRecords records;
    private final HourlyMetricsIndex index;
    private final ProducerTemplate template;
    private final String bulkUri;
    private final int batchSize;
    private final Duration lockWait;

    /** What one pass did. {@code pending} is what is still queued afterwards (-1 if unknown). */
    public record Outcome(String status, int indexed, int deleted, int pending, String error) {

        void putInto(Map<String, Object> m) {
            m.put("index_status", status);
            m.put("indexed_docs", indexed);
            m.put("deleted_docs", deleted);
            if (pending >= 0) {
                m.put("index_pending", pending);
            }
            if (error != null) {
                m.put("index_error", error);
            }
        }
    }

    public HourlyMetricsIndexer(DataSource dataSource, RunRecords records, HourlyMetricsIndex index,
                                ProducerTemplate template, String bulkUri, int batchSize, Duration lockWait) {
        this.dataSource = dataSource;
        this.records = records;
        this.index = index;
        this.template = template;
        this.bulkUri = bulkUri;
        this.batchSize = batchSize;
        this.lockWait = lockWait;
    }

    /** Step of the transform-run route: index what is pending (this run's hours and any left over) and report it. */
    public Map<String, Object> afterTransform(RunResult result) {
        Map<String, Object> m = result.toMap();
        if (!result.succeeded()) {
            return m; // skipped: the instance that holds the lock indexes
        }
        Outcome outcome = pass(null, null);
        records.indexed(result.runId(), outcome.status(), outcome.indexed(), outcome.deleted(), outcome.pending(), outcome.error());
        outcome.putInto(m);
        return m;
    }

    /** The index job: one pass of its own, recorded in pipeline.job_runs; fails when Elasticsearch did not take it all. */
    public Map<String, Object> run(String runId, String trigger) {
        long t0 = System.nanoTime();
        Outcome outcome = pass(runId, trigger);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", runId);
        outcome.putInto(m);
        m.put("duration_ms", (System.nanoTime() - t0) / 1_000_000);
        switch (outcome.status()) {
            case DEFERRED -> records.skipped(runId, JOB, trigger, outcome.error());
            case FAILED -> {
                records.indexed(runId, outcome.status(), outcome.indexed(), outcome.deleted(), outcome.pending(), outcome.error());
                records.finished(runId, RunStatus.FAILED, outcome.error());
                throw new IllegalStateException("indexing failed, " + outcome.pending() + " hours stay pending: " + outcome.error());
            }
            default -> {
                records.indexed(runId, outcome.status(), outcome.indexed(), outcome.deleted(), outcome.pending(), null);
                records.finished(runId, RunStatus.SUCCEEDED, null);
            }
        }
        m.put("status", DEFERRED.equals(outcome.status()) ? RunStatus.SKIPPED : RunStatus.SUCCEEDED);
        if (DEFERRED.equals(outcome.status())) {
            m.put("reason", outcome.error());
        }
        return m;
    }

    /** One pass over the queue. With a runId, the run is recorded as started once the lock is held. */
    private Outcome pass(String runId, String trigger) {
        int indexed = 0;
        int deleted = 0;
        try (Connection c = dataSource.getConnection()) {
            if (!lock(c)) {
                return new Outcome(DEFERRED, 0, 0, -1, "another indexing pass held the index lock for " + lockWait.toSeconds() + "s");
            }
            try {
                if (runId != null) {
                    records.started(runId, JOB, trigger);
                }
                int pending = pendingCount(c);
                if (pending == 0) {
                    return new Outcome(UP_TO_DATE, 0, 0, 0, null);
                }
                try {
                    if (!index.ensureCurrent()) {
                        rebuild(c);
                    }
                } catch (Exception e) {
                    LOG.warn("Elasticsearch index {} not usable, {} hours stay pending: {}", index.name(), pending, describe(e));
                    return new Outcome(FAILED, 0, 0, pending, describe(e));
                }
                String firstRejection = null;
                int rejected = 0;
                Instant after = Instant.EPOCH.minus(Duration.ofDays(365L * 2000));
                while (true) {
                    c.setAutoCommit(false);
                    List<PendingHour> chunk = readChunk(c, after);
                    if (chunk.isEmpty()) {
                        c.commit();
                        break;
                    }
                    List<BulkResponseItem> items;
                    try {
                        items = bulk(index.name(), chunk);
                    } catch (Exception e) {
                        c.rollback();
                        int left = pendingCount(c);
                        LOG.warn("Elasticsearch bulk failed, {} hours stay pending: {}", left, describe(e));
                        return new Outcome(FAILED, indexed, deleted, left, describe(e));
                    }
                    Map<String, BulkResponseItem> byId = new HashMap<>();
                    for (BulkResponseItem item : items) {
                        byId.put(item.id(), item);
                    }
                    List<PendingHour> confirmed = new ArrayList<>();
                    for (PendingHour h : chunk) {
                        BulkResponseItem item = byId.get(h.id());
                        boolean ok = item != null && item.error() == null
                                && (item.status() < 300 || (h.metrics() == null && item.status() == 404));
                        if (ok) {
                            confirmed.add(h);
                            if (h.metrics() == null) {
                                deleted++;
                            } else {
                                indexed++;
                            }
                        } else {
                            rejected++;
                            if (firstRejection == null) {
                                firstRejection = h.id() + ": " + (item == null ? "no item in the bulk response"
                                        : item.error() == null ? "status " + item.status()
                                        : item.error().type() + " " + item.error().reason());
                            }
                        }
                    }
                    removeConfirmed(c, confirmed);
                    c.commit();
                    after = chunk.get(chunk.size() - 1).hour();
                }
                int left = pendingCount(c);
                if (rejected > 0) {
                    String error = rejected + " hours rejected by Elasticsearch, first " + firstRejection;
                    LOG.warn("Indexing: {} documents indexed, {} deleted, {}", indexed, deleted, error);
                    return new Outcome(FAILED, indexed, deleted, left, error);
                }
                LOG.info("Indexed {} hourly documents ({} deleted) into {}; {} hours pending", indexed, deleted, index.name(), left);
                return new Outcome(INDEXED, indexed, deleted, left, null);
            } finally {
                unlock(c);
            }
        } catch (SQLException e) {
            LOG.warn("Indexing pass failed on PostgreSQL: {}", e.getMessage());
            return new Outcome(FAILED, indexed, deleted, -1, "PostgreSQL: " + e.getMessage());
        }
    }

    record PendingHour(Instant hour, long generation, Map<String, Object> metrics) {

        String id() {
            return HOUR_ID.format(hour);
        }
    }

    private List<PendingHour> readChunk(Connection c, Instant after) throws SQLException {
        String sql = "SELECT p.event_hour AS pending_hour, p.generation AS pending_generation, m.* FROM pipeline.es_pending_hours p "
                + "LEFT JOIN marts.hourly_metrics m ON m.event_hour = p.event_hour WHERE p.event_hour > ? ORDER BY p.event_hour LIMIT ?";
        List<PendingHour> chunk = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, after.atOffset(ZoneOffset.UTC));
            st.setInt(2, batchSize);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Instant hour = rs.getObject(1, OffsetDateTime.class).toInstant();
                    // no hourly_metrics row (m.event_hour null): the hour has nothing any more, its document goes
                    Map<String, Object> doc = rs.getObject(3) == null ? null : document(columns(rs, 3));
                    chunk.add(new PendingHour(hour, rs.getLong(2), doc));
                }
            }
        }
        return chunk;
    }

    /**
     * A mapping change (a new {@link HourlyMetricsIndex#VERSION}): every hourly_metrics row goes into the new versioned
     * index, read from PostgreSQL, the source of truth (Elasticsearch's own {@code _reindex} would copy documents of
     * the old shape), then the alias moves to it in one step and the old index goes. Until the swap, searches keep
     * reading the old index whole; hours recomputed meanwhile stay queued and reach the new index through the alias.
     */
    private void rebuild(Connection c) throws Exception {
        String target = index.versionedName();
        long t0 = System.nanoTime();
        int documents = 0;
        Instant after = Instant.EPOCH.minus(Duration.ofDays(365L * 2000));
        String sql = "SELECT * FROM marts.hourly_metrics WHERE event_hour > ? ORDER BY event_hour LIMIT ?";
        while (true) {
            List<PendingHour> chunk = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setObject(1, after.atOffset(ZoneOffset.UTC));
                st.setInt(2, batchSize);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        chunk.add(new PendingHour(rs.getObject("event_hour", OffsetDateTime.class).toInstant(), 0,
                                document(columns(rs, 1))));
                    }
                }
            }
            if (chunk.isEmpty()) {
                break;
            }
            for (BulkResponseItem item : bulk(target, chunk)) {
                if (item.error() != null) {
                    throw new IllegalStateException("rebuilding " + target + ": " + item.id() + " rejected: "
                            + item.error().type() + " " + item.error().reason());
                }
            }
            documents += chunk.size();
            after = chunk.get(chunk.size() - 1).hour();
        }
        index.moveAliasToCurrent();
        LOG.info("Elasticsearch alias {} now points to {}: {} documents re-indexed from PostgreSQL in {} ms", index.name(),
                target, documents, (System.nanoTime() - t0) / 1_000_000);
    }

    /** The columns of the current row from {@code first} on, by name, as JDBC returns them. */
    private static Map<String, Object> columns(ResultSet rs, int first) throws SQLException {
        Map<String, Object> columns = new LinkedHashMap<>();
        for (int i = first; i <= rs.getMetaData().getColumnCount(); i++) {
            columns.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
        }
        return columns;
    }

    /**
     * The Elasticsearch document of one hour: every column of its hourly_metrics row under the column's name (the
     * index mapping declares each one), so a document is the row, field by field. Times become the ISO-8601 hour,
     * numerics doubles; a null stays null.
     */
    static Map<String, Object> document(Map<String, Object> columns) {
        Map<String, Object> doc = new LinkedHashMap<>();
        columns.forEach((name, value) -> {
            if (value instanceof java.sql.Timestamp ts) {
                doc.put(name, HOUR_ID.format(ts.toInstant()));
            } else if (value instanceof OffsetDateTime t) {
                doc.put(name, HOUR_ID.format(t.toInstant()));
            } else if (value instanceof BigDecimal d) {
                doc.put(name, d.doubleValue());
            } else {
                doc.put(name, value);
            }
        });
        return doc;
    }

    @SuppressWarnings("unchecked")
    private List<BulkResponseItem> bulk(String target, List<PendingHour> chunk) throws Exception {
        BulkRequest.Builder bulk = new BulkRequest.Builder().refresh(Refresh.WaitFor);
        for (PendingHour h : chunk) {
            if (h.metrics() == null) {
                // the hour has no transactions (any more): a document from an earlier run must go
                bulk.operations(op -> op.delete(d -> d.index(target).id(h.id())));
            } else {
                bulk.operations(op -> op.index(i -> i.index(target).id(h.id()).document(h.metrics())));
            }
        }
        try {
            List<BulkResponseItem> items = template.requestBody(bulkUri, bulk, List.class);
            return items == null ? List.of() : items;
        } catch (CamelExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void removeConfirmed(Connection c, List<PendingHour> confirmed) throws SQLException {
        if (confirmed.isEmpty()) {
            return;
        }
        String sql = "DELETE FROM pipeline.es_pending_hours p USING unnest(?::timestamptz[], ?::bigint[]) AS d(event_hour, generation) "
                + "WHERE p.event_hour = d.event_hour AND p.generation = d.generation";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setArray(1, c.createArrayOf("timestamptz", confirmed.stream().map(h -> h.hour().toString()).toArray()));
            st.setArray(2, c.createArrayOf("bigint", confirmed.stream().map(PendingHour::generation).toArray()));
            st.executeUpdate();
        }
    }

    private static int pendingCount(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM pipeline.es_pending_hours")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Session-level advisory lock, waiting at most lockWait. */
    private boolean lock(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = " + Math.max(1, lockWait.toMillis()));
            st.execute("SELECT pg_advisory_lock(" + AdvisoryLocks.NAMESPACE + ", " + AdvisoryLocks.INDEX + ")");
            return true;
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) { // lock_not_available
                resetLockTimeout(c);
                return false;
            }
            throw e;
        }
    }

    private static void unlock(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_unlock(" + AdvisoryLocks.NAMESPACE + ", " + AdvisoryLocks.INDEX + ")");
            }
            resetLockTimeout(c);
        } catch (SQLException e) {
            // the connection is broken; the server released the session lock with it
            LOG.debug("unlock failed: {}", e.getMessage());
        }
    }

    private static void resetLockTimeout(Connection c) {
        try (Statement st = c.createStatement()) {
            st.execute("RESET lock_timeout");
        } catch (SQLException e) {
            LOG.debug("RESET lock_timeout failed: {}", e.getMessage());
        }
    }

    static String describe(Throwable e) {
        Throwable t = e;
        StringBuilder sb = new StringBuilder();
        while (t != null) {
            if (!sb.isEmpty()) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
            t = t.getCause();
            if (sb.length() > 600) {
                break;
            }
        }
        return sb.toString();
    }
}
