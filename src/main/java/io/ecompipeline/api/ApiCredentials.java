package io.ecompipeline.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import io.ecompipeline.config.SettingException;

/**
 * Credentials for the REST and management servers, only from the environment ({@code PIPELINE_API_USER},
 * {@code PIPELINE_API_PASSWORD}). Camel's embedded server reads users from a Vert.x properties file, so this writes
 * one (mode 600, deleted on exit). The documented development password is refused unless
 * {@code PIPELINE_DEV_MODE=true}, so a demo set-up cannot end up in production by accident.
 */
public final class ApiCredentials {

    public static final String DEFAULT_USER = "operator";
    /** Documented in the README for local use; refused outside development mode. */
    public static final String DEV_PASSWORD = "dev-only-password";

    private ApiCredentials() {
    }

    public static Path writeUsersFile(Map<String, String> env) {
        String user = env.getOrDefault("PIPELINE_API_USER", "").trim();
        if (user.isEmpty()) {
            user = DEFAULT_USER;
        }
        String password = env.getOrDefault("PIPELINE_API_PASSWORD", "");
        boolean devMode = Boolean.parseBoolean(env.getOrDefault("PIPELINE_DEV_MODE", "false").trim());
        if (password.isBlank()) {
            throw new SettingException("Missing setting PIPELINE_API_PASSWORD: the password for the REST and management "
                    + "APIs (user PIPELINE_API_USER, default '" + DEFAULT_USER + "'). Set it in the environment; for local "
                    + "use PIPELINE_DEV_MODE=true with PIPELINE_API_PASSWORD=" + DEV_PASSWORD + ".");
        }
        if (password.equals(DEV_PASSWORD) && !devMode) {
            throw new SettingException("PIPELINE_API_PASSWORD is the documented development password; set a real one, "
                    + "or PIPELINE_DEV_MODE=true for local use only.");
        }
        if (!user.matches("[A-Za-z0-9._-]+") || password.contains(",") || password.contains("\n") || password.length() < 8) {
            throw new SettingException("Invalid setting PIPELINE_API_USER/PIPELINE_API_PASSWORD: the user may hold letters, "
                    + "digits, '.', '_' and '-'; the password needs at least 8 characters and no comma or line break.");
        }
        try {
            Path file = Files.createTempFile("ecom-pipeline-users", ".properties",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            // Vert.x PropertyFileAuthentication format: user.<name>=<password>,<role>; role.<role>=<permissions>
            Files.writeString(file, "user." + user + "=" + password + ",operator\nrole.operator=*\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new SettingException("Cannot write the API users file: " + e.getMessage(), e);
        }
    }
}
