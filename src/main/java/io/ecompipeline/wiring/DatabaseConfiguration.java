package io.ecompipeline.wiring;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.db.Database;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.flywaydb.core.api.output.MigrateResult;

/** The PostgreSQL pool: waits for the server (bounded) and migrates the schema before anything uses it. */
@Configuration
public class DatabaseConfiguration implements CamelConfiguration {

    @BindToRegistry("dataSource")
    public DataSource dataSource(CamelContext context, PipelineSettings settings) {
        HikariDataSource pool = Wiring.closeOnStop(context, Database.createPool(settings.database()));
        Database.awaitReachable(pool, settings);
        Database.migrateIfChanged(pool, settings.database());
        return pool;
    }

    /**
     * The same wait and migrations without a pipeline ({@code ecom-pipeline migrate}): for deployments that migrate
     * before they roll out, and for tests that need the schema without starting a runtime.
     */
    public static MigrateResult migrateOnly(PipelineSettings settings) {
        try (HikariDataSource pool = Database.createPool(settings.database())) {
            Database.awaitReachable(pool, settings);
            return Database.migrate(pool, settings.database());
        }
    }
}
