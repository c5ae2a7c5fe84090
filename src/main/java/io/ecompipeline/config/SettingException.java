package io.ecompipeline.config;

/**
 * A setting is missing or malformed. The message names the environment variable and the property key so an
 * operator can fix it without reading code; the runtime prints it as one line and exits.
 */
public class SettingException extends RuntimeException {

    public SettingException(String message) {
        super(message);
    }

    public SettingException(String message, Throwable cause) {
        super(message, cause);
    }
}
