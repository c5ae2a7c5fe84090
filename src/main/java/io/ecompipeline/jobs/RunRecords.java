package io.ecompipeline.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run table ({@code pipeline.job_runs}): one row per run of every job, whichever instance ran it. The job registry
 * claims a row (status running) before a run starts and closes it with the run's figures; at most one run of a job is
 * running across the fleet (a partial unique index), so a second claim gets the running run instead. Runs of an
 * instance that stopped heartbeating are closed as abandoned by any live instance.
 *
 * <p>SQL jobs (transform, gold) also set their own columns (hours, rows, steps) inside their transaction, atomic with
 * the data, and the indexing figures; failures and skips are written on a separate connection after the rollback.
 */
public final class RunRecords {

    private static final Logger LOG = LoggerFactory.getLogger(RunRecords.class);
    private static final TypeReference<Map<String, Object>> FIGURES = new TypeReference<>() {
    };
    private static final String COLUMNS = "run_id, job, trigger, status, instance, scheduled_for, started_at, finished_at, "
            + "error, figures";

    /** This runtime's instance id (see {@link Instance}). */
    public static final String INSTANCE = Instance.ID;

    private final DataSource dataSource;
    private final ObjectMapper json;

    public RunRecords(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    // ---------------------------------------------------------------------------------------------- every job

    /**
     * Records a run as running on this instance, unless a run of the same job is running anywhere in the fleet: then
     * nothing is written and that run is returned.
     */
    public Optional<JobRun> claim(String runId, String job, String trigger, Instant scheduledFor) throws SQLException {
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                // DO NOTHING without a target: the conflict is the one-running-run-per-job index (or a reused id)
                try (PreparedStatement st = c.prepareStatement("INSERT INTO pipeline.job_runs (run_id, job, trigger, instance, "
                        + "status, scheduled_for) VALUES (?, ?, ?, ?, 'running', ?) ON CONFLICT DO NOTHING")) {
                    st.setString(1, runId);
                    st.setString(2, job);
                    st.setString(3, trigger);
                    st.setString(4, INSTANCE);
                    bind(st, 5, scheduledFor);
                    if (st.executeUpdate() == 1) {
                        return Optional.empty();
                    }
                }
            }
            Optional<JobRun> running = running(job);
            if (running.isPresent()) {
                return running;
            }
            // the running run finished between the two statements: claim again
        }
        throw new SQLException("could not claim a " + job + " run: the job kept starting and finishing elsewhere");
    }

    /** A scheduled or requested run that did not start because {@code running} holds the job: recorded as skipped. */
    public void skippedFor(String runId, String job, String trigger, Instant scheduledFor, JobRun running) {
        bestEffort("record skipped run " + runId, "INSERT INTO pipeline.job_runs (run_id, job, trigger, instance, status, "
                + "scheduled_for, finished_at, error) VALUES (?, ?, ?, ?, 'skipped', ?, now(), ?) ON CONFLICT DO NOTHING",
                runId, job, trigger, INSTANCE, scheduledFor,
                "already running: " + running.id() + " on " + running.instance());
    }

    /**
     * Closes a run with its outcome and figures. Overwrites every earlier status, including abandoned: a run taken
     * for lost (its instance missed heartbeats) that finishes after all reports what really happened.
     */
    public void finish(String runId, String status, Map<String, Object> figures, String error) throws SQLException {
        try (Connection c = dataSource.getConnection();
             // the self-join's row is the one before this update: its status tells whether the run had been abandoned
             PreparedStatement st = c.prepareStatement("UPDATE pipeline.job_runs AS r SET status = ?, "
                     + "finished_at = clock_timestamp(), figures = ?::jsonb, error = ? FROM pipeline.job_runs AS before "
                     + "WHERE r.run_id = ? AND before.run_id = r.run_id RETURNING before.status")) {
            c.setAutoCommit(true);
            st.setString(1, status);
            st.setString(2, figures == null ? null : json.writeValueAsString(figures));
            st.setString(3, error);
            st.setString(4, runId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    LOG.warn("Run {} has no row to close (purged?); its outcome was {}", runId, status);
                } else if (RunStatus.ABANDONED.equals(rs.getString(1))) {
                    LOG.warn("Run {} had been marked abandoned (its instance missed heartbeats) and finished after all: {}",
                            runId, status);
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the figures of run " + runId, e);
        }
    }

    public Optional<JobRun> find(String runId) throws SQLException {
        List<JobRun> runs = query("SELECT " + COLUMNS + " FROM pipeline.job_runs WHERE run_id = ?", runId);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    /** The run of {@code job} that is running anywhere in the fleet, if any. */
    public Optional<JobRun> running(String job) throws SQLException {
        List<JobRun> runs = query("SELECT " + COLUMNS + " FROM pipeline.job_runs WHERE job = ? AND status = 'running'", job);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    /** The latest runs, newest first; {@code job} null: of every job. */
    public List<JobRun> recent(String job, int limit) throws SQLException {
        return job == null
                ? query("SELECT " + COLUMNS + " FROM pipeline.job_runs ORDER BY started_at DESC LIMIT ?", limit)
                : query("SELECT " + COLUMNS + " FROM pipeline.job_runs WHERE job = ? ORDER BY started_at DESC LIMIT ?", job, limit);
    }

    /**
     * Closes as abandoned every run still marked running whose instance stopped (or stopped heartbeating more than
     * {@code timeout} ago), and those of instances that never heartbeated (runtimes before the fleet table) once they
     * are older than that. Returns the runs it closed.
     */
    public List<JobRun> abandonRunsOfLostInstances(Duration timeout) throws SQLException {
        return query("UPDATE pipeline.job_runs AS r SET status = 'abandoned', finished_at = now(), "
                + "error = 'instance ' || r.instance || CASE WHEN i.instance_id IS NULL THEN ' never heartbeated' "
                + "WHEN i.stopped_at IS NOT NULL THEN ' stopped at ' || i.stopped_at "
                + "ELSE ' missed its heartbeats since ' || i.heartbeat_at END || ' during the run' "
                + "FROM pipeline.job_runs AS o LEFT JOIN pipeline.instances AS i ON i.instance_id = o.instance "
                + "WHERE o.run_id = r.run_id AND r.status = 'running' "
                + "AND (i.stopped_at IS NOT NULL OR i.heartbeat_at < now() - ?::interval "
                + "OR (i.instance_id IS NULL AND r.started_at < now() - ?::interval)) "
                + "RETURNING r.run_id, r.job, r.trigger, r.status, r.instance, r.scheduled_for, r.started_at, r.finished_at, "
                + "r.error, r.figures", interval(timeout), interval(timeout));
    }

    /** Removes finished runs older than {@code retention}; returns how many. */
    public int purge(Duration retention) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM pipeline.job_runs WHERE status <> 'running' "
                     + "AND coalesce(finished_at, started_at) < now() - ?::interval")) {
            c.setAutoCommit(true);
            st.setString(1, interval(retention));
            return st.executeUpdate();
        }
    }

    static String interval(Duration d) {
        return d.toMillis() + " milliseconds";
    }

    private List<JobRun> query(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            c.setAutoCommit(true);
            bind(st, params);
            List<JobRun> runs = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    runs.add(new JobRun(rs.getString("run_id"), rs.getString("job"), rs.getString("trigger"),
                            rs.getString("status"), rs.getString("instance"), instant(rs, "scheduled_for"),
                            instant(rs, "started_at"), instant(rs, "finished_at"), rs.getString("error"),
                            figures(rs.getString("figures"))));
                }
            }
            return runs;
        }
    }

    private Map<String, Object> figures(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return json.readValue(text, FIGURES);
        } catch (JsonProcessingException e) {
            LOG.warn("Unreadable figures of a run ({}): {}", e.getOriginalMessage(), text);
            return new LinkedHashMap<>();
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    // ---------------------------------------------------------------------------------- SQL jobs and indexing

    /**
     * Records that a SQL job run now holds the lock of its job (its row usually exists already: the registry claimed
     * it). Runs of the same job still marked running cannot be (the lock is ours): their runtime died mid-run, so they
     * are closed as abandoned.
     */
    public void started(String runId, String job, String trigger) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement st = c.prepareStatement("UPDATE pipeline.job_runs SET status = 'abandoned', "
                    + "finished_at = now(), error = 'the runtime stopped during the run (found by ' || ? || ')' "
                    + "WHERE job = ? AND status = 'running' AND run_id <> ?")) {
                st.setString(1, runId);
                st.setString(2, job);
                st.setString(3, runId);
                int abandoned = st.executeUpdate();
                if (abandoned > 0) {
                    LOG.warn("{} earlier {} run(s) were still marked running and are now marked abandoned", abandoned, job);
                }
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO pipeline.job_runs (run_id, job, trigger, instance, status) "
                    + "VALUES (?, ?, ?, ?, 'running') ON CONFLICT (run_id) DO UPDATE SET status = 'running', "
                    + "finished_at = NULL, error = NULL")) {
                st.setString(1, runId);
                st.setString(2, job);
                st.setString(3, trigger);
                st.setString(4, INSTANCE);
                st.executeUpdate();
            }
        }
    }

    /**
     * Records the figures of a SQL job run's data transaction, on the run's own connection: they commit with the data.
     * The run stays running: what follows in its route (indexing) is part of it, and the registry closes it at the
     * end; closing it here let the next scheduled run of the job start while this one was still indexing.
     */
    public void succeeded(Connection c, RunResult r) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE pipeline.job_runs SET "
                + "hours_touched = ?, hours = ?, customers = ?, rows_affected = ?, steps = ?::jsonb WHERE run_id = ?")) {
            st.setInt(1, r.periods().size());
            st.setArray(2, c.createArrayOf("timestamptz", r.periods().stream().map(Instant::toString).toArray()));
            Long customers = r.counts().get("customers");
            if (customers == null) {
                st.setNull(3, Types.INTEGER);
            } else {
                st.setInt(3, customers.intValue());
            }
            st.setLong(4, r.rowsAffected());
            st.setString(5, json.writeValueAsString(r.steps()));
            st.setString(6, r.runId());
            st.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the steps of run " + r.runId(), e);
        }
    }

    /** A run that did not get its lock: another instance is running this job. */
    public void skipped(String runId, String job, String trigger, String reason) {
        ended(runId, job, trigger, RunStatus.SKIPPED, reason);
    }

    /** Best effort: the run already failed, a failure to record it is only logged. */
    public void failed(String runId, String job, String trigger, String error) {
        ended(runId, job, trigger, RunStatus.FAILED, error);
    }

    private void ended(String runId, String job, String trigger, String status, String error) {
        bestEffort("record " + status + " run " + runId, "INSERT INTO pipeline.job_runs (run_id, job, trigger, instance, status, "
                + "finished_at, error) VALUES (?, ?, ?, ?, ?, now(), ?) ON CONFLICT (run_id) DO UPDATE SET "
                + "status = EXCLUDED.status, finished_at = now(), error = EXCLUDED.error",
                runId, job, trigger, INSTANCE, status, error);
    }

    /** The indexing figures of a run (a transformation run's own indexing step, or an index run); pending -1: unknown. */
    public void indexed(String runId, String indexStatus, int indexedDocs, int deletedDocs, int pending, String indexError) {
        bestEffort("record the index status of run " + runId, "UPDATE pipeline.job_runs SET index_status = ?, indexed_docs = ?, "
                + "deleted_docs = ?, index_pending = ?, index_error = ? WHERE run_id = ?",
                indexStatus, indexedDocs, deletedDocs, pending < 0 ? null : pending, indexError, runId);
    }

    /** Closes an index run (transformation runs close inside their own transaction). */
    public void finished(String runId, String status, String error) {
        bestEffort("record the end of run " + runId, "UPDATE pipeline.job_runs SET status = ?, finished_at = now(), error = ? "
                + "WHERE run_id = ?", status, error, runId);
    }

    /** One statement on its own auto-committed connection; the run goes on (or already ended) if it fails: logged only. */
    private void bestEffort(String what, String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            c.setAutoCommit(true);
            bind(st, params);
            st.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Could not {}: {}", what, e.getMessage());
        }
    }

    private static void bind(PreparedStatement st, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            bind(st, i + 1, params[i]);
        }
    }

    private static void bind(PreparedStatement st, int index, Object value) throws SQLException {
        if (value == null) {
            st.setNull(index, Types.NULL);
        } else if (value instanceof Instant instant) {
            st.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        } else {
            st.setObject(index, value);
        }
    }
}
