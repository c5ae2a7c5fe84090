package io.ecompipeline.config;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.quartz.CronExpression;

/**
 * Typed, validated access to {@code application.properties}. Every key there is written as
 * {@code {{env:NAME:default}}}; this class remembers which environment variable feeds which key so an error says
 * "set PIPELINE_BATCH_SIZE", not just "bad property".
 */
public final class Settings {

    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)");

    private final CamelContext context;
    private final Map<String, String> envNames;
    /** Every key read so far with its effective value, for the start-up log and {@code check-config}. */
    private final Map<String, String> effective = new LinkedHashMap<>();

    public Settings(CamelContext context) {
        this.context = context;
        this.envNames = readEnvNames();
    }

    /** The keys read so far and their effective values (secrets masked), in the order they were read. */
    public Map<String, String> effectiveValues() {
        return new LinkedHashMap<>(effective);
    }

    /** A secret: required, never shown (the effective-values list says only whether it is set). */
    public String secret(String key, String what) {
        String value = optional(key).orElse("");
        effective.put(key, value.isEmpty() ? "(not set)" : "****");
        if (value.isEmpty()) {
            throw new SettingException("Missing setting " + label(key) + ": " + what + ". Set " + envName(key)
                    + " in the environment.");
        }
        return value;
    }

    /** A Quartz cron expression (seconds first); a Unix-style 5-field cron is the likely mistake, so say so. */
    public String quartzCron(String key, String defaultValue) {
        String cron = string(key, defaultValue);
        if (!CronExpression.isValidExpression(cron)) {
            throw invalid(key, cron, "must be a Quartz cron expression with seconds first, e.g. \"0 0 * * * ?\" for "
                    + "every hour (sec min hour day-of-month month day-of-week [year])");
        }
        return cron;
    }

    /**
     * A duration given either as ISO-8601 under {@code key} (the documented style) or, for settings that had one
     * before, as whole milliseconds under {@code legacyMillisKey} (kept working). The ISO one wins when both are set.
     */
    public Duration durationOrMillis(String key, String legacyMillisKey, Duration defaultValue, Duration max) {
        if (optional(key).isPresent()) {
            Duration d = duration(key, defaultValue);
            if (d.compareTo(max) > 0) {
                throw invalid(key, optional(key).get(), "must be at most " + max);
            }
            return d;
        }
        return Duration.ofMillis(longInRange(legacyMillisKey, defaultValue.toMillis(), 1, max.toMillis()));
    }

    /** The environment variable that feeds {@code key}, or the key itself when it has none. */
    public String envName(String key) {
        return envNames.getOrDefault(key, key);
    }

    public String label(String key) {
        String env = envNames.get(key);
        return env == null ? key : env + " (" + key + ")";
    }

    public Optional<String> optional(String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String required(String key, String what) {
        String value = optional(key).orElseThrow(() -> new SettingException(
                "Missing setting " + label(key) + ": " + what + ". Set " + envName(key) + " in the environment."));
        effective.putIfAbsent(key, value);
        return value;
    }

    /** A share between 0 and 1 (inclusive), e.g. a minimum completeness. */
    public double fraction(String key, double defaultValue) {
        double value = positiveDoubleOrZero(key, defaultValue);
        if (value > 1.0) {
            throw invalid(key, String.valueOf(value), "must be a number between 0 and 1");
        }
        return value;
    }

    private double positiveDoubleOrZero(String key, double defaultValue) {
        Optional<String> raw = optional(key);
        effective.putIfAbsent(key, raw.orElse(String.valueOf(defaultValue)));
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(raw.get());
            if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
                throw invalid(key, raw.get(), "must be a number between 0 and 1");
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(key, raw.get(), "must be a number between 0 and 1");
        }
    }

    public String string(String key, String defaultValue) {
        String value = optional(key).orElse(defaultValue);
        effective.putIfAbsent(key, value);
        return value;
    }

    public int positiveInt(String key, int defaultValue) {
        return (int) longInRange(key, defaultValue, 1, Integer.MAX_VALUE);
    }

    public int intInRange(String key, int defaultValue, int min, int max) {
        return (int) longInRange(key, defaultValue, min, max);
    }

    public long longInRange(String key, long defaultValue, long min, long max) {
        Optional<String> raw = optional(key);
        effective.putIfAbsent(key, raw.orElse(String.valueOf(defaultValue)));
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw.get().replace("_", ""));
            if (value < min || value > max) {
                throw invalid(key, raw.get(), "must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(key, raw.get(), "must be a whole number between " + min + " and " + max);
        }
    }

    public double positiveDouble(String key, double defaultValue) {
        Optional<String> raw = optional(key);
        effective.putIfAbsent(key, raw.orElse(String.valueOf(defaultValue)));
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(raw.get());
            if (!(value > 0) || Double.isInfinite(value)) {
                throw invalid(key, raw.get(), "must be a number greater than 0");
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(key, raw.get(), "must be a number greater than 0");
        }
    }

    /** An ISO-8601 duration such as {@code PT15M}; plain numbers are rejected so units are never guessed. */
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> raw = optional(key);
        effective.putIfAbsent(key, raw.orElse(String.valueOf(defaultValue)));
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            Duration value = Duration.parse(raw.get());
            if (value.isNegative() || value.isZero()) {
                throw invalid(key, raw.get(), "must be a positive ISO-8601 duration such as PT15M or PT30S");
            }
            return value;
        } catch (DateTimeParseException e) {
            throw invalid(key, raw.get(), "must be an ISO-8601 duration such as PT15M or PT30S");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> raw = optional(key);
        effective.putIfAbsent(key, raw.orElse(String.valueOf(defaultValue)));
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase()) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw invalid(key, raw.get(), "must be true or false");
        };
    }

    public SettingException invalid(String key, String value, String rule) {
        return new SettingException("Invalid setting " + label(key) + " = \"" + value + "\": " + rule
                + ". Fix " + envName(key) + " in the environment.");
    }

    private static Map<String, String> readEnvNames() {
        Map<String, String> names = new HashMap<>();
        Properties raw = new Properties();
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                raw.load(in);
            }
        } catch (IOException e) {
            return names;
        }
        for (String key : raw.stringPropertyNames()) {
            Matcher m = ENV_PLACEHOLDER.matcher(raw.getProperty(key));
            if (m.find()) {
                names.put(key, m.group(1));
            }
        }
        return names;
    }
}
