package io.ecompipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void refusesAMissingPasswordAndTheDevelopmentPasswordOutsideDevelopmentMode() {
        assertTrue(assertThrows(SettingException.class, () -> Credentials.fromEnvironment(Map.of()))
                .getMessage().contains("PIPELINE_API_PASSWORD"));
        assertTrue(assertThrows(SettingException.class, () -> Credentials.fromEnvironment(
                Map.of("PIPELINE_API_PASSWORD", Credentials.DEV_PASSWORD))).getMessage().contains("development"));
        assertEquals(Credentials.DEFAULT_USER, Credentials.fromEnvironment(
                Map.of("PIPELINE_API_PASSWORD", Credentials.DEV_PASSWORD, "PIPELINE_DEV_MODE", "true")).user());
        assertThrows(SettingException.class, () -> Credentials.fromEnvironment(Map.of("PIPELINE_API_PASSWORD", "has,comma1")));
        assertThrows(SettingException.class, () -> Credentials.fromEnvironment(Map.of("PIPELINE_API_PASSWORD", "short")));
    }

    @Test
    void neverPrintsThePassword() {
        Credentials c = Credentials.fromEnvironment(Map.of("PIPELINE_API_PASSWORD", "s3cret-pass"));
        assertFalse(c.toString().contains("s3cret-pass"));
    }
}
