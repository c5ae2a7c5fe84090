package io.ecompipeline.contract;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Format;
import com.networknt.schema.Formats;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationContext;
import com.networknt.schema.regex.RegularExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contract's JSON Schema compiled once into plain Java checks that only answer "does this document pass the
 * schema?", for the common case where it does. networknt's interpretive walk (building a path and a message object for
 * every keyword it visits, and a string of the schema under every {@code not}) took more than half the validator's CPU
 * although three records in four pass; this answers the same question by walking the document once.
 *
 * <p>The schema file stays the only source of truth: the checks are derived from the very schema networknt compiled,
 * at start-up. And the full validator stays the only source of reasons: {@link #accepts} is a pure acceptance test, and
 * a record it does not accept is handed to networknt, which reports every violation exactly as before. Soundness is
 * what matters, so the compiler is deliberately narrow:
 * <ul>
 *   <li>each check answers {@code PASS}, {@code FAIL} or {@code UNSURE}; only {@code PASS} of the whole document is an
 *       acceptance, and a check answers {@code UNSURE} wherever its semantics could differ from networknt's (e.g. a
 *       number compared with {@code maximum} that is equal to the limit as a double), so {@code not} and {@code if}
 *       never turn a guess into an acceptance;</li>
 *   <li>{@code format} is networknt's own {@link Format} object and {@code pattern} the regex factory of the schema's
 *       own configuration, so both give networknt's verdict by construction;</li>
 *   <li>a keyword the compiler does not know (or a remote {@code $ref}, a draft other than 2020-12, format assertions
 *       off) makes it give up on the whole schema: {@link #accepts} then always says no, so every record takes the
 *       full validator, as before this class existed ({@link #fallbackReason} says why).</li>
 * </ul>
 * Thread-safe and immutable after construction.
 */
final class SchemaFastPath {

    private static final byte PASS = 0;
    private static final byte FAIL = 1;
    private static final byte UNSURE = 2;

    /** Keywords that never change a verdict. */
    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "$comment", "examples", "default",
            "deprecated", "readOnly", "writeOnly", "$defs", "definitions");

    /** One compiled (sub)schema. */
    @FunctionalInterface
    private interface Check {
        byte test(JsonNode node);
    }

    /** Thrown while compiling when the schema uses something the compiler does not understand. */
    private static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SchemaFastPath.class);

    /**
     * Formats whose accepted values are remembered. A customer's email comes back in every event they send, and
     * networknt's email check (a long regex walk) was ~15% of the contract's CPU per event (bench/contract/ab.sh,
     * BENCHMARKS.md "Compiled contract checks"); date-times are not here, they are new in every event.
     */
    private static final Set<String> MEMOIZED_FORMATS = Set.of("email", "idn-email");

    /**
     * Values a format accepted, up to a bound (then forgotten all at once: cheaper than an LRU and the hot addresses
     * come back within a few batches). The verdict of a format depends only on the string, so a remembered value is
     * the same verdict; rejected values are never remembered (a rejection is walked by networknt anyway).
     */
    static final class AcceptedValues {
        static final int MAX = 16_384;
        private final Set<String> accepted = ConcurrentHashMap.newKeySet();

        boolean test(String value, Predicate<String> check) {
            if (accepted.contains(value)) {
                return true;
            }
            boolean ok = check.test(value);
            if (ok) {
                if (accepted.size() >= MAX) {
                    accepted.clear();
                }
                accepted.add(value);
            }
            return ok;
        }

        int size() {
            return accepted.size();
        }
    }

    private final Check root;
    private final String fallbackReason;

    private SchemaFastPath(Check root, String fallbackReason) {
        this.root = root;
        this.fallbackReason = fallbackReason;
    }

    /** Compiles {@code schema}; never throws: what cannot be compiled yields a fast path that accepts nothing. */
    static SchemaFastPath compile(JsonSchema schema) {
        Objects.requireNonNull(schema, "schema");
        SchemaFastPath fastPath;
        try {
            fastPath = new SchemaFastPath(new Compiler(schema).compileRoot(), null);
        } catch (Unsupported e) {
            fastPath = new SchemaFastPath(null, e.getMessage());
        } catch (RuntimeException e) { // a schema shape the compiler did not foresee: never a start-up failure
            fastPath = new SchemaFastPath(null, "cannot compile: " + e);
        }
        if (!fastPath.compiled()) {
            // same verdicts either way, but every record then costs the full walk: an operator who edited the schema
            // should see why validation got slower
            LOG.warn("Schema {} uses a construct the fast path does not compile ({}); every record is checked by the full "
                    + "validator (same verdicts, more CPU per record)", schema.getSchemaLocation(), fastPath.fallbackReason);
        }
        return fastPath;
    }

    /**
     * True only if {@code document} certainly passes the schema (networknt would report no violation). False means
     * "ask the full validator": the document may still be valid.
     */
    boolean accepts(JsonNode document) {
        return root != null && root.test(document) == PASS;
    }

    /** True if the schema was compiled; false if every document goes to the full validator. */
    boolean compiled() {
        return root != null;
    }

    /** Why the schema was not compiled (the first construct the compiler did not know); null if it was. */
    String fallbackReason() {
        return fallbackReason;
    }

    @Override
    public String toString() {
        return compiled() ? "SchemaFastPath{compiled}" : "SchemaFastPath{off: " + fallbackReason + '}';
    }

    /** Compiles one schema document; not thread-safe, used once. */
    private static final class Compiler {

        private final JsonNode rootNode;
        private final ValidationContext context;
        private final ExecutionContext formatContext;
        private final Map<String, Check> refs = new HashMap<>();
        private final Set<String> compiling = new HashSet<>();

        Compiler(JsonSchema schema) {
            this.rootNode = schema.getSchemaNode();
            this.context = schema.getValidationContext();
            // networknt's formats of this version ignore the execution context; one is passed because the API wants it
            this.formatContext = schema.createExecutionContext();
            SpecVersion.VersionFlag version = context.getMetaSchema().getSpecification();
            if (version != SpecVersion.VersionFlag.V202012) {
                throw new Unsupported("only draft 2020-12 is compiled, the schema is " + version);
            }
        }

        Check compileRoot() {
            return compile(rootNode, "#");
        }

        Check compile(JsonNode schema, String at) {
            if (schema.isBoolean()) {
                byte verdict = schema.booleanValue() ? PASS : FAIL;
                return node -> verdict;
            }
            if (!schema.isObject()) {
                throw new Unsupported("schema at " + at + " is neither an object nor a boolean");
            }
            List<Check> checks = new ArrayList<>();
            JsonNode thenNode = null;
            JsonNode elseNode = null;
            JsonNode ifNode = null;
            Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String keyword = field.getKey();
                JsonNode value = field.getValue();
                String where = at + "/" + keyword;
                if (ANNOTATIONS.contains(keyword)) {
                    continue;
                }
                switch (keyword) {
                    case "$schema" -> {
                        if (schema != rootNode) {
                            throw new Unsupported("$schema below the root at " + where);
                        }
                    }
                    case "type" -> checks.add(type(value, where));
                    case "enum" -> checks.add(enumOf(value, where));
                    case "const" -> checks.add(enumOf(JsonNodeFactory.instance.arrayNode().add(value), where));
                    case "required" -> checks.add(required(value, where));
                    case "dependentRequired" -> checks.add(dependentRequired(value, where));
                    case "properties", "additionalProperties" -> {
                        // compiled together below: additionalProperties depends on properties
                    }
                    case "allOf" -> checks.add(allOf(list(value, where)));
                    case "anyOf" -> checks.add(anyOf(list(value, where)));
                    case "oneOf" -> checks.add(oneOf(list(value, where)));
                    case "not" -> checks.add(not(compile(value, where)));
                    case "if" -> ifNode = value;
                    case "then" -> thenNode = value;
                    case "else" -> elseNode = value;
                    case "$ref" -> checks.add(ref(value, where));
                    case "minLength" -> checks.add(length(value, where, true));
                    case "maxLength" -> checks.add(length(value, where, false));
                    case "pattern" -> checks.add(pattern(value, where));
                    case "format" -> checks.add(format(value, where));
                    case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" -> checks.add(bound(keyword, value, where));
                    default -> throw new Unsupported("keyword '" + keyword + "' at " + where + " is not compiled");
                }
            }
            if (schema.has("properties") || schema.has("additionalProperties")) {
                checks.add(properties(schema.get("properties"), schema.get("additionalProperties"), at));
            }
            if (ifNode != null) {
                checks.add(ifThenElse(compile(ifNode, at + "/if"),
                        thenNode == null ? null : compile(thenNode, at + "/then"),
                        elseNode == null ? null : compile(elseNode, at + "/else")));
            }
            return allOf(checks);
        }

        private List<Check> list(JsonNode value, String at) {
            if (!value.isArray() || value.isEmpty()) {
                throw new Unsupported(at + " is not a non-empty array");
            }
            List<Check> out = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                out.add(compile(value.get(i), at + "/" + i));
            }
            return out;
        }

        private Check ref(JsonNode value, String at) {
            String ref = value.isTextual() ? value.textValue() : "";
            if (!ref.startsWith("#/$defs/") && !ref.startsWith("#/definitions/")) {
                throw new Unsupported("$ref '" + ref + "' at " + at + " is not a local definition");
            }
            Check done = refs.get(ref);
            if (done != null) {
                return done;
            }
            if (!compiling.add(ref)) {
                throw new Unsupported("recursive $ref '" + ref + "' at " + at);
            }
            JsonNode target = rootNode.at(ref.substring(1));
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            if (target.isMissingNode() || name.contains("~") || name.contains("%")) {
                throw new Unsupported("$ref '" + ref + "' at " + at + " does not resolve plainly");
            }
            Check check = compile(target, ref);
            compiling.remove(ref);
            refs.put(ref, check);
            return check;
        }

        private static Check type(JsonNode value, String at) {
            List<String> names = new ArrayList<>();
            if (value.isTextual()) {
                names.add(value.textValue());
            } else if (value.isArray() && !value.isEmpty()) {
                value.forEach(n -> names.add(n.isTextual() ? n.textValue() : "?"));
            } else {
                throw new Unsupported("type at " + at + " is neither a string nor an array");
            }
            List<Check> any = new ArrayList<>();
            for (String name : names) {
                any.add(switch (name) {
                    case "object" -> node -> verdict(node.isObject());
                    case "array" -> node -> verdict(node.isArray());
                    case "string" -> node -> verdict(node.isTextual());
                    case "boolean" -> node -> verdict(node.isBoolean());
                    case "null" -> node -> verdict(node.isNull());
                    case "number" -> node -> verdict(node.isNumber());
                    // 2020-12 (and networknt): a number with a zero fractional part is an integer, 1.0 included
                    case "integer" -> node -> verdict(node.isIntegralNumber() || node.isNumber() && node.canConvertToExactIntegral());
                    default -> throw new Unsupported("type '" + name + "' at " + at);
                });
            }
            return anyOf(any);
        }

        /** enum and const, for strings, booleans and null only (number equality is where validators differ). */
        private static Check enumOf(JsonNode value, String at) {
            if (!value.isArray() || value.isEmpty()) {
                throw new Unsupported("enum at " + at + " is not a non-empty array");
            }
            Set<JsonNode> allowed = new HashSet<>();
            for (JsonNode v : value) {
                if (!(v.isTextual() || v.isBoolean() || v.isNull())) {
                    throw new Unsupported("enum/const value " + v + " at " + at + " is not a string, boolean or null");
                }
                allowed.add(v);
            }
            return node -> {
                if (node.isTextual() || node.isBoolean() || node.isNull()) {
                    return verdict(allowed.contains(node));
                }
                return node.isNumber() || node.isContainerNode() ? FAIL : UNSURE;
            };
        }

        private static String[] names(JsonNode value, String at) {
            if (!value.isArray()) {
                throw new Unsupported(at + " is not an array");
            }
            String[] names = new String[value.size()];
            for (int i = 0; i < names.length; i++) {
                if (!value.get(i).isTextual()) {
                    throw new Unsupported(at + "/" + i + " is not a string");
                }
                names[i] = value.get(i).textValue();
            }
            return names;
        }

        private static Check required(JsonNode value, String at) {
            String[] names = names(value, at);
            return node -> {
                if (!node.isObject()) {
                    return PASS;
                }
                for (String name : names) {
                    if (node.get(name) == null) {
                        return FAIL;
                    }
                }
                return PASS;
            };
        }

        private static Check dependentRequired(JsonNode value, String at) {
            if (!value.isObject()) {
                throw new Unsupported(at + " is not an object");
            }
            Map<String, String[]> dependencies = new HashMap<>();
            value.fields().forEachRemaining(e -> dependencies.put(e.getKey(), names(e.getValue(), at + "/" + e.getKey())));
            return node -> {
                if (!node.isObject()) {
                    return PASS;
                }
                for (Map.Entry<String, String[]> d : dependencies.entrySet()) {
                    if (node.get(d.getKey()) != null) {
                        for (String name : d.getValue()) {
                            if (node.get(name) == null) {
                                return FAIL;
                            }
                        }
                    }
                }
                return PASS;
            };
        }

        /** properties and additionalProperties in one pass over the document's fields. */
        private Check properties(JsonNode properties, JsonNode additional, String at) {
            Map<String, Check> declared = new HashMap<>();
            if (properties != null) {
                if (!properties.isObject()) {
                    throw new Unsupported(at + "/properties is not an object");
                }
                properties.fields().forEachRemaining(e ->
                        declared.put(e.getKey(), compile(e.getValue(), at + "/properties/" + e.getKey())));
            }
            Check other = additional == null ? null : compile(additional, at + "/additionalProperties");
            return node -> {
                if (!node.isObject()) {
                    return PASS;
                }
                byte result = PASS;
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    Check check = declared.get(field.getKey());
                    if (check == null) {
                        check = other;
                    }
                    if (check != null) {
                        byte r = check.test(field.getValue());
                        if (r == FAIL) {
                            return FAIL;
                        }
                        if (r == UNSURE) {
                            result = UNSURE;
                        }
                    }
                }
                return result;
            };
        }

        private static Check length(JsonNode value, String at, boolean min) {
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
                throw new Unsupported(at + " is not a non-negative int");
            }
            int limit = value.intValue();
            return node -> {
                if (!node.isTextual()) {
                    return PASS;
                }
                String s = node.textValue();
                // JSON Schema (and networknt) count code points, not UTF-16 units
                int length = s.codePointCount(0, s.length());
                return verdict(min ? length >= limit : length <= limit);
            };
        }

        private Check pattern(JsonNode value, String at) {
            if (!value.isTextual()) {
                throw new Unsupported(at + " is not a string");
            }
            // the same factory networknt compiled this schema's patterns with (ECMA end anchors), so the same verdict
            RegularExpression regex = context.getConfig().getRegularExpressionFactory().getRegularExpression(value.textValue());
            return node -> node.isTextual() ? verdict(regex.matches(node.textValue())) : PASS;
        }

        private Check format(JsonNode value, String at) {
            if (!value.isTextual()) {
                throw new Unsupported(at + " is not a string");
            }
            if (!Boolean.TRUE.equals(context.getConfig().getFormatAssertionsEnabled())) {
                throw new Unsupported("format assertions are not on, " + at + " is not compiled");
            }
            String name = value.textValue();
            Format format = Formats.DEFAULT.stream().filter(f -> f.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new Unsupported("format '" + name + "' at " + at + " is not one of networknt's defaults"));
            ExecutionContext executionContext = formatContext;
            ValidationContext validationContext = context;
            if (MEMOIZED_FORMATS.contains(name)) {
                AcceptedValues accepted = new AcceptedValues();
                return node -> node.isTextual()
                        ? verdict(accepted.test(node.textValue(), v -> format.matches(executionContext, validationContext, v)))
                        : PASS;
            }
            return node -> node.isTextual() ? verdict(format.matches(executionContext, validationContext, node.textValue())) : PASS;
        }

        private static Check bound(String keyword, JsonNode value, String at) {
            if (!value.isNumber() || value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
                throw new Unsupported(at + " is not a finite number");
            }
            BigDecimal limit = value.decimalValue();
            double limitDouble = value.doubleValue();
            boolean lower = keyword.endsWith("inimum");
            boolean exclusive = keyword.startsWith("exclusive");
            return node -> {
                if (!node.isNumber()) {
                    return PASS;
                }
                if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
                    return UNSURE;
                }
                // decide only where exact decimal and double comparison agree; elsewhere the full validator decides
                int exact = node.decimalValue().compareTo(limit);
                double d = node.doubleValue();
                int approx = d < limitDouble ? -1 : d > limitDouble ? 1 : 0; // -0.0 == 0, as in decimal
                if (Integer.signum(exact) != Integer.signum(approx)) {
                    return UNSURE;
                }
                boolean ok = lower ? (exclusive ? exact > 0 : exact >= 0) : (exclusive ? exact < 0 : exact <= 0);
                return verdict(ok);
            };
        }

        private static Check ifThenElse(Check condition, Check then, Check otherwise) {
            return node -> {
                byte c = condition.test(node);
                if (c == UNSURE) {
                    return UNSURE;
                }
                Check branch = c == PASS ? then : otherwise;
                return branch == null ? PASS : branch.test(node);
            };
        }

        private static Check not(Check check) {
            return node -> {
                byte r = check.test(node);
                return r == PASS ? FAIL : r == FAIL ? PASS : UNSURE;
            };
        }
    }

    private static byte verdict(boolean pass) {
        return pass ? PASS : FAIL;
    }

    private static Check allOf(List<Check> checks) {
        if (checks.isEmpty()) {
            return node -> PASS;
        }
        if (checks.size() == 1) {
            return checks.get(0);
        }
        Check[] all = checks.toArray(Check[]::new);
        return node -> {
            byte result = PASS;
            for (Check c : all) {
                byte r = c.test(node);
                if (r == FAIL) {
                    return FAIL;
                }
                if (r == UNSURE) {
                    result = UNSURE;
                }
            }
            return result;
        };
    }

    private static Check anyOf(List<Check> checks) {
        if (checks.size() == 1) {
            return checks.get(0);
        }
        Check[] any = checks.toArray(Check[]::new);
        return node -> {
            byte result = FAIL;
            for (Check c : any) {
                byte r = c.test(node);
                if (r == PASS) {
                    return PASS;
                }
                if (r == UNSURE) {
                    result = UNSURE;
                }
            }
            return result;
        };
    }

    private static Check oneOf(List<Check> checks) {
        Check[] one = checks.toArray(Check[]::new);
        return node -> {
            int passed = 0;
            for (Check c : one) {
                byte r = c.test(node);
                if (r == UNSURE) {
                    return UNSURE;
                }
                if (r == PASS) {
                    passed++;
                }
            }
            return verdict(passed == 1);
        };
    }
}
