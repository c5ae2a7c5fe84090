package io.ecompipeline.quality;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.ecompipeline.observe.Alerts;


/**
 * The data-quality report over a recent window (default one hour): completeness (valid share of records), rejects
 * by rule (records dead-lettered by the window's batches, under each rule they broke), duplicates, schema drift
 * (top-level fields the contract does not know), volume against the same window in the previous 24 hours, freshness,
 * and FX coverage (transactions of the last 7 event days that could not be converted into the reporting currency for
 * want of a rate: left out of every amount). Each check has a threshold and a status; Airflow's quality DAG fails on a
 * breach. The report also lists the latest anomaly verdicts ({@code pipeline.quality_anomalies}, written by
 * {@link AnomalyDetector}) and the open alerts.
 *
 * <p>Generating the report only reads: {@code GET /api/quality} may be called as often as anyone likes. Alerts on
 * breached checks are raised by {@link QualityMonitor} on its own schedule. It judges the events source only: the
 * other sources have other volumes and rhythms (a re-polled unchanged catalog is all "duplicates"), which would blur
 * every figure.
 */
public final class QualityReport {

    /** The condition on {@code source} (ingest batches, dead letters) that keeps the report to events. */
    private static final String EVENTS = "source = 'events'";


    /** Thresholds, all configurable. */
    public record Thresholds(Duration window, double minCompleteness, double maxDuplicateRatio, int maxDriftFields,
                             double minVolumeRatio, double maxVolumeRatio, Duration maxStaleness) {
    }

    /** The checks every report has, in its order (gauges exist for each from start-up). */
    public static final List<String> CHECKS = List.of("completeness", "duplicates", "schema_drift", "volume", "freshness",
            "fx_coverage");

    private final DataSource dataSource;
    private final Thresholds thresholds;
    private final Alerts alerts;
    private final Duration anomalyLookback;

    public QualityReport(DataSource dataSource, Thresholds thresholds, Alerts alerts, Duration anomalyLookback) {
        this.dataSource = dataSource;
        this.thresholds = thresholds;
        this.alerts = alerts;
        this.anomalyLookback = anomalyLookback;
    }

