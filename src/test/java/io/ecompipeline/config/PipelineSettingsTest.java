package io.ecompipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class PipelineSettingsTest {

    private static final Map<String, String> ENV = Map.of("PIPELINE_API_PASSWORD", "s3cret-pass");

    /** application.properties as the runtime reads it, with {@code overrides} on top (as the environment would). */
    private static PipelineSettings read(Map<String, String> env, String... overrides) throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            for (int i = 0; i < overrides.length; i += 2) {
                context.getPropertiesComponent().addOverrideProperty(overrides[i], overrides[i + 1]);
            }
            return PipelineSettings.read(context, env);
        }
    }

    @Test
    void everyBadSettingIsNamedAtOnce() {
        SettingException e = assertThrows(SettingException.class, () -> read(Map.of(),
                "pipeline.batch.size", "abc",
                "pipeline.db.password", "x",
                "pipeline.transform.cron", "0 * * * *",
                "pipeline.quality.min-completeness", "1.5",
                "pipeline.dead-letter.redelivery-delay", "15"));
        String message = e.getMessage();
        assertTrue(message.startsWith("5 settings need fixing:"), message);
        assertTrue(message.contains("PIPELINE_BATCH_SIZE (pipeline.batch.size) = \"abc\""), message);
        assertTrue(message.contains("TRANSFORM_CRON"), message);
        assertTrue(message.contains("QUALITY_MIN_COMPLETENESS"), message);
        assertTrue(message.contains("DEAD_LETTER_REDELIVERY_DELAY"), message);
        assertTrue(message.contains("PIPELINE_API_PASSWORD"), message);
    }

    @Test
    void isoDurationsWinOverTheirLegacyMillisecondsAndReachTheRoutes() throws Exception {
        PipelineSettings legacy = read(ENV, "pipeline.db.password", "pw", "pipeline.batch.max-wait-ms", "250");
        assertEquals(Duration.ofMillis(250), legacy.batch().maxWait());
        assertTrue(legacy.routeProperties().isEmpty());

        PipelineSettings iso = read(ENV, "pipeline.db.password", "pw", "pipeline.batch.max-wait-ms", "250",
                "pipeline.batch.max-wait", "PT0.05S");
        assertEquals(Duration.ofMillis(50), iso.batch().maxWait());
        assertEquals("50", iso.routeProperties().getProperty("pipeline.batch.max-wait-ms"));
    }

    @Test
    void aBatchIsOnePollByDefaultAndTheIdleWaitIsBoundedButNotByTheMaxWait() throws Exception {
        PipelineSettings defaults = read(ENV, "pipeline.db.password", "pw");
        assertEquals(Duration.ofMillis(10), defaults.batch().idleWait());
        assertEquals(Duration.ofMillis(1), defaults.batch().maxWait());
        PipelineSettings iso = read(ENV, "pipeline.db.password", "pw", "pipeline.batch.idle-wait", "PT0.025S");
        assertEquals("25", iso.routeProperties().getProperty("pipeline.batch.idle-wait-ms"));
        // an idle wait longer than the max wait is the default shape (one poll per batch), not a mistake
        PipelineSettings longer = read(ENV, "pipeline.db.password", "pw", "pipeline.batch.max-wait", "PT0.1S",
                "pipeline.batch.idle-wait", "PT0.2S");
        assertEquals(Duration.ofMillis(200), longer.batch().idleWait());
        String message = assertThrows(SettingException.class, () -> read(ENV, "pipeline.db.password", "pw",
                "pipeline.batch.idle-wait", "PT6S")).getMessage();
        assertTrue(message.contains("PIPELINE_BATCH_IDLE_WAIT"), message);
        assertTrue(message.contains("at most PT5S"), message);
    }

    @Test
    void effectiveValuesAreResolvedAndSecretsMasked() throws Exception {
        PipelineSettings s = read(ENV, "pipeline.db.password", "very-secret");
        String all = String.join("\n", s.describe());
        assertFalse(all.contains("very-secret"), all);
        assertFalse(all.contains("{{env:"), all);
        assertTrue(all.contains("PG_PASSWORD (pipeline.db.password) = ****"), all);
        assertTrue(all.contains("PIPELINE_BATCH_SIZE (pipeline.batch.size) = 2000"), all);
    }

    @Test
    void logFormatIsTextUnlessJsonAndAnythingElseIsNamed() throws Exception {
        assertEquals("text", read(ENV, "pipeline.db.password", "pw").runtime().logFormat());
        assertEquals("json", read(ENV, "pipeline.db.password", "pw", "pipeline.log.format", "json").runtime().logFormat());
        SettingException e = assertThrows(SettingException.class,
                () -> read(ENV, "pipeline.db.password", "pw", "pipeline.log.format", "logfmt"));
        assertTrue(e.getMessage().contains("LOG_FORMAT (pipeline.log.format) = \"logfmt\""), e.getMessage());
    }

    @Test
    void theRunIdOfTheSettingsIsTheOneInTheLogLines() throws Exception {
        java.util.UUID given = java.util.UUID.randomUUID();
        assertEquals(given, read(ENV, "pipeline.db.password", "pw", "pipeline.run-id", given.toString()).runtime().runId());
        assertEquals(given.toString(), new LogContextData().supplyContextData().get("runId"));
        assertEquals(RuntimeIdentity.INSTANCE_ID, new LogContextData().supplyContextData().get("instance"));
    }

    @Test
    void theReportingCurrencyIsEuroUnlessAnIsoCodeIsSet() throws Exception {
        assertEquals("EUR", read(ENV, "pipeline.db.password", "pw").reporting().currency());
        assertEquals("USD", read(ENV, "pipeline.db.password", "pw", "pipeline.reporting.currency", "USD").reporting().currency());
        SettingException e = assertThrows(SettingException.class,
                () -> read(ENV, "pipeline.db.password", "pw", "pipeline.reporting.currency", "euro"));
        assertTrue(e.getMessage().contains("REPORTING_CURRENCY (pipeline.reporting.currency) = \"euro\""), e.getMessage());
    }

    @Test
    void anomalySettingsHaveDefaultsAndBadOnesAreNamedByTheirVariables() throws Exception {
        PipelineSettings.Anomalies a = read(ENV, "pipeline.db.password", "pw").anomalies();
        assertEquals(new PipelineSettings.Anomalies(7, 4, 3.5, 0.2, Duration.ofHours(24), 20, "0 5 * * * ?"), a);

        SettingException e = assertThrows(SettingException.class, () -> read(ENV, "pipeline.db.password", "pw",
                "pipeline.anomalies.history-days", "5",
                "pipeline.anomalies.min-history", "6",
                "pipeline.anomalies.z-threshold", "-1",
                "pipeline.anomalies.lookback", "PT90M",
                "pipeline.anomalies.cron", "5 * * * *"));
        String message = e.getMessage();
        assertTrue(message.startsWith("4 settings need fixing:"), message);
        // the history must hold the days it needs, counted against the history actually set
        assertTrue(message.contains("ANOMALY_MIN_HISTORY (pipeline.anomalies.min-history) = \"6\""), message);
        assertTrue(message.contains("ANOMALY_Z_THRESHOLD"), message);
        assertTrue(message.contains("ANOMALY_LOOKBACK (pipeline.anomalies.lookback) = \"PT1H30M\""), message);
        assertTrue(message.contains("ANOMALY_CRON"), message);
    }

    @Test
    void credentialsAreOnlyNeededWhenAServerAsksForThem() throws Exception {
        PipelineSettings s = read(Map.of(), "pipeline.db.password", "pw", "camel.server.enabled", "false",
                "camel.management.authenticationEnabled", "false");
        assertEquals(null, s.http().credentials());
    }
}
