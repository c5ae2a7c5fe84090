package io.ecompipeline.contract;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a source's rules file ({@code contract/products-rules.yaml}, ...) into {@link FieldRules}. As strict as
 * {@link RuleSetParser}: the file is edited by hand, so an unknown key, a duplicate key, a rule id outside
 * {@code rule.*}, an unknown check or a tunable the check does not use fails the load with a {@link ContractException}
 * naming the file and the key, instead of silently disabling a rule.
 *
 * <pre>
 * rules:
 *   rule.price_positive:  {check: positive, field: price}
 *   rule.price_ceiling:   {check: at_most, field: price, limit: 100000}
 *   rule.cost_not_above_price: {check: not_above_field, field: cost, other: price, enabled: false}
 * </pre>
 */
public final class FieldRulesParser {

    static final String RULES = "rules";
    private static final String RULE_PREFIX = "rule.";
    private static final Set<String> RULE_KEYS = Set.of("check", "field", "other", "limit", "values", "max_skew", "enabled");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private FieldRulesParser() {
    }

    /**
     * @param in     the YAML document; not closed
     * @param source where it came from (URI or path), used in error messages
     */
    public static FieldRules parse(InputStream in, String source) {
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
            throw new ContractException("rules file " + source + ": top level must be a mapping with the key '" + RULES + "'");
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!RULES.equals(e.getKey())) {
                throw fail(source, e.getKey(), "unknown key (the only top-level key is '" + RULES + "')");
            }
        }
        JsonNode rules = root.get(RULES);
        if (rules == null || !rules.isObject()) {
            throw fail(source, RULES, "must be a mapping of rule id to its check");
        }
        List<FieldRules.Rule> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : rules.properties()) {
            FieldRules.Rule rule = rule(source, e.getKey(), e.getValue());
            if (rule != null) {
                out.add(rule);
            }
        }
        return new FieldRules(out);
    }

    /** Parses YAML text; convenient for tests and for validating an edit before it is saved. */
    public static FieldRules parse(String yaml, String source) {
        return parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), source);
    }

    /** One rule; null when it is switched off ({@code enabled: false}). */
    private static FieldRules.Rule rule(String source, String id, JsonNode v) {
        String key = RULES + "." + id;
        if (!id.startsWith(RULE_PREFIX) || id.length() == RULE_PREFIX.length()) {
            throw fail(source, key, "rule ids start with '" + RULE_PREFIX
                    + "' (schema.* and malformed.* come from the schema and the parser)");
        }
        if (!v.isObject()) {
            throw fail(source, key, "must be a mapping with at least check and field");
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!RULE_KEYS.contains(e.getKey())) {
                throw fail(source, key + "." + e.getKey(), "unknown key (known keys: "
                        + String.join(", ", RULE_KEYS.stream().sorted().toList()) + ")");
            }
        }
        String checkName = text(source, key + ".check", v.get("check"));
        FieldRules.Check check = FieldRules.Check.of(checkName);
        if (check == null) {
            throw fail(source, key + ".check", "unknown check '" + checkName + "' (known: " + FieldRules.Check.names() + ")");
        }
        String field = text(source, key + ".field", v.get("field"));
        String other = null;
        BigDecimal limit = null;
        Set<String> values = Set.of();
        Duration skew = null;
        switch (check) {
            case NOT_ABOVE_FIELD, NOT_BEFORE_FIELD -> other = text(source, key + ".other", v.get("other"));
            case AT_MOST -> limit = number(source, key + ".limit", v.get("limit"));
            case ONE_OF -> values = texts(source, key + ".values", v.get("values"));
            case NOT_FUTURE -> skew = duration(source, key + ".max_skew", v.get("max_skew"));
            default -> {
                // positive, non_negative, iso4217: no tunables
            }
        }
        for (String tunable : List.of("other", "limit", "values", "max_skew")) {
            boolean used = switch (tunable) {
                case "other" -> other != null;
                case "limit" -> limit != null;
                case "values" -> !values.isEmpty();
                default -> skew != null;
            };
            if (v.has(tunable) && !used) {
                throw fail(source, key + "." + tunable, "is not used by check " + check.key());
            }
        }
        JsonNode enabled = v.get("enabled");
        if (enabled != null && !enabled.isBoolean()) {
            throw fail(source, key + ".enabled", "must be true or false");
        }
        if (enabled != null && !enabled.booleanValue()) {
            return null;
        }
        return new FieldRules.Rule(id, check, field, other, limit, values, skew);
    }

    private static String text(String source, String key, JsonNode v) {
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw fail(source, key, "must be a non-blank string");
        }
        return v.textValue();
    }

    private static Set<String> texts(String source, String key, JsonNode v) {
        if (v == null || !v.isArray() || v.isEmpty()) {
            throw fail(source, key, "must be a non-empty list of strings");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode item : v) {
            out.add(text(source, key, item));
        }
        return out;
    }

    private static BigDecimal number(String source, String key, JsonNode v) {
        if (v == null || !v.isNumber() || (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue()))) {
            throw fail(source, key, "must be a number");
        }
        return v.decimalValue();
    }

    private static Duration duration(String source, String key, JsonNode v) {
        if (v == null || !v.isTextual()) {
            throw fail(source, key, "must be an ISO-8601 duration string such as PT5M");
        }
        try {
            Duration d = Duration.parse(v.textValue());
            if (d.isNegative()) {
                throw fail(source, key, "must not be negative, got " + v.textValue());
            }
            return d;
        } catch (DateTimeParseException e) {
            throw fail(source, key, "must be an ISO-8601 duration such as PT5M, got '" + v.textValue() + "'");
        }
    }

    private static ContractException fail(String source, String key, String problem) {
        return new ContractException("rules file " + source + ": key '" + key + "' " + problem);
    }
}
