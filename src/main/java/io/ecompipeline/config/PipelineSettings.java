package io.ecompipeline.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;

/**
 * Every setting of the runtime, read and validated at once before anything connects. A bad value does not stop
 * the reading: all problems are collected and reported together ({@link SettingException} with one line each), so
 * an operator fixes them in one round. Beans take their typed values from here; nothing else reads raw properties.
 *
 * <p>Durations are ISO-8601 ({@code PT0.5S}); settings that had a milliseconds variant before keep it working
 * ({@code PIPELINE_BATCH_MAX_WAIT_MS}), the ISO one wins when both are set, and routes see the effective value in
 * their {@code *-ms} property ({@link #routeProperties()}).
 */
public final class PipelineSettings {

    public record Runtime(UUID runId, Duration progressInterval, Duration metricsRefresh) {
    }

    public record Kafka(String brokers, String topic, String groupId, int consumers, String autoOffsetReset) {
    }

    public record Batch(int size, Duration maxWait, int retries, Duration retryDelay) {
    }

    public record Contract(String schemaUri, String rulesUri, long maxBytes) {
    }

    public record DeadLetters(Duration redeliveryDelay, double backoffMultiplier, int maxAttempts, String pollCron,
                              int batchSize) {
    }

    public record Database(String url, String user, String password, int poolSize, Duration connectionTimeout,
                           Duration startupWait, String migrations) {
    }

    /** @param credentials null when neither server asks for them (both disabled or without authentication) */
    public record Http(int serverPort, int managementPort, Credentials credentials) {
    }

    public record Elasticsearch(String url, boolean healthEnabled, String index, int batchSize, Duration lockWait,
                                String indexCron) {
    }

    public record Quality(Duration window, double minCompleteness, double maxDuplicateRatio, int maxDriftFields,
                          double minVolumeRatio, double maxVolumeRatio, Duration maxStaleness, Duration checkInterval) {
    }

    public record Reload(Path routesDir, boolean enabled, Duration interval) {
    }

    public record Jobs(String transformCron, Duration lateThreshold, String transformSql, Duration lockTimeout,
                       String goldCron, String goldSql, String maintenanceSql) {
    }

    /**
     * Several instances sharing one database.
     *
     * @param heartbeatInterval how often an instance heartbeats, applies fleet route requests and reports its routes
     * @param instanceTimeout   an instance silent this long is taken for dead: its running job runs are abandoned
     * @param jobRunRetention   finished job runs (and instances gone) older than this are purged
     * @param schedulerName     the Quartz cluster: instances with the same name share every schedule (one fire each)
     */
    public record Fleet(Duration heartbeatInterval, Duration instanceTimeout, Duration jobRunRetention, String schedulerName) {
    }

    /** @param currency ISO 4217 code every cross-currency amount is converted into (docs/metrics.md) */
    public record Reporting(String currency) {
    }

    public record Alerts(String webhookUrl) {

        public boolean webhookEnabled() {
            return !webhookUrl.isEmpty();
        }
    }

    private final Settings source;
    private final List<String> problems = new ArrayList<>();
    private final Properties routeProperties = new Properties();

    private final Runtime runtime;
    private final Kafka kafka;
    private final Batch batch;
    private final Contract contract;
    private final DeadLetters deadLetters;
    private final Database database;
    private final Http http;
    private final Elasticsearch elasticsearch;
    private final Quality quality;
    private final Reload reload;
    private final Jobs jobs;
    private final Fleet fleet;
    private final Reporting reporting;
    private final Alerts alerts;

