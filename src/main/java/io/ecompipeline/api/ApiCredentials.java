package io.ecompipeline.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.ecompipeline.config.Credentials;
import io.ecompipeline.config.SettingException;

/**
 * The users file of the REST and management servers. Camel's embedded server reads users from a Vert.x properties
 * file, so this writes one (mode 600, deleted on exit) from the validated {@link Credentials}.
 */
public final class ApiCredentials {

    private ApiCredentials() {
    }

    public static Path writeUsersFile(Credentials credentials) {
        try {
            Path file = Files.createTempFile("ecom-pipeline-users", ".properties",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            // Vert.x PropertyFileAuthentication format: user.<name>=<password>,<role>; role.<role>=<permissions>
            Files.writeString(file, "user." + credentials.user() + "=" + credentials.password() + ",operator\nrole.operator=*\n",
                    StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new SettingException("Cannot write the API users file: " + e.getMessage(), e);
        }
    }
}
