package io.ecompipeline.transform;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ecompipeline.db.AdvisoryLocks;
import io.ecompipeline.jobs.RunResult;

/**
 * The gold job ({@code sql/gold/NN_*.sql}): claims the days and customers the transform runs queued
 * ({@code pipeline.gold_pending_days}, {@code pipeline.gold_pending_customers}) and rebuilds the gold tables for
 * exactly those, run by {@link SqlJobRunner}. Gold tables are rebuilt per day and per customer (a customer's whole
 * history), which costs much more than an hourly transform run, so the job has its own, less frequent schedule.
 */
public final class GoldJob implements SqlJob {

    public static final String NAME = "gold";

    private final Duration attributionWindow;

    /** @param attributionWindow how long before a purchase a campaign touch counts ({@code ecom.attribution_window}) */
    public GoldJob(Duration attributionWindow) {
        this.attributionWindow = attributionWindow;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int lockKey() {
        return AdvisoryLocks.GOLD;
    }

    @Override
    public RunResult.Unit unit() {
        return RunResult.Unit.DAY;
    }

    @Override
    public void configure(Connection c) throws SQLException {
        CatalogJob.set(c, "ecom.attribution_window", TransformJob.postgresInterval(attributionWindow));
    }

    @Override
    public Claim claim(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE run_days (day date PRIMARY KEY) ON COMMIT DROP");
            st.execute("WITH claimed AS (DELETE FROM pipeline.gold_pending_days RETURNING day) "
                    + "INSERT INTO run_days (day) SELECT DISTINCT day FROM claimed");
            st.execute("CREATE TEMP TABLE run_customers (customer_id text PRIMARY KEY) ON COMMIT DROP");
            st.execute("WITH claimed AS (DELETE FROM pipeline.gold_pending_customers RETURNING customer_id) "
                    + "INSERT INTO run_customers (customer_id) SELECT DISTINCT customer_id FROM claimed");
            st.execute("ANALYZE run_days");
            st.execute("ANALYZE run_customers");
            List<Instant> days = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT day FROM run_days ORDER BY day")) {
                while (rs.next()) {
                    days.add(rs.getObject(1, LocalDate.class).atStartOfDay().toInstant(ZoneOffset.UTC));
                }
            }
            long customers;
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM run_customers")) {
                rs.next();
                customers = rs.getLong(1);
            }
            return new Claim(days, Map.of("customers", customers));
        }
    }

    /** {@code run_day_clean_transactions}: the claimed whole days as constant ranges. */
    @Override
    public void prepare(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            String predicate = SqlJobRunner.rangePredicate(st, "SELECT min(day)::timestamp AT TIME ZONE 'UTC', "
                    + "(max(day) + 1)::timestamp AT TIME ZONE 'UTC' FROM "
                    + "(SELECT day, day - (row_number() OVER (ORDER BY day))::integer AS island FROM run_days) d "
                    + "GROUP BY island ORDER BY 1");
            st.execute("CREATE OR REPLACE TEMP VIEW run_day_clean_transactions AS SELECT * FROM clean.transactions WHERE "
                    + predicate);
        }
    }

    @Override
    public void complete(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP VIEW IF EXISTS run_day_clean_transactions");
        }
    }
}