    private PipelineSettings(Settings s, Map<String, String> env) {
        this.source = s;
        runtime = new Runtime(
                read(() -> runId(s), UUID.randomUUID()),
                read(() -> routeDuration(s, "pipeline.progress-interval", "pipeline.progress-interval-ms", Duration.ofSeconds(10)), null),
                read(() -> routeDuration(s, "pipeline.metrics.refresh", "pipeline.metrics.refresh-ms", Duration.ofSeconds(15)), null));
        kafka = new Kafka(
                read(() -> s.required("camel.component.kafka.brokers", "the Kafka bootstrap servers, e.g. localhost:9092"), ""),
                read(() -> s.required("pipeline.kafka.topic", "the topic of raw events"), ""),
                read(() -> s.required("pipeline.kafka.group-id", "the consumer group"), ""),
                read(() -> s.intInRange("pipeline.kafka.consumers", 2, 1, 64), 1),
                read(() -> oneOf(s, "pipeline.kafka.auto-offset-reset", "earliest", "earliest", "latest", "none"), "earliest"));
        batch = new Batch(
                read(() -> s.intInRange("pipeline.batch.size", 2000, 1, 100_000), 1),
                read(() -> routeDuration(s, "pipeline.batch.max-wait", "pipeline.batch.max-wait-ms", Duration.ofMillis(500)), null),
                read(() -> s.intInRange("pipeline.ingest.retries", 3, 0, 100), 0),
                read(() -> routeDuration(s, "pipeline.ingest.retry-delay", "pipeline.ingest.retry-delay-ms", Duration.ofSeconds(1)), null));
        contract = new Contract(
                s.string("pipeline.contract.schema", "classpath:contract/ecommerce-event.schema.json"),
                s.string("pipeline.contract.rules", "classpath:contract/rules.yaml"),
                read(() -> s.longInRange("pipeline.event.max-bytes", 1024L * 1024L, 1, 64L << 20), 1L));
        deadLetters = new DeadLetters(
                read(() -> s.duration("pipeline.dead-letter.redelivery-delay", Duration.ofMinutes(15)), Duration.ofMinutes(15)),
                read(() -> atLeastOne(s, "pipeline.dead-letter.backoff-multiplier"), 1.0),
                read(() -> s.intInRange("pipeline.dead-letter.max-attempts", 4, 1, 1000), 1),
                read(() -> s.quartzCron("pipeline.dead-letter.poll-cron", "0/30 * * * * ?"), ""),
                read(() -> s.intInRange("pipeline.dead-letter.batch-size", 500, 1, 10_000), 1));
        database = new Database(
                read(() -> jdbcUrl(s), ""),
                read(() -> s.required("pipeline.db.user", "the PostgreSQL user"), ""),
                read(() -> s.secret("pipeline.db.password", "the PostgreSQL password"), ""),
                read(() -> s.intInRange("pipeline.db.pool-size", 8, 2, 200), 2),
                read(() -> s.duration("pipeline.db.connection-timeout", Duration.ofSeconds(5)), Duration.ofSeconds(5)),
                read(() -> s.duration("pipeline.db.startup-wait", Duration.ofSeconds(30)), Duration.ofSeconds(30)),
                s.string("pipeline.db.migrations", "classpath:sql/migrations"));
        http = new Http(
                read(() -> s.intInRange("camel.server.port", 8080, 1, 65535), 8080),
                read(() -> s.intInRange("camel.management.port", 9876, 1, 65535), 9876),
                read(() -> authenticated(s) ? Credentials.fromEnvironment(env) : null, null));
        elasticsearch = new Elasticsearch(
                read(() -> httpUrl(s, "pipeline.elasticsearch.url", "http://localhost:9200", false), ""),
                read(() -> s.bool("pipeline.elasticsearch.health-enabled", true), true),
                s.string("pipeline.index.name", "hourly_metrics"),
                read(() -> s.intInRange("pipeline.index.batch-size", 500, 1, 10_000), 1),
                read(() -> s.duration("pipeline.index.lock-wait", Duration.ofSeconds(30)), Duration.ofSeconds(30)),
                read(() -> s.quartzCron("pipeline.index.cron", "0 */10 * * * ?"), ""));
        quality = new Quality(
                read(() -> s.duration("pipeline.quality.window", Duration.ofHours(1)), Duration.ofHours(1)),
                read(() -> s.fraction("pipeline.quality.min-completeness", 0.70), 0.0),
                read(() -> s.fraction("pipeline.quality.max-duplicate-ratio", 0.05), 0.0),
                read(() -> s.intInRange("pipeline.quality.max-drift-fields", 0, 0, 1000), 0),
                read(() -> s.positiveDouble("pipeline.quality.min-volume-ratio", 0.2), 0.2),
                read(() -> s.positiveDouble("pipeline.quality.max-volume-ratio", 5.0), 5.0),
                read(() -> s.duration("pipeline.quality.max-staleness", Duration.ofMinutes(30)), Duration.ofMinutes(30)),
                read(() -> routeDuration(s, "pipeline.quality.check-interval", "pipeline.quality.check-interval-ms",
                        Duration.ofMinutes(5)), null));
        reload = new Reload(
                Path.of(s.string("pipeline.routes.dir", "routes")),
                read(() -> s.bool("pipeline.reload.enabled", true), true),
                read(() -> routeDuration(s, "pipeline.reload.interval", "pipeline.reload.interval-ms", Duration.ofSeconds(2)), null));
        jobs = new Jobs(
                read(() -> s.quartzCron("pipeline.transform.cron", "0 0 * * * ?"), ""),
                read(() -> s.duration("pipeline.transform.late-threshold", Duration.ofMinutes(2)), Duration.ofMinutes(2)),
                s.string("pipeline.transform.sql", "classpath:sql/transform"),
                read(() -> s.duration("pipeline.transform.lock-timeout", Duration.ofMinutes(1)), Duration.ofMinutes(1)),
                read(() -> s.quartzCron("pipeline.gold.cron", "0 30 2 * * ?"), ""),
                s.string("pipeline.gold.sql", "classpath:sql/gold"),
                s.string("pipeline.maintenance.location", "classpath:sql/maintenance"));
        fleet = fleet(s);
        reporting = new Reporting(read(() -> currencyCode(s, "pipeline.reporting.currency", "EUR"), "EUR"));
        alerts = new Alerts(read(() -> httpUrl(s, "pipeline.alerts.webhook-url", "", true), ""));
        // validated here so that a bad value is named with the others; Camel reads them itself
        read(() -> s.intInRange("camel.main.shutdown-timeout", 45, 1, 3600), 0);
        read(() -> s.intInRange("camel.component.elasticsearch.connection-timeout", 5000, 1, 600_000), 0);
        read(() -> s.intInRange("camel.component.elasticsearch.socket-timeout", 30_000, 1, 3_600_000), 0);
    }

