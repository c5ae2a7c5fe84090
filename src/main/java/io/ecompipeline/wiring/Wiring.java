package io.ecompipeline.wiring;

import java.util.List;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The one place that says which configuration classes build the pipeline, and in which order. Camel binds the
 * {@code @BindToRegistry} beans of each class in this order before any route is created, so a class may take beans
 * of the classes above it as method parameters (resolved by type). Inside one class Camel binds parameterless
 * methods first, then those whose parameters no other method of the class returns, then the rest; the classes keep
 * their inner chains that short. Package scanning is off: nothing is wired that is not listed here.
 */
public final class Wiring {

    /** Every configuration class, dependencies first. */
    public static final List<Class<? extends CamelConfiguration>> CONFIGURATIONS = List.of(
            CoreConfiguration.class,        // settings (all validated at once), JSON
            DatabaseConfiguration.class,    // pool, wait for the server, Flyway
            ContractConfiguration.class,    // JSON Schema + rules in force
            StorageConfiguration.class,     // raw.events and pipeline.dead_letters writers shared by every source
            SourcesConfiguration.class,     // every record source: events, products, inventory, campaigns (contract + writer)
            DeadLetterConfiguration.class,  // queries and redelivery of the dead-letter store
            IngestConfiguration.class,      // Kafka batch placement and offset commits
            ProductsApiConfiguration.class, // the products REST API poll (camel-http), placed like a Kafka batch
            ObserveConfiguration.class,     // alerts, metrics, health checks, consumer lag
            FleetConfiguration.class,       // run table, fleet membership (heartbeat, route requests), clustered Quartz
            TransformConfiguration.class,   // SQL jobs (transform, gold)
            IndexConfiguration.class,       // hourly metrics -> Elasticsearch
            QualityConfiguration.class,     // data-quality report
            ReloadConfiguration.class,      // route and contract edits without restart
            JobsConfiguration.class,        // the job registry: every job registered here
            ApiConfiguration.class);        // REST endpoints

    private Wiring() {
    }

    /** Adds the configuration classes to camel-main (the runtime, and tests on camel-test-main-junit5). */
    public static void addTo(MainConfigurationProperties main) {
        main.setBasePackageScanEnabled(false);
        // instances, not class names: camel-main resolves a class-name list more than once
        for (Class<? extends CamelConfiguration> type : CONFIGURATIONS) {
            try {
                main.addConfiguration(type.getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + type.getName(), e);
            }
        }
    }

    /** Closes {@code resource} when the Camel context stops (clients the registry does not manage). */
    static <T extends AutoCloseable> T closeOnStop(CamelContext context, T resource) {
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() throws Exception {
                    resource.close();
                }
            }, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + resource + " for shutdown", e);
        }
        return resource;
    }
}
