package io.ecompipeline;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.ecompipeline.config.Settings;
import io.ecompipeline.contract.ActiveContract;
import io.ecompipeline.contract.ContractSchemaLoader;
import io.ecompipeline.contract.EventContract;
import io.ecompipeline.db.Database;
import io.ecompipeline.deadletter.DeadLetterQueries;
import io.ecompipeline.deadletter.DeadLetterRedelivery;
import io.ecompipeline.deadletter.DeadLetterStore;
import io.ecompipeline.deadletter.RedeliveryPolicy;
import io.ecompipeline.ingest.IngestBatchProcessor;
import io.ecompipeline.ingest.IngestStats;
import io.ecompipeline.ingest.KafkaBatchCommitter;
import io.ecompipeline.persist.RawEventWriter;
import io.ecompipeline.observe.Alerts;
import io.ecompipeline.observe.ConsumerLag;
import io.ecompipeline.api.DeadLetterEndpoints;
import io.ecompipeline.api.HttpResponses;
import io.ecompipeline.api.IngestEndpoints;
import io.ecompipeline.api.JobEndpoints;
import io.ecompipeline.jobs.JobRegistry;
import io.ecompipeline.api.MainServerHttpEngine;
import io.ecompipeline.jobs.MaintenanceJob;
import io.ecompipeline.observe.PipelineMetrics;
import io.ecompipeline.api.QualityEndpoints;
import io.ecompipeline.quality.QualityReport;
import io.ecompipeline.observe.ElasticsearchHealthCheck;
import io.ecompipeline.observe.PostgresHealthCheck;
import io.ecompipeline.reload.ConfigWatcher;
import io.ecompipeline.api.ReloadEndpoints;
import io.ecompipeline.reload.RouteFileOverrides;
import io.ecompipeline.reload.RouteValidator;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named beans the YAML routes refer to. Each is built once (settings are validated on the way, so a bad value
 * stops start-up with a line naming it); routes say what flows where, these beans say how a step is done.
 */
