package io.ecompipeline.observe;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job metrics: {@code ecom_job_runs_total{type,status}} and {@code ecom_job_duration_seconds{type}} (a histogram, so
 * percentiles aggregate across instances) for the runs this instance finished, and
 * {@code ecom_job_last_success_timestamp_seconds{type}}: the last success anywhere in the fleet (the run table), or in
 * this process if later; 0 when none. The label is {@code type}: Prometheus owns {@code job}.
 */
public final class JobMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(JobMetrics.class);
    private static final Duration[] BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
        Duration.ofMinutes(30), Duration.ofHours(1)};

    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final Meters meters;
    private final DataSource dataSource;
    /** Unix seconds of the last success per job type. */
    private final Map<String, Double> lastSuccess = new ConcurrentHashMap<>();

    public JobMetrics(Meters meters, DataSource dataSource) {
        this.meters = meters;
        this.dataSource = dataSource;
    }

    /** One series per job type from the start, so a type that never succeeded shows 0 rather than nothing. */
    public void knownTypes(Collection<String> types) {
        types.forEach(type -> lastSuccess.putIfAbsent(type, 0.0));
        meters.registry().ifPresent(this::registerGauges);
    }

    /** A run this instance finished (or, abandoned, closed for a dead instance); succeeded, failed, skipped, abandoned. */
    public void record(String type, String status, Duration took, long finishedAtEpochSecond) {
        meters.registry().ifPresent(r -> {
            registerGauges(r);
            Counter.builder("ecom_job_runs").description("job runs finished by this instance")
                    .tags("type", type, "status", status).register(r).increment();
            Timer.builder("ecom_job_duration").description("wall time of job runs finished by this instance")
                    .tags("type", type).serviceLevelObjectives(BUCKETS).register(r).record(took);
        });
        if ("succeeded".equals(status)) {
            lastSuccess.merge(type, (double) finishedAtEpochSecond, Math::max);
        }
    }

    /** Timer route entry point (with the other database-backed gauges): the fleet's last successes from the run table. */
    public void refresh() {
        meters.registry().ifPresent(this::registerGauges);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT job, extract(epoch FROM max(finished_at)) FROM pipeline.job_runs "
                     + "WHERE status = 'succeeded' GROUP BY job")) {
            while (rs.next()) {
                lastSuccess.merge(rs.getString(1), rs.getDouble(2), Math::max);
            }
        } catch (SQLException e) {
            LOG.debug("Job metrics not refreshed: {}", e.getMessage());
        }
        meters.registry().ifPresent(this::registerGauges);
    }

    /** Registers the gauge of each type once (Micrometer warns about every repeated registration). */
    private void registerGauges(MeterRegistry r) {
        lastSuccess.keySet().stream().filter(registered::add).forEach(type -> Gauge.builder(
                        "ecom_job_last_success_timestamp_seconds", lastSuccess, m -> m.getOrDefault(type, 0.0))
                .description("Unix time of the last successful run of this job type in the fleet; 0 if none")
                .tags("type", type).register(r));
    }
}
