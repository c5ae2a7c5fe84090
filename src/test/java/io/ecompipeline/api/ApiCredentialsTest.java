package io.ecompipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import io.ecompipeline.config.Credentials;
import org.junit.jupiter.api.Test;

class ApiCredentialsTest {

    @Test
    void writesAPrivateUsersFileFromTheEnvironment() throws Exception {
        Path file = ApiCredentials.writeUsersFile(Credentials.fromEnvironment(
                Map.of("PIPELINE_API_USER", "airflow", "PIPELINE_API_PASSWORD", "s3cret-pass")));
        assertEquals("user.airflow=s3cret-pass,operator\nrole.operator=*\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
