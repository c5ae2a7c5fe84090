package io.ecompipeline.contract;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads {@code rules.yaml} into a {@link RuleSet}. Strict on purpose: the file is edited by hand
 * in production, so an unknown key (a typo), a duplicate key or a value of the wrong type fails
 * the load with a {@link ContractException} naming the key and the file, instead of silently
 * falling back to a default. Keys that are absent keep their {@link RuleSet#defaults() default}.
 */
public final class RuleSetParser {

    static final String EVENT_TYPES = "event_types";
    static final String PAYMENT_STATUSES = "payment_statuses";
    static final String PAYMENT_METHODS = "payment_methods";
    static final String PRICE_CEILING = "price_ceiling";
    static final String AMOUNT_TOLERANCE = "amount_tolerance";
    static final String MAX_FUTURE_SKEW = "max_future_skew";
    static final String LATE_THRESHOLD = "late_threshold";
    static final String ENABLED = "enabled";

    private static final List<String> KEYS = List.of(EVENT_TYPES, PAYMENT_STATUSES, PAYMENT_METHODS,
            PRICE_CEILING, AMOUNT_TOLERANCE, MAX_FUTURE_SKEW, LATE_THRESHOLD, ENABLED);

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private RuleSetParser() {
    }

    /**
     * @param in     the YAML document; not closed
     * @param source where it came from (URI or path), used in error messages
     */
    public static RuleSet parse(InputStream in, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (JsonProcessingException e) {
            throw new ContractException("rules file " + source + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        } catch (IOException e) {
            throw new ContractException("cannot read rules file " + source + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ContractException("rules file " + source + " is empty");
        }
        if (!root.isObject()) {
            throw new ContractException("rules file " + source + ": top level must be a mapping of keys " + KEYS);
        }
        return new Reader(source).read(root);
    }

    /** Parses YAML text; convenient for tests and for validating an edit before it is saved. */
    public static RuleSet parse(String yaml, String source) {
        return parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), source);
    }

    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        RuleSet read(JsonNode root) {
            RuleSet d = RuleSet.defaults();
            Set<String> eventTypes = d.eventTypes();
            Set<String> statuses = d.paymentStatuses();
            Set<String> methods = d.paymentMethods();
            BigDecimal ceiling = d.priceCeiling();
            BigDecimal tolerance = d.amountTolerance();
            Duration skew = d.maxFutureSkew();
            Duration late = d.lateThreshold();
            Set<String> disabled = d.disabledRules();

            for (Map.Entry<String, JsonNode> e : root.properties()) {
                String key = e.getKey();
                JsonNode v = e.getValue();
                switch (key) {
                    case EVENT_TYPES -> eventTypes = codes(key, v);
                    case PAYMENT_STATUSES -> statuses = codes(key, v);
                    case PAYMENT_METHODS -> methods = codes(key, v);
                    case PRICE_CEILING -> ceiling = number(key, v, false);
                    case AMOUNT_TOLERANCE -> tolerance = number(key, v, true);
                    case MAX_FUTURE_SKEW -> skew = duration(key, v);
                    case LATE_THRESHOLD -> late = duration(key, v);
                    case ENABLED -> disabled = disabledRules(v);
                    default -> throw fail(key, "unknown key (known keys: " + String.join(", ", KEYS) + ")");
                }
            }
            return new RuleSet(eventTypes, statuses, methods, ceiling, tolerance, skew, late, disabled);
        }

        private Set<String> codes(String key, JsonNode v) {
            if (!v.isArray() || v.isEmpty()) {
                throw fail(key, "must be a non-empty list of strings, got " + describe(v));
            }
            Set<String> out = new LinkedHashSet<>();
            for (JsonNode item : v) {
                if (!item.isTextual() || item.textValue().isBlank()) {
                    throw fail(key, "every entry must be a non-blank string, got " + describe(item));
                }
                out.add(item.textValue());
            }
            return out;
        }

        private BigDecimal number(String key, JsonNode v, boolean zeroAllowed) {
            if (!v.isNumber() || (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue()))) {
                throw fail(key, "must be a number, got " + describe(v));
            }
            BigDecimal n = v.decimalValue();
            if (n.signum() < 0 || (!zeroAllowed && n.signum() == 0)) {
                throw fail(key, "must be " + (zeroAllowed ? ">= 0" : "> 0") + ", got " + n.toPlainString());
            }
            return n;
        }

        private Duration duration(String key, JsonNode v) {
            if (!v.isTextual()) {
                throw fail(key, "must be an ISO-8601 duration string such as PT5M, got " + describe(v));
            }
            Duration d;
            try {
                d = Duration.parse(v.textValue());
            } catch (DateTimeParseException ex) {
                throw fail(key, "must be an ISO-8601 duration such as PT5M, got '" + v.textValue() + "'");
            }
            if (d.isNegative()) {
                throw fail(key, "must not be negative, got " + v.textValue());
            }
            return d;
        }

        private Set<String> disabledRules(JsonNode v) {
            if (!v.isObject()) {
                throw fail(ENABLED, "must be a mapping of rule id to true/false, got " + describe(v));
            }
            Set<String> disabled = new LinkedHashSet<>();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                String key = ENABLED + "." + e.getKey();
                if (!RuleIds.isBusinessRule(e.getKey())) {
                    throw fail(key, "unknown rule id (known: " + String.join(", ", RuleIds.BUSINESS_RULES) + ")");
                }
                if (!e.getValue().isBoolean()) {
                    throw fail(key, "must be true or false, got " + describe(e.getValue()));
                }
                if (!e.getValue().booleanValue()) {
                    disabled.add(e.getKey());
                }
            }
            return disabled;
        }

        private ContractException fail(String key, String problem) {
            return new ContractException("rules file " + source + ": key '" + key + "' " + problem);
        }

        private static String describe(JsonNode v) {
            String type = switch (v.getNodeType()) {
                case STRING -> "string";
                case NUMBER -> "number";
                case BOOLEAN -> "boolean";
                case ARRAY -> "list";
                case OBJECT -> "mapping";
                case NULL, MISSING -> "nothing";
                default -> v.getNodeType().name().toLowerCase(Locale.ROOT);
            };
            if (v.isValueNode() && !v.isNull()) {
                String text = v.asText();
                return type + " '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
            }
            return type;
        }
    }
}
