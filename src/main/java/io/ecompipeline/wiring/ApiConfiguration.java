package io.ecompipeline.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.api.ApiAuthentication;
import io.ecompipeline.api.DeadLetterEndpoints;
import io.ecompipeline.api.HttpResponses;
import io.ecompipeline.api.HttpServerFactory;
import io.ecompipeline.api.HttpServerGuards;
import io.ecompipeline.api.IngestEndpoints;
import io.ecompipeline.api.JobEndpoints;
import io.ecompipeline.api.MainServerHttpEngine;
import io.ecompipeline.api.OpenApiEndpoint;
import io.ecompipeline.api.QualityEndpoints;
import io.ecompipeline.api.ReloadEndpoints;
import io.ecompipeline.api.RouteEndpoints;
import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.deadletter.DeadLetterQueries;
import io.ecompipeline.fleet.RouteControls;
import io.ecompipeline.fleet.RouteStates;
import io.ecompipeline.ingest.IngestStats;
import io.ecompipeline.jobs.JobRegistry;
import io.ecompipeline.quality.QualityReport;
import io.ecompipeline.reload.ConfigWatcher;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

/** The REST endpoints of routes/api.yaml on the main HTTP server ({@code /api}, behind basic auth). */
@Configuration
public class ApiConfiguration implements CamelConfiguration {

    @BindToRegistry("httpResponses")
    public HttpResponses httpResponses(ObjectMapper json) {
        return new HttpResponses(json);
    }

    /** REST routes on camel.server.port (see {@link MainServerHttpEngine} for why this is explicit). */
    @BindToRegistry("mainServerHttpEngine")
    public MainServerHttpEngine mainServerHttpEngine(PipelineSettings settings, HttpResponses http) {
        return new MainServerHttpEngine(settings.http().serverPort(), http);
    }

    /** Problem details for what both HTTP servers answer themselves (401, 404, 405, ...); Jolokia over POST only. */
    @BindToRegistry("httpServerGuards")
    public HttpServerGuards httpServerGuards(CamelContext context, PipelineSettings settings) throws Exception {
        String contextPath = context.getPropertiesComponent().resolveProperty("camel.rest.contextPath").orElse("");
        HttpServerGuards guards = new HttpServerGuards(
                context.getPropertiesComponent().resolveProperty("camel.server.authenticationRealm").orElse("ecom-pipeline"),
                contextPath.replaceAll("/+$", "") + HttpServerFactory.OPENAPI_PATH, new ApiAuthentication(settings.http().credentials()));
        context.addStartupListener(guards);
        return guards;
    }

    @BindToRegistry("jobEndpoints")
    public JobEndpoints jobEndpoints(JobRegistry jobs, HttpResponses http) {
        return new JobEndpoints(jobs, http);
    }

    @BindToRegistry("deadLetterEndpoints")
    public DeadLetterEndpoints deadLetterEndpoints(DeadLetterQueries queries, JobRegistry jobs, HttpResponses http) {
        return new DeadLetterEndpoints(queries, jobs, http);
    }

    @BindToRegistry("qualityEndpoints")
    public QualityEndpoints qualityEndpoints(QualityReport report, HttpResponses http) {
        return new QualityEndpoints(report, http);
    }

    @BindToRegistry("reloadEndpoints")
    public ReloadEndpoints reloadEndpoints(ConfigWatcher watcher, HttpResponses http) {
        return new ReloadEndpoints(watcher, http);
    }

    @BindToRegistry("ingestEndpoints")
    public IngestEndpoints ingestEndpoints(RouteStates states, IngestStats stats, HttpResponses http) {
        return new IngestEndpoints(states, stats, http);
    }

    @BindToRegistry("openApiEndpoint")
    public OpenApiEndpoint openApiEndpoint(CamelContext context) {
        return new OpenApiEndpoint(context);
    }

    @BindToRegistry("routeEndpoints")
    public RouteEndpoints routeEndpoints(CamelContext context, RouteControls controls, HttpResponses http) {
        return new RouteEndpoints(context, controls, http);
    }
}
