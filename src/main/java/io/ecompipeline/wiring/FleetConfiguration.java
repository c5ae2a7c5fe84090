package io.ecompipeline.wiring;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.fleet.FleetMember;
import io.ecompipeline.fleet.RouteControls;
import io.ecompipeline.fleet.RouteStates;
import io.ecompipeline.jobs.RunRecords;
import io.ecompipeline.observe.Alerts;
import io.ecompipeline.observe.JobMetrics;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.component.quartz.QuartzComponent;

/**
 * Several instances on one database, operated as one: the run table every job writes, this instance's membership of
 * the fleet (heartbeats, fleet route requests, abandoned runs; routes/housekeeping.yaml drives it) and the Quartz
 * scheduler of the camel-quartz routes, clustered on PostgreSQL so that each schedule fires once per fleet.
 */
@Configuration
public class FleetConfiguration implements CamelConfiguration {

    @BindToRegistry("runRecords")
    public RunRecords runRecords(DataSource dataSource, ObjectMapper json) {
        return new RunRecords(dataSource, json);
    }

    @BindToRegistry("routeStates")
    public RouteStates routeStates(CamelContext context) {
        return new RouteStates(context);
    }

    @BindToRegistry("routeControls")
    public RouteControls routeControls(DataSource dataSource, PipelineSettings settings) {
        return new RouteControls(dataSource, settings.fleet().instanceTimeout());
    }

    /** Joins before any route starts, so a route the fleet has suspended does not start here either. */
    @BindToRegistry("fleetMember")
    public FleetMember fleetMember(CamelContext context, DataSource dataSource, RouteControls controls, RouteStates states,
                                   RunRecords runs, Alerts alerts, JobMetrics metrics, PipelineSettings settings) throws Exception {
        PipelineSettings.Fleet fleet = settings.fleet();
        FleetMember member = Wiring.closeOnStop(context, new FleetMember(context, dataSource, controls, states, runs,
                fleet.instanceTimeout(), fleet.jobRunRetention(), run -> {
                    metrics.record(run.type(), run.status(), Duration.between(run.startedAt(), run.finishedAt()),
                            run.finishedAt().getEpochSecond());
                    // one-off: each abandoned run is its own event, nothing resolves it
                    alerts.announce("job-abandoned", run.id(), run.type() + " job " + run.id() + " abandoned: " + run.error(),
                            Map.of("job", run.id()));
                }));
        member.join(FleetConfiguration.class.getPackage().getImplementationVersion());
        return member;
    }

    /**
     * camel-quartz on Quartz's clustered JDBC job store (tables pipeline.qrtz_*, migration V072): every instance with
     * the same scheduler name shares the triggers, and each fire runs on one of them. Quartz keeps a small pool of its
     * own, so a busy ingest never starves the schedules of connections.
     */
    @BindToRegistry("quartz")
    public QuartzComponent quartz(PipelineSettings settings) {
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(quartzProperties(settings));
        // the name is the cluster: prefixing it with the Camel context name would make it depend on that
        quartz.setPrefixInstanceName(false);
        // a stop must stay bounded (PIPELINE_SHUTDOWN_TIMEOUT): a job still running is interrupted, not awaited
        quartz.setInterruptJobsOnShutdown(true);
        return quartz;
    }

    static Properties quartzProperties(PipelineSettings settings) {
        PipelineSettings.Database db = settings.database();
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", settings.fleet().schedulerName());
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", "4");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.tablePrefix", "pipeline.qrtz_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "30000");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.dataSource", "ecomPipeline");
        p.setProperty("org.quartz.dataSource.ecomPipeline.provider", "hikaricp");
        p.setProperty("org.quartz.dataSource.ecomPipeline.driver", "org.postgresql.Driver");
        p.setProperty("org.quartz.dataSource.ecomPipeline.URL", db.url());
        p.setProperty("org.quartz.dataSource.ecomPipeline.user", db.user());
        p.setProperty("org.quartz.dataSource.ecomPipeline.password", db.password());
        p.setProperty("org.quartz.dataSource.ecomPipeline.maxConnections", "3");
        return p;
    }
}