    /**
     * Reads every setting from the context's properties (application.properties, the environment, overrides) and
     * the API credentials from {@code env}; throws one {@link SettingException} naming every problem.
     */
    public static PipelineSettings read(CamelContext context, Map<String, String> env) {
        PipelineSettings settings = new PipelineSettings(new Settings(context), env);
        if (!settings.problems.isEmpty()) {
            throw new SettingException(settings.problems.size() == 1 ? settings.problems.get(0)
                    : settings.problems.size() + " settings need fixing:\n  - " + String.join("\n  - ", settings.problems));
        }
        return settings;
    }

    /** The raw reader, for the environment-variable names in messages. */
    public Settings source() {
        return source;
    }

    /** Every setting read, with its effective value (secrets masked): the start-up log and {@code check-config}. */
    public Map<String, String> effectiveValues() {
        return source.effectiveValues();
    }

    /** The same, one line per setting, labelled with its environment variable. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        source.effectiveValues().forEach((key, value) -> lines.add(source.label(key) + " = " + value));
        return lines;
    }

    /** {@code *-ms} properties the routes read, set from the ISO settings that replaced them (empty when unused). */
    public Properties routeProperties() {
        return routeProperties;
    }

    public Runtime runtime() {
        return runtime;
    }

    public Kafka kafka() {
        return kafka;
    }

    public Batch batch() {
        return batch;
    }

