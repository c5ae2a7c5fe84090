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
import java.util.function.Function;
import java.util.function.Predicate;
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

    /** A secret that may be absent (empty when unset), never shown. */
    public String optionalSecret(String key) {
        String value = optional(key).orElse("");
        effective.put(key, value.isEmpty() ? "(not set)" : "****");
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
        return parsed(key, defaultValue, Double::parseDouble, v -> v >= 0 && v <= 1, "must be a number between 0 and 1");
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
        return parsed(key, defaultValue, raw -> Long.parseLong(raw.replace("_", "")), v -> v >= min && v <= max,
                "must be a whole number between " + min + " and " + max);
    }

    public double positiveDouble(String key, double defaultValue) {
        return parsed(key, defaultValue, Double::parseDouble, v -> v > 0 && !v.isInfinite(), "must be a number greater than 0");
    }

    /** An ISO-8601 duration such as {@code PT15M}; plain numbers are rejected so units are never guessed. */
    public Duration duration(String key, Duration defaultValue) {
        return parsed(key, defaultValue, Duration::parse, v -> !v.isNegative() && !v.isZero(),
                "must be a positive ISO-8601 duration such as PT15M or PT30S");
    }

    public boolean bool(String key, boolean defaultValue) {
        return parsed(key, defaultValue, raw -> switch (raw.toLowerCase()) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(raw);
        }, v -> true, "must be true or false");
    }

    /**
     * The value of {@code key} (or {@code defaultValue} when unset), recorded as effective; a value that does not
     * parse or breaks {@code rule} is a {@link SettingException} saying {@code expected}.
     */
    private <T> T parsed(String key, T defaultValue, Function<String, T> parser, Predicate<T> rule, String expected) {
        Optional<String> raw = optional(key);
        effective.putIfAbsent(key, raw.orElse(String.valueOf(defaultValue)));
        if (raw.isEmpty()) {
            return defaultValue;
        }
        T value;
        try {
            value = parser.apply(raw.get());
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw invalid(key, raw.get(), expected);
        }
        if (!rule.test(value)) {
            throw invalid(key, raw.get(), expected);
        }
        return value;
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
