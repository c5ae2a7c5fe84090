package io.ecompipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import io.ecompipeline.config.SettingException;
import org.junit.jupiter.api.Test;

class ApiCredentialsTest {

    @Test
    void writesAPrivateUsersFileFromTheEnvironment() throws Exception {
        Path file = ApiCredentials.writeUsersFile(Map.of("PIPELINE_API_USER", "airflow", "PIPELINE_API_PASSWORD", "s3cret-pass"));
        assertEquals("user.airflow=s3cret-pass,operator\nrole.operator=*\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void refusesAMissingPasswordAndTheDevelopmentPasswordOutsideDevelopmentMode() {
        assertTrue(assertThrows(SettingException.class, () -> ApiCredentials.writeUsersFile(Map.of()))
                .getMessage().contains("PIPELINE_API_PASSWORD"));
        assertTrue(assertThrows(SettingException.class, () -> ApiCredentials.writeUsersFile(
                Map.of("PIPELINE_API_PASSWORD", ApiCredentials.DEV_PASSWORD))).getMessage().contains("development"));
        ApiCredentials.writeUsersFile(Map.of("PIPELINE_API_PASSWORD", ApiCredentials.DEV_PASSWORD, "PIPELINE_DEV_MODE", "true"));
        assertThrows(SettingException.class, () -> ApiCredentials.writeUsersFile(Map.of("PIPELINE_API_PASSWORD", "has,comma1")));
        assertThrows(SettingException.class, () -> ApiCredentials.writeUsersFile(Map.of("PIPELINE_API_PASSWORD", "short")));
    }
}
