package io.ecompipeline.cli;

import java.util.concurrent.Callable;

import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.config.SettingException;
import io.ecompipeline.wiring.DatabaseConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.flywaydb.core.api.output.MigrateResult;
import picocli.CommandLine.Command;

/**
 * {@code ecom-pipeline migrate}: applies the Flyway migrations to the database of {@code PG_URL} and exits, the way
 * {@code run} does at start-up. Exit code 0 when the schema is current, 2 when a setting or the database is wrong.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Apply the database migrations (PG_URL, PG_USER, PG_PASSWORD) and exit, without starting the pipeline.")
public final class MigrateCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        // built, never started: only the properties component is used to read the settings
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("classpath:application.properties");
        // no HTTP server runs here, so the API credentials are not needed
        context.getPropertiesComponent().addOverrideProperty("camel.server.enabled", "false");
        context.getPropertiesComponent().addOverrideProperty("camel.management.enabled", "false");
        try {
            PipelineSettings settings = PipelineSettings.read(context, System.getenv());
            MigrateResult result = DatabaseConfiguration.migrateOnly(settings);
            System.out.println("ecom-pipeline migrate: schema at version " + result.targetSchemaVersion + " ("
                    + result.migrationsExecuted + " migrations applied now)");
            return 0;
        } catch (SettingException e) {
            System.err.println("ecom-pipeline migrate: " + e.getMessage());
            return 2;
        }
    }
}