@Configuration
public class PipelineConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineConfiguration.class);

    private Settings settings;
    private HikariDataSource dataSource;
    private ObjectMapper json;
    private UUID runId;
    private ContractSchemaLoader schemaLoader;
    private ActiveContract contract;
    private IngestStats ingestStats;
    private DeadLetterStore deadLetterStore;
    private DeadLetterQueries deadLetterQueries;
    private JobRegistry jobRegistry;
    private HttpResponses httpResponses;
    private ConfigWatcher configWatcher;
    private Alerts alerts;
    private QualityReport qualityReport;

    @BindToRegistry("settings")
    public Settings settings(CamelContext context) {
        if (settings == null) {
            settings = new Settings(context);
        }
        return settings;
    }

    @BindToRegistry("dataSource")
    public DataSource dataSource(CamelContext context) {
        if (dataSource == null) {
            Settings s = settings(context);
            dataSource = Database.createPool(s);
            Database.awaitReachable(dataSource, s);
            Database.migrate(dataSource, s);
        }
        return dataSource;
    }

    @BindToRegistry("pipelineJson")
    public ObjectMapper json() {
        if (json == null) {
            json = new ObjectMapper().findAndRegisterModules()
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        }
        return json;
    }

    @BindToRegistry("runId")
    public UUID runId(CamelContext context) {
        if (runId == null) {
            String configured = settings(context).string("pipeline.run-id", "");
            try {
                runId = configured.isEmpty() ? UUID.randomUUID() : UUID.fromString(configured);
            } catch (IllegalArgumentException e) {
                throw settings(context).invalid("pipeline.run-id", configured, "must be a UUID or empty");
            }
            LOG.info("Pipeline run id {}", runId);
        }
        return runId;
    }

    /** Compiles the JSON Schema with format assertions on; camel-json-validator endpoints use it too. */
    @BindToRegistry("contractSchemaLoader")
    public ContractSchemaLoader contractSchemaLoader() {
        if (schemaLoader == null) {
            schemaLoader = new ContractSchemaLoader();
        }
        return schemaLoader;
    }

    @BindToRegistry("activeContract")
    public ActiveContract activeContract(CamelContext context) {
        if (contract == null) {
            Settings s = settings(context);
            long maxBytes = s.longInRange("pipeline.event.max-bytes", EventContract.DEFAULT_MAX_PAYLOAD_BYTES, 1, 64L << 20);
            EventContract initial = EventContract.load(context, contractSchemaLoader(),
                    s.string("pipeline.contract.schema", EventContract.DEFAULT_SCHEMA_URI),
                    s.string("pipeline.contract.rules", EventContract.DEFAULT_RULES_URI), maxBytes, Clock.systemUTC());
            contract = new ActiveContract(initial);
        }
        return contract;
    }

    @BindToRegistry("ingestStats")
    public IngestStats ingestStats() {
        if (ingestStats == null) {
            ingestStats = new IngestStats();
        }
        return ingestStats;
    }

    @BindToRegistry("deadLetterStore")
    public DeadLetterStore deadLetterStore(CamelContext context) {
        if (deadLetterStore == null) {
            Duration delay = settings(context).duration("pipeline.dead-letter.redelivery-delay", Duration.ofMinutes(15));
            deadLetterStore = new DeadLetterStore(json(), runId(context), delay);
        }
        return deadLetterStore;
    }

    @BindToRegistry("ingestBatchProcessor")
    public IngestBatchProcessor ingestBatchProcessor(CamelContext context) {
        Settings s = settings(context);
        // validate the batching settings here so a bad value is reported by name before the consumer starts
        s.intInRange("pipeline.batch.size", 2000, 1, 100_000);
        s.intInRange("pipeline.batch.max-wait-ms", 500, 1, 600_000);
        s.intInRange("pipeline.kafka.consumers", 2, 1, 64);
        s.intInRange("pipeline.ingest.retries", 3, 0, 100);
        s.intInRange("pipeline.ingest.retry-delay-ms", 1000, 0, 600_000);
        return new IngestBatchProcessor(dataSource(context), activeContract(context), new RawEventWriter(runId(context)),
                deadLetterStore(context), ingestStats(), json(), runId(context));
    }

    @BindToRegistry("kafkaBatchCommitter")
    public KafkaBatchCommitter kafkaBatchCommitter() {
        return new KafkaBatchCommitter(Duration.ofSeconds(30));
    }

    @BindToRegistry("jobRegistry")
    public JobRegistry jobRegistry() {
        if (jobRegistry == null) {
            jobRegistry = new JobRegistry();
        }
        return jobRegistry;
    }

    /** The {@code maintenance} job (purges and VACUUM ANALYZE from sql/maintenance), run by Airflow's window DAG. */
    @BindToRegistry("maintenanceJob")
    public MaintenanceJob maintenanceJob(CamelContext context) {
        MaintenanceJob job = new MaintenanceJob(context, dataSource(context),
                settings(context).string("pipeline.maintenance.location", "classpath:sql/maintenance"));
        jobRegistry().register("maintenance", job);
        return job;
    }

    @BindToRegistry("deadLetterQueries")
    public DeadLetterQueries deadLetterQueries(CamelContext context) {
        if (deadLetterQueries == null) {
            deadLetterQueries = new DeadLetterQueries(dataSource(context), json());
        }
        return deadLetterQueries;
    }

    /** Redelivery of due dead letters, registered as the {@code redeliver} job (schedule and HTTP share it). */
    @BindToRegistry("deadLetterRedelivery")
    public DeadLetterRedelivery deadLetterRedelivery(CamelContext context) {
        Settings s = settings(context);
        double multiplier = s.positiveDouble("pipeline.dead-letter.backoff-multiplier", 1.0);
        if (multiplier < 1.0) {
            throw s.invalid("pipeline.dead-letter.backoff-multiplier", String.valueOf(multiplier), "must be 1 or more");
        }
        RedeliveryPolicy policy = new RedeliveryPolicy(
                s.duration("pipeline.dead-letter.redelivery-delay", Duration.ofMinutes(15)), multiplier,
                s.intInRange("pipeline.dead-letter.max-attempts", 4, 1, 1000),
                s.intInRange("pipeline.dead-letter.batch-size", 500, 1, 10_000));
        DeadLetterRedelivery redelivery = new DeadLetterRedelivery(dataSource(context), activeContract(context),
                new RawEventWriter(runId(context)), deadLetterStore(context), policy, runId(context));
        jobRegistry().register(DeadLetterEndpoints.REDELIVER_JOB, jobId -> redelivery.redeliverDue(1_000_000).asMap());
        LOG.info("Dead letters are redelivered after {}, x{} per further attempt, parked after {} attempts",
                policy.delay(), policy.backoffMultiplier(), policy.maxAttempts());
        return redelivery;
    }

    /** REST routes on camel.server.port (see {@link MainServerHttpEngine} for why this is explicit). */
    @BindToRegistry("mainServerHttpEngine")
    public MainServerHttpEngine mainServerHttpEngine(CamelContext context) {
        return new MainServerHttpEngine(settings(context).intInRange("camel.server.port", 8080, 1, 65535));
    }

    /** Readiness covers PostgreSQL here, Kafka through Camel's consumer check, Elasticsearch when enabled. */
    @BindToRegistry("postgresHealthCheck")
    public PostgresHealthCheck postgresHealthCheck(CamelContext context) {
        return new PostgresHealthCheck(dataSource(context));
    }

    @BindToRegistry("elasticsearchHealthCheck")
    public ElasticsearchHealthCheck elasticsearchHealthCheck(CamelContext context) {
        ElasticsearchHealthCheck check = new ElasticsearchHealthCheck(
                settings(context).string("pipeline.elasticsearch.url", "http://localhost:9200"));
        check.setEnabled(settings(context).bool("pipeline.elasticsearch.health-enabled", true));
        return check;
    }

    @BindToRegistry("httpResponses")
    public HttpResponses httpResponses() {
        if (httpResponses == null) {
            httpResponses = new HttpResponses(json());
        }
        return httpResponses;
    }

    @BindToRegistry("jobEndpoints")
    public JobEndpoints jobEndpoints() {
        return new JobEndpoints(jobRegistry(), httpResponses());
    }

    @BindToRegistry("ingestEndpoints")
    public IngestEndpoints ingestEndpoints(CamelContext context) {
        return new IngestEndpoints(context, ingestStats(), httpResponses());
    }

    @BindToRegistry("deadLetterEndpoints")
    public DeadLetterEndpoints deadLetterEndpoints(CamelContext context) {
        return new DeadLetterEndpoints(deadLetterQueries(context), jobRegistry(), httpResponses());
    }

    @BindToRegistry("alerts")
    public Alerts alerts(CamelContext context) {
        if (alerts == null) {
            String webhook = settings(context).string("pipeline.alerts.webhook-url", "");
            if (!webhook.isEmpty() && !webhook.matches("https?://.+")) {
                throw settings(context).invalid("pipeline.alerts.webhook-url", webhook, "must be an http(s) URL or empty");
            }
            alerts = new Alerts(context.createProducerTemplate(), !webhook.isEmpty());
            jobRegistry().setAlerts(alerts);
        }
        return alerts;
    }

    @BindToRegistry("qualityReport")
    public QualityReport qualityReport(CamelContext context) {
        if (qualityReport != null) {
            return qualityReport;
        }
        Settings s = settings(context);
        qualityReport = new QualityReport(dataSource(context), new QualityReport.Thresholds(
                s.duration("pipeline.quality.window", Duration.ofHours(1)),
                s.positiveDouble("pipeline.quality.min-completeness", 0.70),
                s.positiveDouble("pipeline.quality.max-duplicate-ratio", 0.05),
                s.intInRange("pipeline.quality.max-drift-fields", 0, 0, 1000),
                s.positiveDouble("pipeline.quality.min-volume-ratio", 0.2),
                s.positiveDouble("pipeline.quality.max-volume-ratio", 5.0),
                s.duration("pipeline.quality.max-staleness", Duration.ofMinutes(30))), alerts(context));
        return qualityReport;
    }

    @BindToRegistry("qualityEndpoints")
    public QualityEndpoints qualityEndpoints(CamelContext context) {
        return new QualityEndpoints(qualityReport(context), httpResponses());
    }

    /** Built-in routes give way to routes with the same id in the external routes folder. */
    @BindToRegistry("routeFileOverrides")
    public RouteFileOverrides routeFileOverrides(CamelContext context) {
        return new RouteFileOverrides(Path.of(settings(context).string("pipeline.routes.dir", "routes")));
    }

    /** Watches the routes folder and the contract files; applies validated edits (see routes/reload.yaml). */
    @BindToRegistry("configWatcher")
    public ConfigWatcher configWatcher(CamelContext context) {
        if (configWatcher != null) {
            return configWatcher;
        }
        Settings s = settings(context);
        configWatcher = new ConfigWatcher(context, Path.of(s.string("pipeline.routes.dir", "routes")),
                new RouteValidator(context, List.of("classpath:routes/error-handling.yaml")), activeContract(context),
                s.string("pipeline.contract.schema", EventContract.DEFAULT_SCHEMA_URI),
                s.string("pipeline.contract.rules", EventContract.DEFAULT_RULES_URI),
                s.longInRange("pipeline.event.max-bytes", EventContract.DEFAULT_MAX_PAYLOAD_BYTES, 1, 64L << 20));
        return configWatcher;
    }

    @BindToRegistry("reloadEndpoints")
    public ReloadEndpoints reloadEndpoints(CamelContext context) {
        return new ReloadEndpoints(configWatcher(context), httpResponses());
    }

    @BindToRegistry("pipelineMetrics")
    public PipelineMetrics pipelineMetrics(CamelContext context) {
        Settings s = settings(context);
        ConsumerLag lag = new ConsumerLag(s.string("camel.component.kafka.brokers", "localhost:9092"),
                s.string("pipeline.kafka.topic", "ecommerce.events"), s.string("pipeline.kafka.group-id", "ecom-pipeline"));
        return new PipelineMetrics(context, ingestStats(), deadLetterQueries(context), lag);
    }
}
