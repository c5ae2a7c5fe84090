package io.ecompipeline.config;

import java.util.Map;

import org.apache.logging.log4j.core.util.ContextDataProvider;

/**
 * Adds the run id and the instance id to the context data of every log event, on every thread (Kafka consumers,
 * Vert.x, Quartz, the JVM's shutdown hook), where the MDC only reaches threads that set it. The JSON log layout
 * (log4j2.properties, LOG_FORMAT=json) writes them as {@code runId} and {@code instance}; Camel's MDC adds the route.
 * Registered for log4j through META-INF/services.
 */
public final class LogContextData implements ContextDataProvider {

    @Override
    public Map<String, String> supplyContextData() {
        return Map.of("runId", RuntimeIdentity.runId().toString(), "instance", RuntimeIdentity.INSTANCE_ID);
    }
}
