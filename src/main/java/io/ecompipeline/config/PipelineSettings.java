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

    public record Runtime(UUID runId, Duration progressInterval, Duration metricsRefresh, String logFormat) {
    }

    /**
     * @param security how every Kafka client of the runtime connects: {@code security.protocol} and the TLS and SASL
     *                 properties it needs (empty for PLAINTEXT); the consumer route gets them as camel.component.kafka.*
     */
    public record Kafka(String brokers, String topic, String groupId, int consumers, String autoOffsetReset,
                        Map<String, String> security) {
    }

    /**
     * @param size     records per batch at most (the Kafka poll's max.poll.records)
     * @param maxWait  how long a batch may keep gathering further polls (Camel's batchingIntervalMs, checked when the
     *                 next poll returns); the default 1 ms makes a batch what one poll returned: what arrived while the
     *                 previous batch was written (group commit), full under a backlog
     * @param idleWait how long a poll waits when no record comes (pollTimeoutMs); an empty poll writes what is in hand
     */
    public record Batch(int size, Duration maxWait, Duration idleWait, int retries, Duration retryDelay) {
    }

    public record Contract(String schemaUri, String rulesUri, long maxBytes) {
    }

    public record DeadLetters(Duration redeliveryDelay, double backoffMultiplier, int maxAttempts, String pollCron,
                              int batchSize) {
    }

    /**
     * @param sslMode     pgjdbc's sslmode (disable, allow, prefer, require, verify-ca, verify-full), empty for the driver's
     *                    default (prefer)
     * @param sslRootCert the CA certificate file for verify-ca / verify-full, empty for the driver's default
     * @param analystPassword password of the read-only role {@code analyst} (Metabase); empty: the role cannot log in
     */
    public record Database(String url, String user, String password, int poolSize, Duration connectionTimeout,
                           Duration startupWait, String migrations, String sslMode, String sslRootCert,
                           String analystPassword) {
    }

    /**
     * One Kafka source besides events: its topic and consumer group, whether its route runs, its contract files.
     *
     * @param idField the field that identifies a record in its dead letters
     */
    public record Source(String name, String topic, String groupId, boolean enabled, String schemaUri, String rulesUri,
                         String idField) {
    }

    /** The sources besides events: products, inventory, campaigns; records per poll of their (small) topics. */
    public record Sources(Source products, Source inventory, Source campaigns, int batchSize) {

        public List<Source> all() {
            return List.of(products, inventory, campaigns);
        }
    }

    /**
     * The products REST API the products-api-poll route polls (camel-http).
     *
     * @param enabled     whether the poll runs
     * @param url         the list endpoint (Fake Store style: a JSON array of products)
     * @param pageSize    items per request ({@code limitParam}), 0 = one request without paging parameters
     * @param offsetParam the query parameter of the first item of a page ({@code offset}, {@code skip}); empty = the API
     *                    has no offset and only the first page is read
     * @param itemsField  the array field of an object answer ({@code products}); a top-level array is read as it is
     * @param currency    the currency of prices the API gives without one
     * @param idPrefix    prepended to the API's ids, so they match the product ids of the events ({@code P-} + 100)
     */
    public record ProductsApi(boolean enabled, String url, String cron, int pageSize, String limitParam, String offsetParam,
                              String itemsField, int maxPages, String currency, String idPrefix, Duration timeout) {
    }

    /**
     * The warehouse of the sources: the catalog job (sql/catalog: product versions, inventory health, campaigns) and
     * the thresholds and attribution window the SQL reads.
     */
    public record Warehouse(String catalogCron, String catalogSql, int velocityDays, double lowCoverDays,
                            double overstockCoverDays, int deadStockDays, Duration attributionWindow) {
    }

    /** Accepted events republished, after their batch is stored, to a downstream topic keyed by event id. */
    public record CleanEvents(boolean enabled, String topic) {
    }

    /**
     * @param credentials null when neither server asks for them (both disabled or without authentication)
     * @param tlsKeystore the keystore both servers serve HTTPS with (camel.ssl.*), empty for plain HTTP
     */
    public record Http(int serverPort, int managementPort, Credentials credentials, String tlsKeystore) {
    }

    public record Elasticsearch(String url, boolean healthEnabled, String index, int batchSize, Duration lockWait,
                                String indexCron) {
    }

    public record Quality(Duration window, double minCompleteness, double maxDuplicateRatio, int maxDriftFields,
                          double minVolumeRatio, double maxVolumeRatio, Duration maxStaleness, Duration checkInterval) {
    }

    /**
     * Anomaly detection (quality.AnomalyDetector): each hour against the same hour of the previous {@code historyDays}
     * days.
     *
     * @param minHistory    baseline days needed before an hour is judged at all
     * @param zThreshold    |robust z-score| from which an hour is anomalous
     * @param minDeviation  ... and only if it differs from the median by at least this share of the median
     * @param lookback      the complete hours (re)evaluated per run, ending at the last complete hour
     * @param minHourVolume a ratio (dead-letter rate, late ratio, conversion) is judged only in hours with at least
     *                      this many records, transactions or sessions below it
     */
    public record Anomalies(int historyDays, int minHistory, double zThreshold, double minDeviation, Duration lookback,
                            int minHourVolume, String cron) {
    }

    public record Reload(Path routesDir, boolean enabled, Duration interval) {
    }

    public record Jobs(String transformCron, Duration lateThreshold, String transformSql, Duration lockTimeout,
                       String goldCron, String goldSql, String maintenanceSql) {
    }

    /** Readiness checks answer within {@code timeout}; a result younger than {@code reuseFor} is answered again. */
    public record Health(Duration timeout, Duration reuseFor) {
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
    private final Anomalies anomalies;
    private final Reload reload;
    private final Jobs jobs;
    private final Fleet fleet;
    private final Reporting reporting;
    private final Alerts alerts;
    private final Health health;
    private final Sources sources;
    private final ProductsApi productsApi;
    private final Warehouse warehouse;
    private final CleanEvents cleanEvents;

    private PipelineSettings(Settings s, Map<String, String> env) {
        this.source = s;
        runtime = new Runtime(
                read(() -> runId(s), UUID.randomUUID()),
                read(() -> routeDuration(s, "pipeline.progress-interval", "pipeline.progress-interval-ms", Duration.ofSeconds(10)), null),
                read(() -> routeDuration(s, "pipeline.metrics.refresh", "pipeline.metrics.refresh-ms", Duration.ofSeconds(15)), null),
                // log4j2.properties picks the appender by LOG_FORMAT itself; a value it has no appender for is named here
                read(() -> oneOf(s, "pipeline.log.format", "text", "text", "json"), "text"));
        kafka = new Kafka(
                read(() -> s.required("camel.component.kafka.brokers", "the Kafka bootstrap servers, e.g. localhost:9092"), ""),
                read(() -> s.required("pipeline.kafka.topic", "the topic of raw events"), ""),
                read(() -> s.required("pipeline.kafka.group-id", "the consumer group"), ""),
                read(() -> s.intInRange("pipeline.kafka.consumers", 2, 1, 64), 1),
                read(() -> oneOf(s, "pipeline.kafka.auto-offset-reset", "earliest", "earliest", "latest", "none"), "earliest"),
                read(() -> kafkaSecurity(s), Map.of()));
        Duration maxWait = read(() -> routeDuration(s, "pipeline.batch.max-wait", "pipeline.batch.max-wait-ms",
                Duration.ofMillis(1)), Duration.ofMillis(1));
        batch = new Batch(
                read(() -> s.intInRange("pipeline.batch.size", 2000, 1, 100_000), 1),
                maxWait,
                read(() -> {
                    Duration d = routeDuration(s, "pipeline.batch.idle-wait", "pipeline.batch.idle-wait-ms", Duration.ofMillis(10));
                    // not bounded by the max wait: a max wait shorter than the idle wait writes every poll as a batch of
                    // its own (camel-kafka checks the max wait when the next poll returns), the idle wait then only
                    // bounds how long that next poll may take when no record comes
                    if (d.isZero() || d.isNegative() || d.compareTo(Duration.ofSeconds(5)) > 0) {
                        throw s.invalid("pipeline.batch.idle-wait", d.toString(), "must be positive and at most PT5S");
                    }
                    return d;
                }, Duration.ofMillis(10)),
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
                s.string("pipeline.db.migrations", "classpath:sql/migrations"),
                read(() -> oneOf(s, "pipeline.db.ssl-mode", "", "", "disable", "allow", "prefer", "require", "verify-ca",
                        "verify-full"), ""),
                read(() -> readableFile(s, "pipeline.db.ssl-root-cert"), ""),
                s.optionalSecret("pipeline.db.analyst-password"));
        http = new Http(
                read(() -> s.intInRange("camel.server.port", 8080, 1, 65535), 8080),
                read(() -> s.intInRange("camel.management.port", 9876, 1, 65535), 9876),
                read(() -> authenticated(s) ? Credentials.fromEnvironment(env) : null, null),
                read(() -> httpTls(s), ""));
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
        int historyDays = read(() -> s.intInRange("pipeline.anomalies.history-days", 7, 3, 28), 7);
        anomalies = new Anomalies(
                historyDays,
                read(() -> s.intInRange("pipeline.anomalies.min-history", 4, 2, historyDays), 2),
                read(() -> s.positiveDouble("pipeline.anomalies.z-threshold", 3.5), 3.5),
                read(() -> s.positiveDouble("pipeline.anomalies.min-deviation", 0.2), 0.2),
                read(() -> hours(s, "pipeline.anomalies.lookback", Duration.ofHours(24), Duration.ofDays(7)), Duration.ofHours(24)),
                read(() -> s.intInRange("pipeline.anomalies.min-hour-volume", 20, 1, 1_000_000), 20),
                read(() -> s.quartzCron("pipeline.anomalies.cron", "0 5 * * * ?"), ""));
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
        health = new Health(
                read(() -> atMost(s, "pipeline.health.timeout", Duration.ofMillis(400), Duration.ofSeconds(30)), Duration.ofMillis(400)),
                read(() -> atMost(s, "pipeline.health.reuse", Duration.ofSeconds(1), Duration.ofMinutes(10)), Duration.ofSeconds(1)));
        sources = new Sources(source(s, "products", "product_id"), source(s, "inventory", "product_id"),
                source(s, "campaigns", "campaign_id"),
                read(() -> s.intInRange("pipeline.sources.batch-size", 500, 1, 100_000), 1));
        productsApi = new ProductsApi(
                read(() -> s.bool("pipeline.products-api.enabled", false), false),
                read(() -> httpUrl(s, "pipeline.products-api.url", "https://fakestoreapi.com/products", false), ""),
                read(() -> s.quartzCron("pipeline.products-api.cron", "0 */15 * * * ?"), ""),
                read(() -> s.intInRange("pipeline.products-api.page-size", 0, 0, 10_000), 0),
                s.string("pipeline.products-api.limit-param", "limit"),
                s.string("pipeline.products-api.offset-param", "offset"),
                s.string("pipeline.products-api.items-field", "products"),
                read(() -> s.intInRange("pipeline.products-api.max-pages", 100, 1, 100_000), 1),
                read(() -> currencyCode(s, "pipeline.products-api.currency", "EUR"), "EUR"),
                s.string("pipeline.products-api.id-prefix", "P-"),
                read(() -> s.duration("pipeline.products-api.timeout", Duration.ofSeconds(10)), Duration.ofSeconds(10)));
        warehouse = new Warehouse(
                read(() -> s.quartzCron("pipeline.catalog.cron", "0 */15 * * * ?"), ""),
                s.string("pipeline.catalog.sql", "classpath:sql/catalog"),
                read(() -> s.intInRange("pipeline.inventory.velocity-days", 28, 1, 3650), 1),
                read(() -> s.positiveDouble("pipeline.inventory.low-cover-days", 7), 7.0),
                read(() -> s.positiveDouble("pipeline.inventory.overstock-cover-days", 90), 90.0),
                read(() -> s.intInRange("pipeline.inventory.dead-stock-days", 30, 1, 3650), 1),
                read(() -> s.duration("pipeline.attribution.window", Duration.ofDays(7)), Duration.ofDays(7)));
        cleanEvents = new CleanEvents(
                read(() -> s.bool("pipeline.clean-events.enabled", false), false),
                read(() -> s.required("pipeline.clean-events.topic", "the topic accepted events are republished to"), ""));
        if (warehouse.lowCoverDays() >= warehouse.overstockCoverDays()) {
            problems.add("Invalid settings " + s.label("pipeline.inventory.low-cover-days") + " and "
                    + s.label("pipeline.inventory.overstock-cover-days") + ": low stock must be below overstock");
        }
        // validated here so that a bad value is named with the others; Camel reads them itself
        read(() -> s.intInRange("camel.main.shutdown-timeout", 5, 1, 3600), 0);
        read(() -> s.intInRange("camel.component.kafka.shutdown-timeout", 3000, 100, 600_000), 0);
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

    public Anomalies anomalies() {
        return anomalies;
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

    public Health health() {
        return health;
    }

    public Sources sources() {
        return sources;
    }

    public ProductsApi productsApi() {
        return productsApi;
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    public CleanEvents cleanEvents() {
        return cleanEvents;
    }

    /** The settings of source {@code name}: pipeline.NAME.topic, .group-id, .enabled, .schema, .rules. */
    private Source source(Settings s, String name, String idField) {
        String p = "pipeline." + name + ".";
        return new Source(name,
                read(() -> s.required(p + "topic", "the Kafka topic of " + name + " records"), ""),
                read(() -> s.required(p + "group-id", "the consumer group of the " + name + " topic"), ""),
                read(() -> s.bool(p + "enabled", true), true),
                s.string(p + "schema", "classpath:contract/" + name + ".schema.json"),
                s.string(p + "rules", "classpath:contract/" + name + "-rules.yaml"),
                idField);
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
            UUID runId = configured.isEmpty() ? RuntimeIdentity.runId() : UUID.fromString(configured);
            RuntimeIdentity.runId(runId);
            return runId;
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

    /**
     * The Kafka client security properties. The TLS and SASL values are read from camel.component.kafka.* (so the
     * consumer route gets them from Camel as they are); the JAAS line is made here from user and password and handed
     * to the route as an override property (a password with a quote cannot break it).
     */
    private Map<String, String> kafkaSecurity(Settings s) {
        String protocol = oneOf(s, "camel.component.kafka.security-protocol", "PLAINTEXT", "PLAINTEXT", "SSL",
                "SASL_PLAINTEXT", "SASL_SSL");
        Map<String, String> props = new java.util.LinkedHashMap<>();
        props.put("security.protocol", protocol);
        if (protocol.endsWith("SSL")) {
            String truststore = readableFile(s, "camel.component.kafka.ssl-truststore-location");
            if (!truststore.isEmpty()) {
                props.put("ssl.truststore.location", truststore);
                props.put("ssl.truststore.type", s.string("camel.component.kafka.ssl-truststore-type", "PKCS12"));
                s.optional("camel.component.kafka.ssl-truststore-password").ifPresent(pw -> props.put("ssl.truststore.password", pw));
            }
            String keystore = readableFile(s, "camel.component.kafka.ssl-keystore-location");
            if (!keystore.isEmpty()) {
                props.put("ssl.keystore.location", keystore);
                props.put("ssl.keystore.type", s.string("camel.component.kafka.ssl-keystore-type", "PKCS12"));
                props.put("ssl.keystore.password", s.secret("camel.component.kafka.ssl-keystore-password",
                        "the password of the Kafka client keystore"));
            }
        }
        if (protocol.startsWith("SASL_")) {
            String mechanism = oneOf(s, "camel.component.kafka.sasl-mechanism", "SCRAM-SHA-512", "SCRAM-SHA-512",
                    "SCRAM-SHA-256", "PLAIN");
            String user = s.required("pipeline.kafka.sasl-username", "the Kafka SASL user");
            String password = s.secret("pipeline.kafka.sasl-password", "the Kafka SASL password");
            String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            String jaas = module + " required username=\"" + jaasQuoted(user) + "\" password=\"" + jaasQuoted(password) + "\";";
            props.put("sasl.mechanism", mechanism);
            props.put("sasl.jaas.config", jaas);
            routeProperties.setProperty("camel.component.kafka.sasl-jaas-config", jaas);
        }
        return Map.copyOf(props);
    }

    /** A value inside a JAAS double-quoted string. */
    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * HTTPS for both servers (camel.ssl.* as the global SSL context they use): the keystore must be a readable file
     * and its password set; returns the keystore, empty when HTTPS is off.
     */
    private static String httpTls(Settings s) {
        if (!s.bool("camel.ssl.enabled", false)) {
            return "";
        }
        String keystore = s.required("camel.ssl.keyStore", "the keystore (file:/path/to/keystore.p12) the servers serve HTTPS with");
        if (!keystore.startsWith("file:")) {
            throw s.invalid("camel.ssl.keyStore", keystore, "must be a file: URI, e.g. file:/etc/ecom-pipeline/server.p12");
        }
        String path = readableFile(s, "camel.ssl.keyStore");
        s.secret("camel.ssl.keystorePassword", "the password of the HTTPS keystore");
        return path;
    }

    /** A path that must name a readable file when set (empty when not set); a file: prefix is allowed. */
    private static String readableFile(Settings s, String key) {
        String value = s.string(key, "");
        if (value.isEmpty()) {
            return value;
        }
        Path path = Path.of(value.startsWith("file:") ? value.substring(5) : value);
        if (!java.nio.file.Files.isReadable(path) || java.nio.file.Files.isDirectory(path)) {
            throw s.invalid(key, value, "must be a readable file");
        }
        return path.toString();
    }

    private static String httpUrl(Settings s, String key, String defaultValue, boolean optional) {
        String url = s.string(key, defaultValue);
        if ((optional && url.isEmpty()) || url.matches("https?://[^\\s]+")) {
            return url;
        }
        throw s.invalid(key, url, optional ? "must be an http(s) URL or empty" : "must be an http(s) URL");
    }

    private static Duration atMost(Settings s, String key, Duration defaultValue, Duration max) {
        Duration d = s.duration(key, defaultValue);
        if (d.compareTo(max) > 0) {
            throw s.invalid(key, d.toString(), "must be at most " + max);
        }
        return d;
    }

    /** A whole number of hours between one hour and {@code max}. */
    private static Duration hours(Settings s, String key, Duration defaultValue, Duration max) {
        Duration d = s.duration(key, defaultValue);
        if (d.compareTo(Duration.ofHours(1)) < 0 || d.compareTo(max) > 0 || d.toSecondsPart() != 0 || d.toMinutesPart() != 0) {
            throw s.invalid(key, d.toString(), "must be whole hours between PT1H and " + max);
        }
        return d;
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