    public Contract contract() {
        return contract;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    public Database database() {
        return database;
    }

    public Http http() {
        return http;
    }

    public Elasticsearch elasticsearch() {
        return elasticsearch;
    }

    public Quality quality() {
        return quality;
    }

    public Reload reload() {
        return reload;
    }

    public Jobs jobs() {
        return jobs;
    }

    public Fleet fleet() {
        return fleet;
    }

    public Reporting reporting() {
        return reporting;
    }

    public Alerts alerts() {
        return alerts;
    }

    private <T> T read(Supplier<T> reader, T fallback) {
        try {
            return reader.get();
        } catch (SettingException e) {
            problems.add(e.getMessage());
            return fallback;
        }
    }

    /** An ISO duration (or its legacy milliseconds key); routes read the milliseconds key, so it is set from the ISO one. */
    private Duration routeDuration(Settings s, String key, String legacyMillisKey, Duration defaultValue) {
        Duration d = s.durationOrMillis(key, legacyMillisKey, defaultValue, Duration.ofHours(24));
        if (s.optional(key).isPresent()) {
            routeProperties.setProperty(legacyMillisKey, String.valueOf(d.toMillis()));
        }
        return d;
    }

    private Fleet fleet(Settings s) {
        Duration heartbeat = read(() -> routeDuration(s, "pipeline.fleet.heartbeat-interval", "pipeline.fleet.heartbeat-interval-ms",
                Duration.ofSeconds(2)), Duration.ofSeconds(2));
        Duration timeout = read(() -> {
            Duration d = s.duration("pipeline.fleet.instance-timeout", Duration.ofSeconds(30));
            if (d.compareTo(heartbeat.multipliedBy(3)) < 0) {
                throw s.invalid("pipeline.fleet.instance-timeout", d.toString(), "must be at least three heartbeat intervals ("
                        + s.envName("pipeline.fleet.heartbeat-interval") + " = " + heartbeat + "), or one late heartbeat "
                        + "abandons the runs of a live instance");
            }
            return d;
        }, Duration.ofSeconds(30));
        return new Fleet(heartbeat, timeout,
                read(() -> s.duration("pipeline.fleet.job-run-retention", Duration.ofDays(30)), Duration.ofDays(30)),
                read(() -> {
                    String name = s.string("pipeline.scheduler.name", "ecom-pipeline");
                    if (!name.matches("[A-Za-z0-9._-]{1,100}")) {
                        throw s.invalid("pipeline.scheduler.name", name, "must be 1-100 letters, digits, '.', '_' or '-'");
                    }
                    return name;
                }, "ecom-pipeline"));
    }

    /** Does either HTTP server run with authentication (and so need the API credentials)? */
    private static boolean authenticated(Settings s) {
        return s.bool("camel.server.enabled", true) && s.bool("camel.server.authenticationEnabled", true)
                || s.bool("camel.management.enabled", true) && s.bool("camel.management.authenticationEnabled", true);
    }

    private static UUID runId(Settings s) {
        String configured = s.string("pipeline.run-id", "");
        try {
            return configured.isEmpty() ? UUID.randomUUID() : UUID.fromString(configured);
        } catch (IllegalArgumentException e) {
            throw s.invalid("pipeline.run-id", configured, "must be a UUID or empty");
        }
    }

    private static String jdbcUrl(Settings s) {
        String url = s.required("pipeline.db.url", "the JDBC URL of PostgreSQL, e.g. jdbc:postgresql://localhost:5432/ecom");
        if (!url.startsWith("jdbc:postgresql://")) {
            throw s.invalid("pipeline.db.url", url, "must start with jdbc:postgresql://");
        }
        return url;
    }

    private static String httpUrl(Settings s, String key, String defaultValue, boolean optional) {
        String url = s.string(key, defaultValue);
        if ((optional && url.isEmpty()) || url.matches("https?://[^\\s]+")) {
            return url;
        }
        throw s.invalid(key, url, optional ? "must be an http(s) URL or empty" : "must be an http(s) URL");
    }

    private static String currencyCode(Settings s, String key, String defaultValue) {
        String code = s.string(key, defaultValue);
        if (!code.matches("[A-Z]{3}")) {
            throw s.invalid(key, code, "must be an ISO 4217 currency code such as EUR or USD (three capital letters)");
        }
        return code;
    }

    private static double atLeastOne(Settings s, String key) {
        double value = s.positiveDouble(key, 1.0);
        if (value < 1.0) {
            throw s.invalid(key, String.valueOf(value), "must be 1 or more");
        }
        return value;
    }

    private static String oneOf(Settings s, String key, String defaultValue, String... allowed) {
        String value = s.string(key, defaultValue);
        if (!List.of(allowed).contains(value)) {
            throw s.invalid(key, value, "must be one of " + String.join(", ", allowed));
        }
        return value;
    }
}
