package io.ecompipeline.wiring;

import java.util.List;

import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.contract.ActiveContract;
import io.ecompipeline.reload.ConfigWatcher;
import io.ecompipeline.reload.RouteFileOverrides;
import io.ecompipeline.reload.RouteValidator;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

/** Edits without restart: external routes replace built-in ones by id; watched files are validated, then applied. */
@Configuration
public class ReloadConfiguration implements CamelConfiguration {

    /** Route files every edited route is validated together with (its error handling lives there). */
    static final List<String> SHARED_ROUTE_FILES = List.of("classpath:routes/error-handling.yaml");

    @BindToRegistry("routeFileOverrides")
    public RouteFileOverrides routeFileOverrides(PipelineSettings settings) {
        return new RouteFileOverrides(settings.reload().routesDir());
    }

    @BindToRegistry("configWatcher")
    public ConfigWatcher configWatcher(CamelContext context, PipelineSettings settings, ActiveContract contract) {
        PipelineSettings.Contract c = settings.contract();
        return new ConfigWatcher(context, settings.reload().routesDir(), new RouteValidator(context, SHARED_ROUTE_FILES),
                contract, c.schemaUri(), c.rulesUri(), c.maxBytes());
    }
}
