package io.ecompipeline.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ecompipeline.config.PipelineSettings;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Settings (every one validated before anything connects; all problems reported at once) and the JSON mapper. */
@Configuration
public class CoreConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("io.ecompipeline.settings");

    @BindToRegistry("settings")
    public PipelineSettings settings(CamelContext context) {
        PipelineSettings settings = PipelineSettings.read(context, System.getenv());
        // ISO durations replace *-ms settings the routes read: the routes see the effective milliseconds
        settings.routeProperties().forEach((key, value) ->
                context.getPropertiesComponent().addOverrideProperty(key.toString(), value.toString()));
        LOG.info("Effective settings (secrets masked):\n  {}", String.join("\n  ", settings.describe()));
        LOG.info("Pipeline run id {}", settings.runtime().runId());
        return settings;
    }

    @BindToRegistry("pipelineJson")
    public ObjectMapper pipelineJson() {
        return new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
