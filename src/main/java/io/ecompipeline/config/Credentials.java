package io.ecompipeline.config;

import java.util.Map;

/**
 * The user and password of the REST and management APIs, only from the environment ({@code PIPELINE_API_USER},
 * {@code PIPELINE_API_PASSWORD}). The documented development password is refused unless {@code PIPELINE_DEV_MODE=true},
 * so a demo set-up cannot end up in production by accident.
 */
public record Credentials(String user, String password) {

    public static final String DEFAULT_USER = "operator";
    /** Documented in the README for local use; refused outside development mode. */
    public static final String DEV_PASSWORD = "dev-only-password";

    /** Validates the API credentials in {@code env}; a {@link SettingException} says what to fix. */
    public static Credentials fromEnvironment(Map<String, String> env) {
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
        return new Credentials(user, password);
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=****]";
    }
}
