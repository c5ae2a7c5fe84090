package io.ecompipeline.transform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.ecompipeline.db.AdvisoryLocks;
import io.ecompipeline.jobs.RunResult;

/**
 * The catalog job ({@code sql/catalog/NN_*.sql}), run by {@link SqlJobRunner} on its own schedule: rebuilds what the
 * products, inventory and campaigns sources feed — the SCD2 product history, the latest campaign definitions and spend,
 * inventory health as of now (with the low-stock alert queue) — and hands the days whose margins or campaign ROI
 * changed to the gold job. These tables are small (a row per product version, campaign, warehouse), so each run
 * compares a full rebuild with what is stored and rewrites only the differences; the work it claims is the days with
 * new campaign touches ({@code pipeline.attribution_pending_days}, filled by the transform job), whose attribution
 * window it queues for gold. It always runs: inventory health is "as of now".
 */
public final class CatalogJob implements SqlJob {

    public static final String NAME = "catalog";

    /** The thresholds and the attribution window the files read with {@code current_setting('ecom.*')}. */
    public record Thresholds(int velocityDays, double lowCoverDays, double overstockCoverDays, int deadStockDays,
                             Duration attributionWindow) {
    }

    private final Thresholds thresholds;

    public CatalogJob(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int lockKey() {
        return AdvisoryLocks.CATALOG;
    }

    @Override
    public RunResult.Unit unit() {
        return RunResult.Unit.DAY;
    }

    @Override
    public void configure(Connection c) throws SQLException {
        set(c, "ecom.velocity_days", String.valueOf(thresholds.velocityDays()));
        set(c, "ecom.low_cover_days", String.format(Locale.ROOT, "%s", thresholds.lowCoverDays()));
        set(c, "ecom.overstock_cover_days", String.format(Locale.ROOT, "%s", thresholds.overstockCoverDays()));
        set(c, "ecom.dead_stock_days", String.valueOf(thresholds.deadStockDays()));
        set(c, "ecom.attribution_window", TransformJob.postgresInterval(thresholds.attributionWindow()));
    }

    static void set(Connection c, String name, String value) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT set_config(?, ?, true)")) {
            st.setString(1, name);
            st.setString(2, value);
            st.execute();
        }
    }

    @Override
    public Claim claim(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE run_touch_days (day date PRIMARY KEY) ON COMMIT DROP");
            st.execute("WITH claimed AS (DELETE FROM pipeline.attribution_pending_days RETURNING day) "
                    + "INSERT INTO run_touch_days (day) SELECT DISTINCT day FROM claimed");
            List<Instant> days = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT day FROM run_touch_days ORDER BY day")) {
                while (rs.next()) {
                    days.add(rs.getObject(1, LocalDate.class).atStartOfDay().toInstant(ZoneOffset.UTC));
                }
            }
            // never empty: the rebuild runs every time (inventory health is relative to now)
            return new Claim(days, Map.of("rebuilds", 1L));
        }
    }

    @Override
    public void prepare(Connection c) {
        // the files read the raw and clean tables directly; run_touch_days is all the claimed work
    }

    @Override
    public void complete(Connection c) {
        // the files queue the gold days themselves (they know which days changed)
    }
}
