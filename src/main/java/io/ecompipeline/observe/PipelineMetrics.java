package io.ecompipeline.observe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.ecompipeline.deadletter.DeadLetterQueries;
import io.ecompipeline.ingest.IngestStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's own Prometheus metrics (next to Camel's route metrics at /observe/metrics): ingest counters, batch
 * latency (a histogram), the time of the last batch, dead letters by status and by rule, the age of the oldest waiting
 * dead letter, consumer lag, and the connection pool ({@code hikaricp_*}). Database-backed gauges are refreshed by a
 * timer route, never computed on a scrape. The names and their meaning are the contract in deploy/METRICS.md.
 */
public final class PipelineMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineMetrics.class);

    private static final Duration[] BATCH_BUCKETS = {Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final Meters meters;
    private final DataSource dataSource;
    private final IngestStats ingest;
    private final DeadLetterQueries deadLetters;
    private final ConsumerLag lag;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    public PipelineMetrics(Meters meters, DataSource dataSource, IngestStats ingest, DeadLetterQueries deadLetters,
                           ConsumerLag lag) {
        this.meters = meters;
        this.dataSource = dataSource;
        this.ingest = ingest;
        this.deadLetters = deadLetters;
        this.lag = lag;
    }

    /** Timer route entry point. */
    @SuppressWarnings("unchecked")
    public void refresh() {
        MeterRegistry r = registry();
        if (r == null) {
            return;
        }
        try {
            Map<String, Object> summary = deadLetters.summary();
            ((Map<String, Long>) summary.get("byStatus")).forEach((status, n) ->
                    gauge(r, "ecom_dead_letters", Tags.of("status", status), "dead letters by status").set(n));
            // rules that disappeared from the store go to zero rather than keep their last value
            gauges.forEach((key, value) -> {
                if (key.startsWith("ecom_dead_letters_by_rule")) {
                    value.set(0);
                }
            });
            ((Map<String, Long>) summary.get("byRule")).forEach((rule, n) ->
                    gauge(r, "ecom_dead_letters_by_rule", Tags.of("rule", rule), "waiting or parked dead letters by rule").set(n));
            String oldest = (String) summary.get("oldestWaitingAt");
            long age = oldest == null ? 0
                    : Math.max(0, (System.currentTimeMillis() - java.time.Instant.parse(oldest).toEpochMilli()) / 1000);
            gauge(r, "ecom_dead_letters_oldest_waiting_seconds", Tags.empty(), "age of the oldest waiting dead letter").set(age);
            gauge(r, "ecom_dead_letters_due", Tags.empty(), "waiting dead letters due for redelivery now")
                    .set(((Number) summary.get("dueNow")).longValue());
        } catch (Exception e) {
            LOG.debug("Dead-letter metrics not refreshed: {}", e.getMessage());
        }
        try {
            Map<Integer, Long> byPartition = lag.lagByPartition();
            gauges.forEach((key, value) -> {
                if (key.startsWith("ecom_kafka_consumer_lag")) {
                    value.set(0);
                }
            });
            byPartition.forEach((partition, n) -> gauge(r, "ecom_kafka_consumer_lag", Tags.of("topic", lag.topic(),
                    "partition", String.valueOf(partition)), "records not yet consumed and committed by the group").set(n));
            gauge(r, "ecom_kafka_consumer_lag_all_partitions", Tags.of("topic", lag.topic()), "consumer lag over all partitions")
                    .set(byPartition.values().stream().mapToLong(Long::longValue).sum());
        } catch (Exception e) {
            LOG.debug("Consumer lag not refreshed: {}", e.getMessage());
        }
    }

    private MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            r = meters.registry().orElse(null);
            if (r == null) {
                return null;
            }
            bindIngest(r);
            bindPool(r);
            registry = r;
        }
        return r;
    }

    /** HikariCP reports into the same registry once it exists (the pool starts before Camel binds the registry). */
    private void bindPool(MeterRegistry r) {
        if (dataSource instanceof HikariDataSource pool && pool.getMetricsTrackerFactory() == null) {
            try {
                pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(r));
            } catch (IllegalStateException e) {
                LOG.warn("Connection pool metrics not available: {}", e.getMessage());
            }
        }
    }

    private void bindIngest(MeterRegistry r) {
        FunctionCounter.builder("ecom_ingest_records", ingest, IngestStats::received)
                .description("records consumed from Kafka").register(r);
        FunctionCounter.builder("ecom_ingest_rows_inserted", ingest, IngestStats::inserted)
                .description("new raw.events rows").register(r);
        FunctionCounter.builder("ecom_ingest_duplicates", ingest, IngestStats::duplicates)
                .description("valid records already in raw.events (replays)").register(r);
        FunctionCounter.builder("ecom_ingest_dead_lettered", ingest, IngestStats::deadLettered)
                .description("records placed in the dead-letter store").register(r);
        FunctionCounter.builder("ecom_ingest_batches", ingest, IngestStats::batches)
                .description("batches placed").register(r);
        FunctionCounter.builder("ecom_ingest_failed_batch_attempts", ingest, IngestStats::failedBatchAttempts)
                .description("batch writes that failed and were retried").register(r);
        // buckets, not client-side percentiles: percentiles of several instances cannot be aggregated
        Timer batchTimer = Timer.builder("ecom_ingest_batch").description("time to validate and durably place one batch")
                .serviceLevelObjectives(BATCH_BUCKETS).register(r);
        ingest.onBatch(outcome -> batchTimer.record(Duration.ofMillis(outcome.millis())));
        Gauge.builder("ecom_ingest_last_batch_timestamp_seconds", ingest, s -> s.lastBatchAt() / 1000.0)
                .description("Unix time at which this instance last placed a batch; 0 before its first").register(r);
    }

    private AtomicLong gauge(MeterRegistry r, String name, Tags tags, String description) {
        String key = name + tags;
        return gauges.computeIfAbsent(key, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::doubleValue).tags(tags).description(description).register(r);
            return value;
        });
    }
}
