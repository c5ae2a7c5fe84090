package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.db.Database;
import io.ecompipeline.db.SchemaFingerprint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up skips Flyway only while nothing changed: on a real PostgreSQL, a second start finds its fingerprint
 * current, a new migration file makes it stale and is applied, and a changed history table makes it stale again.
 */
class SchemaFingerprintIT {

    private static PipelineSettings.Database settings(String url, String migrations) {
        return new PipelineSettings.Database(url, LocalServices.PG_USER, LocalServices.PG_PASSWORD, 4, Duration.ofSeconds(5),
                Duration.ofSeconds(5), migrations, "", "", "");
    }

    private static String fingerprint(String migrations) {
        return SchemaFingerprint.of(migrations, Map.of("analyst_password", ""), String.valueOf(
                new io.ecompipeline.db.SampleFxRatesMigration().getChecksum()));
    }

    @Test
    void aPendingMigrationStillMigratesAndAnUnchangedSchemaSkipsFlyway(@TempDir Path extra) throws Exception {
        try (FreshDatabase db = new FreshDatabase("fingerprint")) {
            String base = "classpath:sql/migrations";
            assertFalse(SchemaFingerprint.isCurrent(db.dataSource(), fingerprint(base)), "nothing stored yet");
            long historyRows = db.count("SELECT count(*) FROM flyway_schema_history");

            Database.migrateIfChanged(db.dataSource(), settings(db.url(), base));
            assertTrue(SchemaFingerprint.isCurrent(db.dataSource(), fingerprint(base)));
            assertEquals(historyRows, db.count("SELECT count(*) FROM flyway_schema_history"), "nothing was pending");

            Files.writeString(extra.resolve("V999__create_fingerprint_probe.sql"),
                    "CREATE TABLE pipeline.fingerprint_probe (id int);\n");
            String more = base + ",filesystem:" + extra;
            assertNotEquals(fingerprint(base), fingerprint(more));
            assertFalse(SchemaFingerprint.isCurrent(db.dataSource(), fingerprint(more)), "a new file is pending");
            Database.migrateIfChanged(db.dataSource(), settings(db.url(), more));
            assertEquals(1, db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'pipeline' AND tablename = 'fingerprint_probe'"));
            assertEquals(historyRows + 1, db.count("SELECT count(*) FROM flyway_schema_history"));
            assertTrue(SchemaFingerprint.isCurrent(db.dataSource(), fingerprint(more)));

            db.execute("DELETE FROM flyway_schema_history WHERE version = '999'");
            assertFalse(SchemaFingerprint.isCurrent(db.dataSource(), fingerprint(more)), "the history changed");
        }
    }
}
