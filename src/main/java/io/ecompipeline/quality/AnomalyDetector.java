package io.ecompipeline.quality;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.sql.DataSource;

import io.ecompipeline.observe.Alerts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anomaly detection per hour (the runtime's "anomalies" job): each complete UTC hour of the lookback against the same
 * hour on each of the previous {@code historyDays} days, by robust z-score ({@link RobustScore}). Metrics:
 * <ul>
 *   <li>{@code volume}: records received in the hour (arrival time, {@code pipeline.ingest_batches});</li>
 *   <li>{@code dead_letter_rate}, one per rule: records the hour's batches dead-lettered for that rule / records
 *       received in the hour (both from {@code pipeline.ingest_batches});</li>
 *   <li>{@code late_ratio}, {@code net_revenue}, {@code conversion_rate}: {@code marts.hourly_metrics} (event time;
 *       hours still waiting for the transform job are left for a later run).</li>
 * </ul>
 * An hour before the first data of its source has no history; an hour without a row has volume and net revenue 0 and
 * no ratio; ratios of hours with fewer than {@code minHourVolume} records, transactions or sessions are not judged.
 * Verdicts are upserted into {@code pipeline.quality_anomalies} (the latest evaluation of each hour). A metric whose
 * last complete hour is anomalous raises an alert (kind {@code anomaly}, cause the metric, e.g.
 * {@code dead_letter_rate:schema.required}); it resolves when a later last hour is back within bounds.
 */
public final class AnomalyDetector {

    private static final Logger LOG = LoggerFactory.getLogger(AnomalyDetector.class);

    public static final String ALERT_KIND = "anomaly";

    /** Thresholds; see {@code PipelineSettings.Anomalies}. */
    public record Settings(int historyDays, int minHistory, double zThreshold, double minDeviation, Duration lookback,
                           int minHourVolume) {
    }

    /** The verdict on one hour of one metric (and dimension: the rule of a dead-letter rate, else empty). */
    public record Verdict(String metric, String dimension, Instant hour, Double value, RobustScore score, boolean anomaly) {

        public String key() {
            return dimension.isEmpty() ? metric : metric + ":" + dimension;
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", metric);
            m.put("dimension", dimension);
            m.put("hour", hour.toString());
            m.put("value", value);
            m.put("median", score == null ? null : score.median());
            m.put("mad", score == null ? null : score.mad());
            m.put("z", score == null || score.z() == null ? null : Math.round(score.z() * 100) / 100.0);
            m.put("points", score == null ? 0 : score.points());
            m.put("anomaly", anomaly);
            return m;
        }
    }

    /** One hourly series: value per hour, the hours too thin to judge, and the first hour its source has data. */
    private record Series(String metric, String dimension, Map<Instant, Double> values, Set<Instant> thin, Instant start,
                          boolean missingIsZero) {
    }

    private final DataSource dataSource;
    private final Settings settings;
    private final Alerts alerts;
    private final Clock clock;

    public AnomalyDetector(DataSource dataSource, Settings settings, Alerts alerts, Clock clock) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.alerts = alerts;
        this.clock = clock;
    }

    /** Job entry point: evaluate, store, alert; returns what the job reports. */
    public Map<String, Object> run() throws SQLException {
        List<Verdict> verdicts = detect();
        List<Map<String, Object>> flagged = verdicts.stream().filter(Verdict::anomaly).map(Verdict::toMap).toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("hours_evaluated", settings.lookback().toHours());
        result.put("verdicts", verdicts.size());
        result.put("judged", verdicts.stream().filter(v -> v.score() != null).count());
        result.put("anomalies", flagged.size());
        result.put("flagged", flagged);
        return result;
    }

    /** Evaluates the lookback's hours, stores every verdict and raises or resolves the alerts; returns the verdicts. */
    public List<Verdict> detect() throws SQLException {
        Instant to = clock.instant().truncatedTo(ChronoUnit.HOURS);
        Instant from = to.minus(settings.lookback());
        Instant historyFrom = from.minus(Duration.ofDays(settings.historyDays()));
        List<Series> series;
        Set<Instant> pending;
        try (Connection c = dataSource.getConnection()) {
            series = new ArrayList<>(arrivalSeries(c, historyFrom, to));
            series.addAll(eventSeries(c, historyFrom, to));
            pending = instants(c, "SELECT event_hour FROM pipeline.transform_pending_hours WHERE event_hour >= ? AND event_hour < ?",
                    from, to);
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (Series s : series) {
            for (Instant hour = from; hour.isBefore(to); hour = hour.plus(Duration.ofHours(1))) {
                if (s.start() == null || hour.isBefore(s.start()) || (!s.missingIsZero() && pending.contains(hour))) {
                    continue;
                }
                verdicts.add(judge(s, hour));
            }
        }
        store(verdicts);
        alert(verdicts, to.minus(Duration.ofHours(1)));
        long flagged = verdicts.stream().filter(Verdict::anomaly).count();
        LOG.info("Anomaly detection {} .. {}: {} verdicts, {} anomalous", from, to, verdicts.size(), flagged);
        return verdicts;
    }

    private Verdict judge(Series s, Instant hour) {
        Double value = valueAt(s, hour);
        List<Double> history = new ArrayList<>();
        for (int day = 1; day <= settings.historyDays(); day++) {
            Instant past = hour.minus(Duration.ofDays(day));
            Double v = past.isBefore(s.start()) ? null : valueAt(s, past);
            if (v != null) {
                history.add(v);
            }
        }
        if (value == null || history.size() < settings.minHistory()) {
            return new Verdict(s.metric(), s.dimension(), hour, value, null, false);
        }
        RobustScore score = RobustScore.of(value, history);
        return new Verdict(s.metric(), s.dimension(), hour, value, score, score.isAnomaly(settings.zThreshold(), settings.minDeviation()));
    }

    private static Double valueAt(Series s, Instant hour) {
        if (s.thin().contains(hour)) {
            return null;
        }
        Double v = s.values().get(hour);
        return v == null && s.missingIsZero() ? Double.valueOf(0) : v;
    }

    /** Volume and dead-letter rates per rule, by hour of arrival. */
    private List<Series> arrivalSeries(Connection c, Instant from, Instant to) throws SQLException {
        Map<Instant, Double> received = new TreeMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT date_trunc('hour', finished_at, 'UTC'), sum(received) "
                + "FROM pipeline.ingest_batches WHERE finished_at >= ? AND finished_at < ? GROUP BY 1")) {
            bind(st, from, to);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    received.put(rs.getTimestamp(1).toInstant(), rs.getDouble(2));
                }
            }
        }
        Instant start = first(c, "SELECT date_trunc('hour', min(finished_at), 'UTC') FROM pipeline.ingest_batches");
        List<Series> series = new ArrayList<>();
        series.add(new Series("volume", "", received, Set.of(), start, true));

        Map<String, Map<Instant, Double>> byRule = new TreeMap<>();
        // the batches' own per-rule counts (V151), in the same hours of arrival as the volume above
        try (PreparedStatement st = c.prepareStatement("SELECT date_trunc('hour', b.finished_at, 'UTC'), f.key, "
                + "sum(f.value::bigint) FROM pipeline.ingest_batches b, jsonb_each_text(b.rejects_by_rule) f "
                + "WHERE b.finished_at >= ? AND b.finished_at < ? GROUP BY 1, 2")) {
            bind(st, from, to);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String rule = rs.getString(2) == null ? "unknown" : rs.getString(2);
                    byRule.computeIfAbsent(rule, k -> new TreeMap<>()).put(rs.getTimestamp(1).toInstant(), rs.getDouble(3));
                }
            }
        }
        Set<Instant> thin = new HashSet<>();
        received.forEach((hour, n) -> {
            if (n < settings.minHourVolume()) {
                thin.add(hour);
            }
        });
        for (Map.Entry<String, Map<Instant, Double>> rule : byRule.entrySet()) {
            // a rate exists in every hour that received records; hours without any have none
            Map<Instant, Double> rates = new TreeMap<>();
            received.forEach((hour, n) -> {
                if (n > 0) {
                    rates.put(hour, rule.getValue().getOrDefault(hour, 0.0) / n);
                }
            });
            Set<Instant> noRecords = new HashSet<>(thin);
            series.add(new Series("dead_letter_rate", rule.getKey(), rates, noRecords, start, false));
        }
        return series;
    }

    /** Late ratio, net revenue and conversion rate by event hour. */
    private List<Series> eventSeries(Connection c, Instant from, Instant to) throws SQLException {
        Map<Instant, Double> late = new TreeMap<>();
        Map<Instant, Double> net = new TreeMap<>();
        Map<Instant, Double> conversion = new TreeMap<>();
        Set<Instant> fewTransactions = new HashSet<>();
        Set<Instant> fewSessions = new HashSet<>();
        try (PreparedStatement st = c.prepareStatement("SELECT event_hour, total_transactions, late_ratio, net_revenue, "
                + "sessions, conversion_rate FROM marts.hourly_metrics WHERE event_hour >= ? AND event_hour < ?")) {
            bind(st, from, to);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Instant hour = rs.getTimestamp(1).toInstant();
                    net.put(hour, rs.getDouble(4));
                    putIfPresent(late, hour, rs.getObject(3));
                    putIfPresent(conversion, hour, rs.getObject(6));
                    if (rs.getLong(2) < settings.minHourVolume()) {
                        fewTransactions.add(hour);
                    }
                    if (rs.getLong(5) < settings.minHourVolume()) {
                        fewSessions.add(hour);
                    }
                }
            }
        }
        Instant start = first(c, "SELECT min(event_hour) FROM marts.hourly_metrics");
        return List.of(
                new Series("late_ratio", "", late, fewTransactions, start, false),
                new Series("net_revenue", "", net, Set.of(), start, true),
                new Series("conversion_rate", "", conversion, fewSessions, start, false));
    }

    private void store(List<Verdict> verdicts) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO pipeline.quality_anomalies (metric, dimension, hour, value, "
                     + "baseline_median, baseline_mad, baseline_points, robust_z, is_anomaly, evaluated_at) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now()) ON CONFLICT (metric, dimension, hour) DO UPDATE SET "
                     + "value = excluded.value, baseline_median = excluded.baseline_median, baseline_mad = excluded.baseline_mad, "
                     + "baseline_points = excluded.baseline_points, robust_z = excluded.robust_z, "
                     + "is_anomaly = excluded.is_anomaly, evaluated_at = excluded.evaluated_at")) {
            for (Verdict v : verdicts) {
                RobustScore s = v.score();
                st.setString(1, v.metric());
                st.setString(2, v.dimension());
                st.setTimestamp(3, Timestamp.from(v.hour()));
                st.setObject(4, v.value());
                st.setObject(5, s == null ? null : s.median());
                st.setObject(6, s == null ? null : s.mad());
                st.setInt(7, s == null ? 0 : s.points());
                st.setObject(8, s == null ? null : s.z());
                st.setBoolean(9, v.anomaly());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    /** Alerts follow the last complete hour of each metric: open while it is anomalous, resolved once it is not. */
    private void alert(List<Verdict> verdicts, Instant lastHour) {
        Map<String, Verdict> latest = new TreeMap<>();
        verdicts.stream().filter(v -> v.hour().equals(lastHour)).forEach(v -> latest.put(v.key(), v));
        for (Verdict v : latest.values()) {
            if (v.anomaly()) {
                alerts.raise(ALERT_KIND, v.key(), v.key() + " at " + v.hour() + " is " + v.value() + ", usually "
                        + v.score().median() + " (robust z " + (v.score().z() == null ? "n/a" : Math.round(v.score().z() * 10) / 10.0)
                        + ")", v.toMap());
            } else {
                alerts.resolve(ALERT_KIND, v.key(), v.key() + " back within bounds at " + v.hour() + " (" + v.value() + ")");
            }
        }
    }

    private static void putIfPresent(Map<Instant, Double> map, Instant hour, Object value) {
        if (value instanceof Number n) {
            map.put(hour, n.doubleValue());
        }
    }

    private static void bind(PreparedStatement st, Instant from, Instant to) throws SQLException {
        st.setTimestamp(1, Timestamp.from(from));
        st.setTimestamp(2, Timestamp.from(to));
    }

    private static Instant first(Connection c, String sql) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            return rs.next() && rs.getTimestamp(1) != null ? rs.getTimestamp(1).toInstant() : null;
        }
    }

    private static Set<Instant> instants(Connection c, String sql, Instant from, Instant to) throws SQLException {
        Set<Instant> hours = new HashSet<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, from, to);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    hours.add(rs.getTimestamp(1).toInstant());
                }
            }
        }
        return hours;
    }
}
