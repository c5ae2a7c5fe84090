package io.ecompipeline.transform;

import io.ecompipeline.jobs.RunRecords;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.config.Settings;
import io.ecompipeline.index.HourlyMetricsIndex;
import io.ecompipeline.index.HourlyMetricsIndexer;
import io.ecompipeline.jobs.Job;
import io.ecompipeline.jobs.JobRegistry;
import io.ecompipeline.jobs.JobRun;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Configuration;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Beans of the transformation, gold and indexing steps (routes/transform.yaml, routes/index.yaml), and the jobs
 * {@code transform}, {@code gold} and {@code index} in the shared {@link JobRegistry}. Shared beans ({@code dataSource},
 * {@code settings}, {@code pipelineJson}, {@code jobRegistry}) are looked up from the registry, so this class only
 * depends on their names; the beans here are lazy so those exist by the time they are built.
 */
@Configuration
public class TransformConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TransformConfiguration.class);

    public static final String TRANSFORM_RUN_URI = "direct:transform-run";
    public static final String INDEX_RUN_URI = "direct:index-run";
    public static final String GOLD_RUN_URI = "direct:gold-run";
    public static final String INDEX_BULK_URI = "direct:index-bulk";
    /** Header with the job run's trigger (schedule, http, ...) for the run record. */
    public static final String TRIGGER_HEADER = "jobTrigger";

    private RunRecords runRecords;
    private TransformRunner transformRunner;
    private GoldRunner goldRunner;
    private HourlyMetricsIndex hourlyMetricsIndex;
    private HourlyMetricsIndexer hourlyMetricsIndexer;
    private ProducerTemplate template;
    private JobRegistry boundRegistry;

    @BindToRegistry(value = "transformRunner", lazy = true)
    public synchronized TransformRunner transformRunner(CamelContext context) {
        if (transformRunner == null) {
            Settings s = settings(context);
            transformRunner = new TransformRunner(dataSource(context), runRecords(context), json(context),
                    s.string("pipeline.transform.sql", "classpath:sql/transform"),
                    s.duration("pipeline.transform.late-threshold", Duration.ofMinutes(2)),
                    s.duration("pipeline.transform.lock-timeout", Duration.ofMinutes(1)));
        }
        return transformRunner;
    }

    @BindToRegistry(value = "goldRunner", lazy = true)
    public synchronized GoldRunner goldRunner(CamelContext context) {
        if (goldRunner == null) {
            Settings s = settings(context);
            goldRunner = new GoldRunner(dataSource(context), runRecords(context), json(context),
                    s.string("pipeline.gold.sql", "classpath:sql/gold"),
                    s.duration("pipeline.transform.lock-timeout", Duration.ofMinutes(1)));
        }
        return goldRunner;
    }

    @BindToRegistry(value = "hourlyMetricsIndexer", lazy = true)
    public synchronized HourlyMetricsIndexer hourlyMetricsIndexer(CamelContext context) {
        if (hourlyMetricsIndexer == null) {
            Settings s = settings(context);
            hourlyMetricsIndex = new HourlyMetricsIndex(context, s.string("pipeline.index.name", "hourly_metrics"));
            hourlyMetricsIndexer = new HourlyMetricsIndexer(dataSource(context), runRecords(context), hourlyMetricsIndex,
                    template(context), INDEX_BULK_URI, s.intInRange("pipeline.index.batch-size", 500, 1, 10_000),
                    s.duration("pipeline.index.lock-wait", Duration.ofSeconds(30)));
        }
        return hourlyMetricsIndexer;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // a Unix-style cron (5 fields) is the likely mistake; say so by name instead of a Quartz stack trace
        Settings s = settings(context);
        requireQuartzCron(s, "pipeline.transform.cron");
        requireQuartzCron(s, "pipeline.index.cron");
        requireQuartzCron(s, "pipeline.gold.cron");
        // jobRegistry is shared with the ops/REST side; whoever binds it first wins, the jobs go to the bound one
        if (context.getRegistry().lookupByNameAndType("jobRegistry", JobRegistry.class) == null) {
            boundRegistry = new JobRegistry();
            context.getRegistry().bind("jobRegistry", JobRegistry.class, boundRegistry);
            LOG.debug("Bound a JobRegistry as jobRegistry (none was bound yet)");
        }
        // close the Elasticsearch admin client and the template with the context
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                closeResources();
            }
        }, true);
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
                registerJobs(ctx);
            }
        });
    }

    private void registerJobs(CamelContext context) {
        JobRegistry registry = context.getRegistry().lookupByNameAndType("jobRegistry", JobRegistry.class);
        registry.register(TransformRunner.JOB, viaRoute(context, registry, TRANSFORM_RUN_URI));
        registry.register(HourlyMetricsIndexer.JOB, viaRoute(context, registry, INDEX_RUN_URI));
        registry.register(GoldRunner.JOB, viaRoute(context, registry, GOLD_RUN_URI));
        LOG.info("Jobs {}, {} and {} registered", TransformRunner.JOB, HourlyMetricsIndexer.JOB, GoldRunner.JOB);
    }

    /** A job that sends its run id (and trigger) to a route and returns the route's result map. */
    private Job viaRoute(CamelContext context, JobRegistry registry, String uri) {
        return jobId -> {
            String trigger = registry.get(jobId).map(JobRun::trigger).orElse(null);
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> result = template(context).requestBodyAndHeader(uri, jobId, TRIGGER_HEADER, trigger, Map.class);
                return result;
            } catch (CamelExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        };
    }

    static void requireQuartzCron(Settings s, String key) {
        s.optional(key).ifPresent(cron -> {
            if (!CronExpression.isValidExpression(cron)) {
                throw s.invalid(key, cron, "must be a Quartz cron expression with seconds first, e.g. \"0 0 * * * ?\" for "
                        + "every hour (sec min hour day-of-month month day-of-week [year])");
            }
        });
    }

    private synchronized void closeResources() throws Exception {
        if (boundRegistry != null) {
            boundRegistry.close();
        }
        if (hourlyMetricsIndex != null) {
            hourlyMetricsIndex.close();
        }
        if (template != null) {
            ServiceHelper.stopService(template);
            template = null;
        }
    }

    private synchronized RunRecords runRecords(CamelContext context) {
        if (runRecords == null) {
            runRecords = new RunRecords(dataSource(context));
        }
        return runRecords;
    }

    private synchronized ProducerTemplate template(CamelContext context) {
        if (template == null) {
            template = context.createProducerTemplate();
            ServiceHelper.startService(template);
        }
        return template;
    }

    private static Settings settings(CamelContext context) {
        Settings s = context.getRegistry().lookupByNameAndType("settings", Settings.class);
        return s != null ? s : new Settings(context);
    }

    private static DataSource dataSource(CamelContext context) {
        DataSource ds = context.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        if (ds == null) {
            throw new IllegalStateException("no dataSource bean in the registry (PipelineConfiguration binds it)");
        }
        return ds;
    }

    private static ObjectMapper json(CamelContext context) {
        ObjectMapper m = context.getRegistry().lookupByNameAndType("pipelineJson", ObjectMapper.class);
        return m != null ? m : new ObjectMapper().findAndRegisterModules();
    }
}
