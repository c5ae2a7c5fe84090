package io.ecompipeline.reload;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.DefaultRegistry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Checks an edited route file before it touches the running pipeline: parses it and builds its routes in a
 * throw-away CamelContext that sees the live beans and settings but starts no consumer. Invalid YAML, an unknown
 * component or option, a missing bean or an unknown route configuration fail here.
 */
public final class RouteValidator {

    private final CamelContext live;
    private final List<String> sharedResources;

    /**
     * @param sharedResources built-in files the edited routes may depend on (the shared routeConfiguration blocks)
     */
    public RouteValidator(CamelContext live, List<String> sharedResources) {
        this.live = live;
        this.sharedResources = sharedResources;
    }

    /** Throws with a readable reason when the resource would not load; returns the route ids it defines. */
    public List<String> validate(Resource candidate) throws Exception {
        DefaultCamelContext scratch = new DefaultCamelContext(false);
        try {
            scratch.getCamelContextExtension().setName("reload-validation");
            // reads fall through to the live registry; anything the scratch context binds stays in it
            scratch.getCamelContextExtension().setRegistry(new DefaultRegistry(live.getRegistry()));
            scratch.getPropertiesComponent().setLocation("classpath:application.properties");
            scratch.setAutoStartup(false);
            scratch.disableJMX();
            scratch.build();
            List<Resource> resources = new ArrayList<>();
            for (String location : sharedResources) {
                resources.add(ResourceHelper.resolveMandatoryResource(scratch, location));
            }
            resources.add(candidate);
            PluginHelper.getRoutesLoader(scratch).loadRoutes(resources);
            // builds every route (endpoints, processors, beans) without starting consumers
            scratch.start();
            List<String> ids = new ArrayList<>();
            scratch.getRoutes().forEach(r -> ids.add(r.getRouteId()));
            return ids;
        } finally {
            scratch.stop();
        }
    }
}
