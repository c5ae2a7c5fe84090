package io.ecompipeline.transform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.ecompipeline.db.AdvisoryLocks;
import io.ecompipeline.jobs.RunResult;

/**
 * The transform job ({@code sql/transform/NN_*.sql}): recomputes the event hours that new rows touched, run by
 * {@link SqlJobRunner}.
 *
 * <ol>
 * <li>Claim: {@code DELETE FROM pipeline.transform_pending_hours RETURNING event_hour} into the temp table
 * {@code run_hours} (and {@code run_ranges}: the same hours as ranges of consecutive hours). Rows committed by ingest
 * after this statement's snapshot are not claimed and wait for the next run; rows claimed here come from transactions
 * that committed before it, so every later statement of the run sees their events.</li>
 * <li>Run views ({@code run_raw_events}, {@code run_clean_transactions}) with those ranges as constants (see
 * {@link SqlJobRunner#rangePredicate}), then the files in name order; each builds one model, deleting and rebuilding
 * its rows for exactly those hours/windows/days (the contract: {@code sql/README.md}).</li>
 * <li>Hand the work on: the touched days and customers to the gold job ({@code pipeline.gold_pending_days},
 * {@code pipeline.gold_pending_customers}), the hours to Elasticsearch ({@code pipeline.es_pending_hours}, new
 * generation per hour).</li>
 * </ol>
 */
public final class TransformJob implements SqlJob {

    public static final String NAME = "transform";

    private final Duration lateThreshold;

    /** @param lateThreshold an event is late when ingested_at − event_time exceeds this ({@code ecom.late_threshold}) */
    public TransformJob(Duration lateThreshold) {
        this.lateThreshold = lateThreshold;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int lockKey() {
        return AdvisoryLocks.TRANSFORM;
    }

    @Override
    public RunResult.Unit unit() {
        return RunResult.Unit.HOUR;
    }

    @Override
    public void configure(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT set_config('ecom.late_threshold', ?, true)")) {
            st.setString(1, postgresInterval(lateThreshold));
            st.execute();
        }
    }

    @Override
    public Claim claim(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE run_hours (event_hour timestamptz PRIMARY KEY) ON COMMIT DROP");
            st.execute("WITH claimed AS (DELETE FROM pipeline.transform_pending_hours RETURNING event_hour) "
                    + "INSERT INTO run_hours (event_hour) SELECT DISTINCT event_hour FROM claimed");
            // consecutive hours merged into [start, end) ranges: what the run views are built from, and what the files
            // join the small per-window tables on
            st.execute("CREATE TEMP TABLE run_ranges ON COMMIT DROP AS "
                    + "SELECT min(event_hour) AS range_start, max(event_hour) + interval '1 hour' AS range_end "
                    + "FROM (SELECT event_hour, event_hour - row_number() OVER (ORDER BY event_hour) * interval '1 hour' AS island "
                    + "FROM run_hours) h GROUP BY island");
            // temp tables are never auto-analyzed; without statistics the planner guesses badly on big runs
            st.execute("ANALYZE run_hours");
            st.execute("ANALYZE run_ranges");
            List<Instant> hours = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT event_hour FROM run_hours ORDER BY event_hour")) {
                while (rs.next()) {
                    hours.add(rs.getObject(1, OffsetDateTime.class).toInstant());
                }
            }
            return new Claim(hours, Map.of());
        }
    }

    /**
     * {@code run_raw_events} and {@code run_clean_transactions}: the claimed hours of the two per-event tables; the
     * temp table {@code run_days}: the UTC days of the claimed hours; and {@code run_customers}: the customers with
     * transactions in those hours before the files run ({@link #complete} adds those after, so a customer whose events
     * went away is rebuilt too). Temp views have no ON COMMIT DROP, so {@link #complete} drops them again.
     */
    @Override
    public void prepare(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE run_days ON COMMIT DROP AS "
                    + "SELECT DISTINCT (event_hour AT TIME ZONE 'UTC')::date AS day FROM run_hours");
            st.execute("ANALYZE run_days");
            String hours = SqlJobRunner.rangePredicate(st, "SELECT range_start, range_end FROM run_ranges ORDER BY range_start");
            st.execute("CREATE OR REPLACE TEMP VIEW run_raw_events AS SELECT * FROM raw.events WHERE " + hours);
            st.execute("CREATE OR REPLACE TEMP VIEW run_clean_transactions AS SELECT * FROM clean.transactions WHERE " + hours);
            st.execute("CREATE TEMP TABLE run_customers ON COMMIT DROP AS "
                    + "SELECT DISTINCT customer_id FROM run_clean_transactions WHERE customer_id IS NOT NULL");
        }
    }

    /**
     * The gold job gets the touched days and customers (it rebuilds a customer's whole history and a whole day, which
     * costs far more than this run, on its own schedule); every recomputed hour goes (again) to Elasticsearch, and a
     * new generation tells an in-flight indexer it is stale.
     */
    @Override
    public void complete(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO run_customers (customer_id) SELECT DISTINCT customer_id FROM run_clean_transactions "
                    + "WHERE customer_id IS NOT NULL EXCEPT SELECT customer_id FROM run_customers");
            st.executeUpdate("INSERT INTO pipeline.gold_pending_days (day) SELECT day FROM run_days");
            st.executeUpdate("INSERT INTO pipeline.gold_pending_customers (customer_id) SELECT customer_id FROM run_customers");
            st.executeUpdate("INSERT INTO pipeline.es_pending_hours (event_hour) SELECT event_hour FROM run_hours "
                    + "ON CONFLICT (event_hour) DO UPDATE SET generation = EXCLUDED.generation");
            st.execute("DROP VIEW IF EXISTS run_raw_events, run_clean_transactions");
        }
    }

    /** A Java duration as a PostgreSQL interval literal, e.g. PT2M → "120.000 seconds". */
    static String postgresInterval(Duration d) {
        return String.format(Locale.ROOT, "%d.%03d seconds", d.toSeconds(), d.toMillisPart());
    }
}