    /** The report, computed now from the database; reads only. */
    public Map<String, Object> generate() throws SQLException {
        long windowSeconds = thresholds.window().toSeconds();
        List<Map<String, Object>> checks = new ArrayList<>();
        Map<String, Object> report = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            long[] batch = longs(c, "SELECT coalesce(sum(received), 0), coalesce(sum(inserted), 0), "
                    + "coalesce(sum(duplicates), 0), coalesce(sum(dead_lettered), 0) FROM pipeline.ingest_batches "
                    + "WHERE " + EVENTS + " AND finished_at >= now() - ? * interval '1 second'", windowSeconds);
            long received = batch[0];
            long valid = batch[1] + batch[2];
            double completeness = received == 0 ? 1.0 : (double) valid / received;
            checks.add(check("completeness", completeness, thresholds.minCompleteness(), completeness >= thresholds.minCompleteness(),
                    valid + " of " + received + " records valid in the window"));
            double duplicateRatio = received == 0 ? 0.0 : (double) batch[2] / received;
            checks.add(check("duplicates", duplicateRatio, thresholds.maxDuplicateRatio(),
                    duplicateRatio <= thresholds.maxDuplicateRatio(), batch[2] + " replayed or duplicate events"));

            Map<String, Long> drift = new LinkedHashMap<>();
            try (PreparedStatement st = c.prepareStatement("SELECT f.key, sum(f.value::bigint) FROM pipeline.ingest_batches b, "
                    + "jsonb_each_text(b.unknown_fields) f WHERE b." + EVENTS
                    + " AND b.finished_at >= now() - ? * interval '1 second' "
                    + "GROUP BY 1 ORDER BY 2 DESC")) {
                st.setLong(1, windowSeconds);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        drift.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            checks.add(check("schema_drift", drift.size(), thresholds.maxDriftFields(), drift.size() <= thresholds.maxDriftFields(),
                    drift.isEmpty() ? "no unknown top-level fields" : "unknown top-level fields (occurrences): " + drift));

            long[] volume = longs(c, "SELECT coalesce(sum(received) FILTER (WHERE finished_at >= now() - ? * interval '1 second'), 0), "
                    + "coalesce(sum(received) FILTER (WHERE finished_at < now() - ? * interval '1 second'), 0), "
                    + "min(finished_at) < now() - interval '23 hours' FROM pipeline.ingest_batches "
                    + "WHERE " + EVENTS + " AND finished_at >= now() - interval '24 hours' - ? * interval '1 second'",
                    windowSeconds, windowSeconds, windowSeconds);
            double windowsInDay = Math.max(1.0, 86_400.0 / windowSeconds);
            double expected = volume[1] / windowsInDay;
            boolean enoughHistory = volume[2] == 1 && expected > 0;
            double ratio = enoughHistory ? volume[0] / expected : 1.0;
            checks.add(check("volume", ratio, thresholds.minVolumeRatio(),
                    !enoughHistory || (ratio >= thresholds.minVolumeRatio() && ratio <= thresholds.maxVolumeRatio()),
                    enoughHistory ? volume[0] + " records in the window vs " + Math.round(expected)
                            + " per window over the previous 24 h (allowed ratio " + thresholds.minVolumeRatio() + " to "
                            + thresholds.maxVolumeRatio() + ")"
                            : "less than a day of history: not judged yet"));

            Instant last = null;
            try (PreparedStatement st = c.prepareStatement("SELECT max(finished_at) FROM pipeline.ingest_batches WHERE " + EVENTS);
                 ResultSet rs = st.executeQuery()) {
                if (rs.next() && rs.getTimestamp(1) != null) {
                    last = rs.getTimestamp(1).toInstant();
                }
            }
            long staleness = last == null ? -1 : Duration.between(last, Instant.now()).toSeconds();
            checks.add(check("freshness", staleness, thresholds.maxStaleness().toSeconds(),
                    last != null && staleness <= thresholds.maxStaleness().toSeconds(),
                    last == null ? "nothing ingested yet" : "last batch " + staleness + " s ago"));

            Map<String, Long> unconverted = new LinkedHashMap<>();
            try (PreparedStatement st = c.prepareStatement("SELECT coalesce(currency, 'unknown') || ' on ' || event_date, count(*) "
                    + "FROM clean.transactions WHERE NOT is_converted AND event_date >= current_date - 7 GROUP BY 1 ORDER BY 2 DESC, 1");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    unconverted.put(rs.getString(1), rs.getLong(2));
                }
            }
            long unconvertedTotal = unconverted.values().stream().mapToLong(Long::longValue).sum();
            checks.add(check("fx_coverage", unconvertedTotal, 0, unconvertedTotal == 0, unconverted.isEmpty()
                    ? "every transaction of the last 7 days converted into the reporting currency"
                    : "transactions without an FX rate (left out of amounts; load rates into raw.fx_rates): " + unconverted));

            Map<String, Long> rejects = new LinkedHashMap<>();
            // counted by each batch as it dead-lettered them (V151), not by expanding every dead letter's reasons
            try (PreparedStatement st = c.prepareStatement("SELECT f.key, sum(f.value::bigint) FROM pipeline.ingest_batches b, "
                    + "jsonb_each_text(b.rejects_by_rule) f WHERE b." + EVENTS
                    + " AND b.finished_at >= now() - ? * interval '1 second' "
                    + "GROUP BY 1 ORDER BY 2 DESC, 1")) {
                st.setLong(1, windowSeconds);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        rejects.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            long[] sla = longs(c, "SELECT coalesce(sum(received), 0), count(*), coalesce(percentile_cont(0.5) WITHIN GROUP "
                    + "(ORDER BY extract(epoch FROM finished_at - started_at) * 1000), 0)::bigint, coalesce(percentile_cont(0.95) "
                    + "WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at) * 1000), 0)::bigint, "
                    + "coalesce(extract(epoch FROM max(finished_at) - min(started_at)), 0)::bigint FROM pipeline.ingest_batches "
                    + "WHERE " + EVENTS + " AND finished_at >= now() - ? * interval '1 second'", windowSeconds);
            Map<String, Object> throughput = new LinkedHashMap<>();
            throughput.put("records", sla[0]);
            throughput.put("batches", sla[1]);
            throughput.put("recordsPerSecondWhileBusy", sla[4] > 0 ? sla[0] / sla[4] : sla[0]);
            throughput.put("batchMillisP50", sla[2]);
            throughput.put("batchMillisP95", sla[3]);
            report.put("throughput", throughput);
            report.put("generatedAt", Instant.now().toString());
            report.put("window", thresholds.window().toString());
            report.put("records", received);
            report.put("checks", checks);
            report.put("rejectsByRule", rejects);
            report.put("anomalies", anomalies(c));
        }
        List<String> breached = checks.stream().filter(ch -> "breach".equals(ch.get("status")))
                .map(ch -> ch.get("name") + " (" + ch.get("detail") + ")").toList();
        report.put("breached", breached);
        report.put("openAlerts", alerts.open().stream().map(Alerts.Open::toMap).toList());
        return report;
    }

