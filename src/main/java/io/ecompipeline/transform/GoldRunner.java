package io.ecompipeline.transform;

import io.ecompipeline.db.AdvisoryLocks;
import io.ecompipeline.jobs.RunRecords;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gold run (job {@code gold}): claims the days and customers the transform runs queued
 * ({@code gold_pending_days}, {@code gold_pending_customers}) and runs {@code sql/gold/NN_*.sql} over them, in one
 * transaction, under its own advisory lock; same scheme as {@link TransformRunner}. Gold tables are rebuilt per
 * day and per customer (a customer's whole history), which costs much more than an hourly transform run, so they
 * have their own, less frequent schedule.
 */
public final class GoldRunner {

    private static final Logger LOG = LoggerFactory.getLogger(GoldRunner.class);
    public static final String JOB = "gold";

    private final DataSource dataSource;
    private final RunRecords records;
    private final ObjectMapper json;
    private final String sqlLocation;
    private final Duration lockTimeout;

    public GoldRunner(DataSource dataSource, RunRecords records, ObjectMapper json, String sqlLocation, Duration lockTimeout) {
        this.dataSource = dataSource;
        this.records = records;
        this.json = json;
        this.sqlLocation = sqlLocation;
        this.lockTimeout = lockTimeout;
    }

    public Map<String, Object> run(String runId, String trigger) throws Exception {
        long t0 = System.nanoTime();
        List<SqlScripts.Script> scripts = SqlScripts.load(sqlLocation);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("run_id", runId);
        boolean started = false;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!AdvisoryLocks.tryTransactionLock(c, AdvisoryLocks.GOLD)) {
                    c.rollback();
                    String reason = "already running: another instance holds the gold lock";
                    records.skipped(runId, JOB, trigger, reason);
                    result.put("status", TransformResult.SKIPPED);
                    result.put("reason", reason);
                    return result;
                }
                records.started(runId, JOB, trigger);
                started = true;
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = " + lockTimeout.toMillis());
                    st.execute("SET LOCAL jit = off");
                    st.execute("CREATE TEMP TABLE run_days (day date PRIMARY KEY) ON COMMIT DROP");
                    st.execute("WITH claimed AS (DELETE FROM gold_pending_days RETURNING day) "
                            + "INSERT INTO run_days (day) SELECT DISTINCT day FROM claimed");
                    st.execute("CREATE TEMP TABLE run_customers (customer_id text PRIMARY KEY) ON COMMIT DROP");
                    st.execute("WITH claimed AS (DELETE FROM gold_pending_customers RETURNING customer_id) "
                            + "INSERT INTO run_customers (customer_id) SELECT DISTINCT customer_id FROM claimed");
                    st.execute("ANALYZE run_days");
                    st.execute("ANALYZE run_customers");
                }
                List<LocalDate> days = days(c);
                int customers = count(c, "SELECT count(*) FROM run_customers");
                List<TransformResult.Step> steps = new ArrayList<>();
                long rows = 0;
                if (!days.isEmpty() || customers > 0) {
                    try (Statement st = c.createStatement()) {
                        // whole days as constant ranges, for the reasons given in TransformRunner.createRunViews
                        String predicate = TransformRunner.rangePredicate(st, "SELECT min(day)::timestamp AT TIME ZONE 'UTC', "
                                + "(max(day) + 1)::timestamp AT TIME ZONE 'UTC' FROM "
                                + "(SELECT day, day - (row_number() OVER (ORDER BY day))::integer AS island FROM run_days) d "
                                + "GROUP BY island ORDER BY 1");
                        st.execute("CREATE OR REPLACE TEMP VIEW run_day_transactions_clean AS SELECT * FROM transactions_clean WHERE "
                                + predicate);
                    }
                    for (SqlScripts.Script script : scripts) {
                        long s0 = System.nanoTime();
                        long affected;
                        try {
                            affected = TransformRunner.execute(c, script.sql());
                        } catch (SQLException e) {
                            throw new SQLException(script.name() + ": " + e.getMessage(), e.getSQLState(), e);
                        }
                        steps.add(new TransformResult.Step(script.name(), affected, (System.nanoTime() - s0) / 1_000_000));
                        rows += affected;
                    }
                    try (Statement st = c.createStatement()) {
                        st.execute("DROP VIEW IF EXISTS run_day_transactions_clean");
                    }
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                finishRecord(c, runId, days, customers, rows, steps);
                c.commit();
                LOG.info("Gold run {}: {} days, {} customers, {} rows in {} ms", runId, days.size(), customers, rows, ms);
                result.put("status", TransformResult.SUCCEEDED);
                result.put("days_touched", days.size());
                if (!days.isEmpty()) {
                    result.put("first_day", days.get(0).toString());
                    result.put("last_day", days.get(days.size() - 1).toString());
                }
                result.put("customers", customers);
                result.put("rows_affected", rows);
                result.put("steps", steps.stream().map(TransformResult.Step::toMap).toList());
                result.put("duration_ms", ms);
                return result;
            } catch (Exception e) {
                Database.rollbackQuietly(c);
                throw e;
            }
        } catch (Exception e) {
            if (started) {
                records.failed(runId, JOB, trigger, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            throw e;
        }
    }

    private static List<LocalDate> days(Connection c) throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT day FROM run_days ORDER BY day")) {
            while (rs.next()) {
                days.add(rs.getObject(1, LocalDate.class));
            }
        }
        return days;
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void finishRecord(Connection c, String runId, List<LocalDate> days, int customers, long rows,
                              List<TransformResult.Step> steps) throws Exception {
        try (PreparedStatement st = c.prepareStatement("UPDATE transform_runs SET status = 'succeeded', "
                + "finished_at = clock_timestamp(), hours_touched = ?, hours = ?, customers = ?, rows_affected = ?, "
                + "steps = ?::jsonb WHERE run_id = ?")) {
            Array array = c.createArrayOf("timestamptz",
                    days.stream().map(d -> d.atStartOfDay().toInstant(ZoneOffset.UTC).toString()).toArray());
            st.setInt(1, days.size());
            st.setArray(2, array);
            st.setInt(3, customers);
            st.setLong(4, rows);
            st.setString(5, json.writeValueAsString(steps));
            st.setString(6, runId);
            st.executeUpdate();
        }
    }
}
