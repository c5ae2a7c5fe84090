package io.ecompipeline.wiring;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.deadletter.DeadLetterRedelivery;
import io.ecompipeline.jobs.Job;
import io.ecompipeline.jobs.JobRegistry;
import io.ecompipeline.jobs.MaintenanceJob;
import io.ecompipeline.jobs.RunRecords;
import io.ecompipeline.jobs.RunResult;
import io.ecompipeline.jobs.RunStatus;
import io.ecompipeline.observe.Alerts;
import io.ecompipeline.observe.JobMetrics;
import io.ecompipeline.quality.AnomalyDetector;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Configuration;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job registry and EVERY job it runs, registered here in one place. Schedules (camel-quartz routes, one fire per
 * fleet) and the REST API start jobs by name through the registry, which records every run in pipeline.job_runs; jobs
 * whose steps are routes (transform, gold, index) run by sending their run id to that route.
 */
@Configuration
public class JobsConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(JobsConfiguration.class);

    /** Header with the job run's trigger (schedule, http, ...) for the run record. */
    public static final String TRIGGER_HEADER = "jobTrigger";

    @BindToRegistry("maintenanceJob")
    public MaintenanceJob maintenanceJob(CamelContext context, DataSource dataSource, PipelineSettings settings) {
        return new MaintenanceJob(context, dataSource, settings.jobs().maintenanceSql());
    }

    @BindToRegistry("jobRegistry")
    public JobRegistry jobRegistry(CamelContext context, RunRecords records, Alerts alerts, JobMetrics metrics,
                                   DeadLetterRedelivery redelivery, MaintenanceJob maintenance, AnomalyDetector anomalyDetector) {
        JobRegistry jobs = Wiring.closeOnStop(context, new JobRegistry(records, run -> {
            metrics.record(run.type(), run.status(), Duration.between(run.startedAt(), run.finishedAt()),
                    run.finishedAt().getEpochSecond());
            // one alert per job type while its runs fail, resolved by its next success
            if (RunStatus.FAILED.equals(run.status())) {
                alerts.raise("job-failed", run.type(), run.type() + " job " + run.id() + " failed: " + run.error(),
                        Map.of("job", run.id()));
            } else if (RunStatus.SUCCEEDED.equals(run.status())) {
                alerts.resolve("job-failed", run.type(), run.type() + " job succeeded again (" + run.id() + ")");
            }
        }));
        ProducerTemplate template = Wiring.closeOnStop(context, context.createProducerTemplate());
        jobs.register("transform", viaRoute(template, "direct:transform-run"));
        jobs.register("gold", viaRoute(template, "direct:gold-run"));
        jobs.register("index", viaRoute(template, "direct:index-run"));
        jobs.register("catalog", viaRoute(template, "direct:catalog-run"));
        jobs.register("redeliver", run -> redelivery.redeliverDue(1_000_000).asMap());
        jobs.register("maintenance", maintenance);
        jobs.register("anomalies", jobId -> anomalyDetector.run());
        metrics.knownTypes(jobs.types());
        LOG.info("Jobs registered: {}", jobs.types());
        return jobs;
    }

    /** A job that sends its run id (and trigger) to a route and returns the route's result. */
    private static Job viaRoute(ProducerTemplate template, String uri) {
        return run -> {
            try {
                Object result = template.requestBodyAndHeader(uri, run.id(), TRIGGER_HEADER, run.trigger());
                if (result instanceof RunResult sqlRun) {
                    return sqlRun.toMap();
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) result;
                return map;
            } catch (CamelExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        };
    }
}