    /**
     * The anomaly verdicts: {@code latest} = the last evaluated hour of each metric (judged or not), {@code flagged} =
     * every anomalous hour of the lookback, newest first.
     */
    private Map<String, Object> anomalies(Connection c) throws SQLException {
        String columns = "metric, dimension, hour, value, baseline_median, baseline_mad, baseline_points, robust_z, is_anomaly, "
                + "evaluated_at";
        Map<String, Object> anomalies = new LinkedHashMap<>();
        anomalies.put("lookback", anomalyLookback.toString());
        anomalies.put("latest", verdicts(c, "SELECT DISTINCT ON (metric, dimension) " + columns + " FROM pipeline.quality_anomalies "
                + "WHERE hour >= now() - ? * interval '1 second' ORDER BY metric, dimension, hour DESC"));
        anomalies.put("flagged", verdicts(c, "SELECT " + columns + " FROM pipeline.quality_anomalies WHERE is_anomaly "
                + "AND hour >= now() - ? * interval '1 second' ORDER BY hour DESC, metric, dimension LIMIT 200"));
        return anomalies;
    }

    private List<Map<String, Object>> verdicts(Connection c, String sql) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            // one hour more than the lookback: the detector's window ends at the last complete hour
            st.setLong(1, anomalyLookback.plusHours(1).toSeconds());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("metric", rs.getString(1));
                    v.put("dimension", rs.getString(2));
                    v.put("hour", rs.getTimestamp(3).toInstant().toString());
                    v.put("value", rs.getObject(4));
                    v.put("median", rs.getObject(5));
                    v.put("mad", rs.getObject(6));
                    v.put("points", rs.getInt(7));
                    v.put("z", rs.getObject(8) == null ? null : Math.round(rs.getDouble(8) * 100) / 100.0);
                    v.put("anomaly", rs.getBoolean(9));
                    v.put("evaluatedAt", rs.getTimestamp(10).toInstant().toString());
                    rows.add(v);
                }
            }
        }
        return rows;
    }

    private static Map<String, Object> check(String name, double value, double threshold, boolean ok, String detail) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("name", name);
        check.put("value", Math.round(value * 10_000) / 10_000.0);
        check.put("threshold", threshold);
        check.put("status", ok ? "ok" : "breach");
        check.put("detail", detail);
        return check;
    }

    private static long[] longs(Connection c, String sql, long... params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setLong(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                long[] values = new long[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getObject(i + 1) instanceof Boolean b ? (b ? 1 : 0) : rs.getLong(i + 1);
                }
                return values;
            }
        }
    }
}
