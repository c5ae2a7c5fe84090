package io.ecompipeline.observe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data-quality gauges (fleet: read from PostgreSQL, every instance reports the same; deploy/METRICS.md): the latest
 * anomaly verdict and robust z-score per metric ({@code pipeline.quality_anomalies}), the time of the last evaluation,
 * which report checks are in breach and how many alerts are open, by kind ({@code pipeline.alerts}). Refreshed by the
 * metrics-refresh timer, never computed on a scrape. A series exists for every known metric, check and alert kind from
 * the first refresh on; a dead-letter rule gets its series when it is first evaluated.
 */
public final class QualityMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(QualityMetrics.class);

    /** The metrics of the anomaly detector that have no dimension (dead_letter_rate has one series per rule). */
    public static final List<String> ANOMALY_METRICS = List.of("volume", "late_ratio", "net_revenue", "conversion_rate");
    public static final List<String> ALERT_KINDS = List.of("quality", "anomaly", "job-failed");

    private final Meters meters;
    private final DataSource dataSource;
    private final List<String> checks;
    private final Map<String, AtomicReference<Double>> gauges = new ConcurrentHashMap<>();

    /** @param checks the names of the quality report's checks */
    public QualityMetrics(Meters meters, DataSource dataSource, List<String> checks) {
        this.meters = meters;
        this.dataSource = dataSource;
        this.checks = checks;
    }

    /** Timer entry point. */
    public void refresh() {
        MeterRegistry r = meters.registry().orElse(null);
        if (r == null) {
            return;
        }
        ANOMALY_METRICS.forEach(m -> {
            gauge(r, "ecom_quality_anomaly", m, "", 0.0);
            gauge(r, "ecom_quality_anomaly_score", m, "", Double.NaN);
        });
        try (Connection c = dataSource.getConnection()) {
            Set<String> seen = new HashSet<>();
            try (PreparedStatement st = c.prepareStatement("SELECT DISTINCT ON (metric, dimension) metric, dimension, is_anomaly, "
                    + "robust_z FROM pipeline.quality_anomalies WHERE hour >= now() - interval '2 days' "
                    + "ORDER BY metric, dimension, hour DESC");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String metric = rs.getString(1);
                    String rule = rs.getString(2);
                    seen.add(metric + "/" + rule);
                    set(r, "ecom_quality_anomaly", metric, rule, rs.getBoolean(3) ? 1.0 : 0.0);
                    set(r, "ecom_quality_anomaly_score", metric, rule, rs.getObject(4) == null ? Double.NaN : rs.getDouble(4));
                }
            }
            // a series that was not evaluated lately says so instead of keeping an old verdict
            gauges.forEach((key, value) -> {
                if (key.startsWith("ecom_quality_anomaly|") && !seen.contains(key.substring(key.indexOf('|') + 1))) {
                    value.set(0.0);
                }
                if (key.startsWith("ecom_quality_anomaly_score|") && !seen.contains(key.substring(key.indexOf('|') + 1))) {
                    value.set(Double.NaN);
                }
            });
            try (PreparedStatement st = c.prepareStatement("SELECT extract(EPOCH FROM max(evaluated_at)) FROM pipeline.quality_anomalies");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                single(r, "ecom_quality_anomaly_last_evaluation_timestamp_seconds",
                        "Unix time of the last anomaly evaluation anywhere in the fleet; 0 before the first").set(rs.getDouble(1));
            }
            Set<String> breached = new HashSet<>();
            Map<String, Double> openByKind = new HashMap<>();
            ALERT_KINDS.forEach(k -> openByKind.put(k, 0.0));
            try (PreparedStatement st = c.prepareStatement("SELECT kind, cause FROM pipeline.alerts WHERE resolved_at IS NULL");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    openByKind.merge(rs.getString(1), 1.0, Double::sum);
                    if ("quality".equals(rs.getString(1))) {
                        breached.add(rs.getString(2));
                    }
                }
            }
            checks.forEach(check -> tagged(r, "ecom_quality_check_breached", Tags.of("check", check),
                    "1 while the quality report's check has an open alert (breached), else 0").set(breached.contains(check) ? 1.0 : 0.0));
            openByKind.forEach((kind, n) -> tagged(r, "ecom_alerts_open", Tags.of("kind", kind), "open alerts by kind").set(n));
        } catch (Exception e) {
            LOG.debug("Quality metrics not refreshed: {}", e.getMessage());
        }
    }

    private void set(MeterRegistry r, String name, String metric, String rule, double value) {
        gauge(r, name, metric, rule, value).set(value);
    }

    private AtomicReference<Double> gauge(MeterRegistry r, String name, String metric, String rule, double initial) {
        String description = name.endsWith("_score")
                ? "robust z-score of the last evaluated hour against the same hour of the previous days (NaN: not judged)"
                : "1 when the last evaluated hour of the metric is anomalous, else 0";
        return gauges.computeIfAbsent(name + "|" + metric + "/" + rule, k -> register(r, name,
                Tags.of("metric", metric, "rule", rule), description, initial));
    }

    private AtomicReference<Double> tagged(MeterRegistry r, String name, Tags tags, String description) {
        return gauges.computeIfAbsent(name + "|" + tags, k -> register(r, name, tags, description, 0.0));
    }

    private AtomicReference<Double> single(MeterRegistry r, String name, String description) {
        return gauges.computeIfAbsent(name, k -> register(r, name, Tags.empty(), description, 0.0));
    }

    private static AtomicReference<Double> register(MeterRegistry r, String name, Tags tags, String description, double initial) {
        AtomicReference<Double> value = new AtomicReference<>(initial);
        Gauge.builder(name, value, AtomicReference::get).tags(tags).description(description).register(r);
        return value;
    }
}
