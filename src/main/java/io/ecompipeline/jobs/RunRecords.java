package io.ecompipeline.jobs;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run table ({@code pipeline.job_runs}): one row per run of every recorded job (transform, gold, index). A run's row
 * is inserted (status running) on its own auto-committed connection as soon as the run holds its lock, so it is
 * visible while the run works; a successful SQL job sets its figures inside its own transaction (atomic with the
 * data); failures and skips are written on a separate connection after the rollback.
 */
public final class RunRecords {

    private static final Logger LOG = LoggerFactory.getLogger(RunRecords.class);

    /** pid@host of this runtime: tells the instances that share one database apart. */
    public static final String INSTANCE = ManagementFactory.getRuntimeMXBean().getName();

    private final DataSource dataSource;
    private final ObjectMapper json;

    public RunRecords(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /**
     * Records a run that now holds the lock of its job. Runs of the same job still marked running cannot be (the
     * lock is ours): their runtime died mid-run, so they are closed as abandoned.
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
                    + "started_at = now(), finished_at = NULL, error = NULL")) {
                st.setString(1, runId);
                st.setString(2, job);
                st.setString(3, trigger);
                st.setString(4, INSTANCE);
                st.executeUpdate();
            }
        }
    }

    /** Closes a successful SQL job run with its figures, on the run's own connection: it commits with the data. */
    public void succeeded(Connection c, RunResult r) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE pipeline.job_runs SET status = ?, finished_at = clock_timestamp(), "
                + "hours_touched = ?, hours = ?, customers = ?, rows_affected = ?, steps = ?::jsonb WHERE run_id = ?")) {
            st.setString(1, r.status());
            st.setInt(2, r.periods().size());
            st.setArray(3, c.createArrayOf("timestamptz", r.periods().stream().map(Instant::toString).toArray()));
            Long customers = r.counts().get("customers");
            if (customers == null) {
                st.setNull(4, Types.INTEGER);
            } else {
                st.setInt(4, customers.intValue());
            }
            st.setLong(5, r.rowsAffected());
            st.setString(6, json.writeValueAsString(r.steps()));
            st.setString(7, r.runId());
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
            for (int i = 0; i < params.length; i++) {
                if (params[i] == null) {
                    st.setNull(i + 1, Types.NULL);
                } else {
                    st.setObject(i + 1, params[i]);
                }
            }
            st.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Could not {}: {}", what, e.getMessage());
        }
    }
}
