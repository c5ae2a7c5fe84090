package io.ecompipeline.observe;

import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

/**
 * Camel's Micrometer registry (camel-micrometer-prometheus binds it while the context starts, after the beans of
 * this pipeline are built), found once it exists. Everything that registers meters goes through here.
 */
public final class Meters {

    private final CamelContext context;
    private volatile MeterRegistry registry;

    public Meters(CamelContext context) {
        this.context = context;
    }

    /** The registry, or empty while Camel has not bound it yet (or metrics are off). */
    public Optional<MeterRegistry> registry() {
        MeterRegistry r = registry;
        if (r == null) {
            r = context.getRegistry().findSingleByType(MeterRegistry.class);
            registry = r;
        }
        return Optional.ofNullable(r);
    }
}
