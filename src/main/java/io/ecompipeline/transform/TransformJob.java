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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transform job ({@code sql/transform/NN_*.sql}): recomputes the event hours that new rows touched, run by
 * {@link SqlJobRunner}.
 *
 * <ol>
 * <li>Claim: {@code DELETE FROM pipeline.transform_pending_hours RETURNING event_hour} into the temp table
 * {@code run_hours}. Rows committed by ingest after this statement's snapshot are not claimed and wait for the next
 * run; rows claimed here come from transactions that committed before it, so every later statement of the run sees
 * their events. A session counts in the hour its first event falls in, so the hours where the sessions touched by
 * the claimed hours start (before and after this run) are added; {@code run_ranges} holds all of them as ranges of
 * consecutive hours. When the reporting currency differs from the one the warehouse was built in, every hour is
 * requested first.</li>
 * <li>Run views ({@code run_raw_events}, {@code run_clean_events}, {@code run_clean_transactions},
 * {@code run_clean_sessions}) with those ranges as constants (see
 * {@link SqlJobRunner#rangePredicate}), then the files in name order; each builds one model, deleting and rebuilding
 * its rows for exactly those hours/windows/days/sessions (the contract: {@code sql/README.md}).</li>
 * <li>Hand the work on: the touched days and customers to the gold job ({@code pipeline.gold_pending_days},
 * {@code pipeline.gold_pending_customers}), the hours to Elasticsearch ({@code pipeline.es_pending_hours}, new
 * generation per hour).</li>
 * </ol>
 */
public final class TransformJob implements SqlJob {

    public static final String NAME = "transform";

    private static final Logger LOG = LoggerFactory.getLogger(TransformJob.class);

    /** The [start, end) ranges of consecutive hours in run_hours. */
    private static final String HOUR_RANGES = "SELECT min(event_hour) AS range_start, max(event_hour) + interval '1 hour' "
            + "AS range_end FROM (SELECT event_hour, event_hour - row_number() OVER (ORDER BY event_hour) * interval '1 hour' "
            + "AS island FROM run_hours) h GROUP BY island ORDER BY 1";

    private final Duration lateThreshold;
    private final String reportingCurrency;

    /**
     * @param lateThreshold     an event is late when ingested_at − event_time exceeds this ({@code ecom.late_threshold})
     * @param reportingCurrency ISO 4217 code amounts are converted into ({@code ecom.reporting_currency})
     */
    public TransformJob(Duration lateThreshold, String reportingCurrency) {
        this.lateThreshold = lateThreshold;
        this.reportingCurrency = reportingCurrency;
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
        try (PreparedStatement st = c.prepareStatement(
                "SELECT set_config('ecom.late_threshold', ?, true), set_config('ecom.reporting_currency', ?, true)")) {
            st.setString(1, postgresInterval(lateThreshold));
            st.setString(2, reportingCurrency);
            st.execute();
        }
    }

    @Override
    public Claim claim(Connection c) throws SQLException {
        requestEverythingIfTheReportingCurrencyChanged(c);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE run_hours (event_hour timestamptz PRIMARY KEY) ON COMMIT DROP");
            st.execute("WITH claimed AS (DELETE FROM pipeline.transform_pending_hours RETURNING event_hour) "
                    + "INSERT INTO run_hours (event_hour) SELECT DISTINCT event_hour FROM claimed");
            addSessionStartHours(st);
            // consecutive hours merged into [start, end) ranges: what the run views are built from, and what the files
            // join the small per-window tables on
            st.execute("CREATE TEMP TABLE run_ranges ON COMMIT DROP AS " + HOUR_RANGES);
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
     * A different reporting currency than the warehouse was built in: request every hour and every day with campaign
     * spend, so no table mixes two (the claim right after takes the hours; the gold run after it, the days).
     */
    private void requestEverythingIfTheReportingCurrencyChanged(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("WITH changed AS (INSERT INTO pipeline.warehouse_settings "
                + "(name, value) VALUES ('reporting_currency', ?) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, "
                + "changed_at = now() WHERE warehouse_settings.value <> EXCLUDED.value RETURNING 1) SELECT count(*) FROM changed")) {
            st.setString(1, reportingCurrency);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return;
                }
            }
        }
        // the hours with events, and the days with campaign spend (a spend-only day has no hour to reopen)
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT pipeline.transform_request_hours('-infinity', 'infinity'), pipeline.gold_request_spend_days(NULL)")) {
            rs.next();
            LOG.warn("Reporting currency is now {}: every table is rebuilt in it ({} hours and {} spend days requested)",
                    reportingCurrency, rs.getInt(1), rs.getInt(2));
        }
    }

    /**
     * Sessions with an event in a claimed hour (in clean.events before this run, or in raw.events now) count in the
     * hour of their first event, which may lie outside the claimed hours: add those hours, the old start (from
     * clean.sessions) and the new one (the earliest event: raw.events in the claimed hours, clean.events elsewhere).
     * One step is enough: a session without a changed event keeps its start and its figures.
     */
    private static void addSessionStartHours(Statement st) throws SQLException {
        String claimed = SqlJobRunner.rangePredicate(st, HOUR_RANGES);
        st.execute("CREATE TEMP TABLE run_touched_sessions ON COMMIT DROP AS "
                + "SELECT session_id FROM clean.events WHERE session_id IS NOT NULL AND (" + claimed + ") "
                + "UNION SELECT session_id FROM raw.events WHERE session_id IS NOT NULL AND (" + claimed + ")");
        st.execute("ANALYZE run_touched_sessions");
        st.executeUpdate("INSERT INTO run_hours (event_hour) "
                + "SELECT s.start_hour FROM clean.sessions s JOIN run_touched_sessions t USING (session_id) "
                + "UNION SELECT date_bin('1 hour', min(e.event_time), timestamptz '2000-01-01 00:00:00+00') FROM ("
                + "SELECT session_id, event_time FROM raw.events WHERE session_id IS NOT NULL AND (" + claimed + ") "
                + "UNION ALL SELECT session_id, event_time FROM clean.events JOIN run_touched_sessions USING (session_id) "
                + "WHERE NOT (" + claimed + ")) e GROUP BY e.session_id "
                + "EXCEPT SELECT event_hour FROM run_hours");
    }

    /**
     * The run views over the claimed hours: {@code run_raw_events}, {@code run_clean_events} and
     * {@code run_clean_transactions} (by event time), {@code run_clean_sessions} (sessions starting in those hours);
     * the temp tables {@code run_days} (the UTC
     * days of the claimed hours), {@code run_sessions} (sessions with an event in the claimed hours before or after
     * this run: the ones 15_clean_sessions.sql rebuilds) and {@code run_customers} (customers with transactions in
     * those hours before the files run; {@link #complete} adds those after, so a customer whose events went away is
     * rebuilt too). Temp views have no ON COMMIT DROP, so {@link #complete} drops them again.
     */
    @Override
    public void prepare(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE run_days ON COMMIT DROP AS "
                    + "SELECT DISTINCT (event_hour AT TIME ZONE 'UTC')::date AS day FROM run_hours");
            st.execute("ANALYZE run_days");
            String hours = SqlJobRunner.rangePredicate(st, "SELECT range_start, range_end FROM run_ranges ORDER BY range_start");
            String sessionHours = SqlJobRunner.rangePredicate(st,
                    "SELECT range_start, range_end FROM run_ranges ORDER BY range_start", "started_at");
            st.execute("CREATE OR REPLACE TEMP VIEW run_raw_events AS SELECT * FROM raw.events WHERE " + hours);
            st.execute("CREATE OR REPLACE TEMP VIEW run_clean_events AS SELECT * FROM clean.events WHERE " + hours);
            st.execute("CREATE OR REPLACE TEMP VIEW run_clean_transactions AS SELECT * FROM clean.transactions WHERE " + hours);
            st.execute("CREATE OR REPLACE TEMP VIEW run_clean_sessions AS SELECT * FROM clean.sessions WHERE " + sessionHours);
            st.execute("CREATE TEMP TABLE run_sessions ON COMMIT DROP AS "
                    + "SELECT session_id FROM run_clean_events WHERE session_id IS NOT NULL "
                    + "UNION SELECT session_id FROM run_raw_events WHERE session_id IS NOT NULL");
            st.execute("ANALYZE run_sessions");
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
            st.execute("DROP VIEW IF EXISTS run_raw_events, run_clean_events, run_clean_transactions, run_clean_sessions");
        }
    }

    /** A Java duration as a PostgreSQL interval literal, e.g. PT2M → "120.000 seconds". */
    static String postgresInterval(Duration d) {
        return String.format(Locale.ROOT, "%d.%03d seconds", d.toSeconds(), d.toMillisPart());
    }
}
