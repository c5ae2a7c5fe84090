package io.ecompipeline.contract;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.networknt.schema.JsonSchema;
import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;

/**
 * The event contract on the hot path: raw record bytes in, a {@link ValidationResult} with
 * <em>all</em> violations out. Parses each payload exactly once and reuses one compiled schema
 * and one {@link BusinessRules}; the valid path throws no exceptions and compiles nothing. The schema is checked
 * first by its compiled acceptance check ({@link SchemaFastPath}); only an event that does not pass it is walked by
 * networknt, which reports the violations.
 * {@link #validate} never throws for any input.
 *
 * <p>Immutable and thread-safe: share one instance across consumers. To apply an edited schema
 * or rules file, build a new instance and swap the reference.
 */
public final class EventContract implements Contract {

    /** Default payload limit: 1 MiB. */
    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 1024L * 1024L;
    public static final String DEFAULT_SCHEMA_URI = "classpath:contract/ecommerce-event.schema.json";
    public static final String DEFAULT_RULES_URI = "classpath:contract/rules.yaml";

    private final JsonSchema schema;
    private final SchemaFastPath fastPath;
    private final RuleSet rules;
    private final BusinessRules businessRules;
    private final PayloadParser parser;
    private final long maxPayloadBytes;

    /**
     * @param schema          compiled event schema, normally from {@link ContractSchemaLoader}
     *                        (format assertions on)
     * @param rules           business-rule tunables
     * @param maxPayloadBytes larger payloads are rejected unparsed as {@code malformed.oversized}
     * @param clock           "now" for {@code rule.event_time_not_future}
     */
    public EventContract(JsonSchema schema, RuleSet rules, long maxPayloadBytes, Clock clock) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.fastPath = SchemaFastPath.compile(schema);
        this.rules = Objects.requireNonNull(rules, "rules");
        this.businessRules = new BusinessRules(rules, clock);
        this.parser = new PayloadParser(maxPayloadBytes);
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * Loads schema and rules from {@code classpath:} / {@code file:} (any Camel resource) URIs.
     * The schema is compiled through {@code schemaLoader}, so Camel json-validator endpoints
     * using the same loader share the compilation.
     *
     * @throws ContractException naming the file and the problem if either cannot be used
     */
    public static EventContract load(CamelContext camelContext, ContractSchemaLoader schemaLoader,
                                     String schemaUri, String rulesUri, long maxPayloadBytes, Clock clock) {
        JsonSchema schema = schemaLoader.load(camelContext, schemaUri);
        RuleSet rules = loadRules(camelContext, rulesUri);
        return new EventContract(schema, rules, maxPayloadBytes, clock);
    }

    /** {@link #load(CamelContext, ContractSchemaLoader, String, String, long, Clock)} with a fresh loader. */
    public static EventContract load(CamelContext camelContext, String schemaUri, String rulesUri,
                                     long maxPayloadBytes, Clock clock) {
        return load(camelContext, new ContractSchemaLoader(), schemaUri, rulesUri, maxPayloadBytes, clock);
    }

    /**
     * Reads and parses a rules file.
     *
     * @throws ContractException naming the file (and key) if it cannot be read or is invalid
     */
    public static RuleSet loadRules(CamelContext camelContext, String rulesUri) {
        if (rulesUri == null || rulesUri.isBlank()) {
            throw new ContractException("rules URI is empty");
        }
        String uri = ResourceHelper.hasScheme(rulesUri) ? rulesUri : "classpath:" + rulesUri;
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camelContext, uri)) {
            return RuleSetParser.parse(in, uri);
        } catch (IOException e) {
            throw new ContractException("cannot read rules file " + uri + ": " + e.getMessage(), e);
        }
    }

    /**
     * Validates one payload. Malformed payloads (empty, oversized, not UTF-8, not JSON, not an
     * object) yield exactly one {@code malformed.*} violation on {@code $}; a parsed object gets
     * every schema violation followed by every business-rule violation.
     */
    @Override
    public ValidationResult validate(byte[] payload) {
        PayloadParser.Parsed parsed = parser.parse(payload);
        if (parsed.violation() != null) {
            return ValidationResult.malformed(parsed.violation());
        }
        List<Violation> violations = new ArrayList<>();
        if (!fastPath.accepts(parsed.object())) { // most events pass: only the others pay for networknt's messages
            SchemaViolations.addAll(schema.validate(parsed.object()), violations);
        }
        businessRules.check(parsed.object(), violations);
        return ValidationResult.of(parsed.object(), violations);
    }

    @Override
    public JsonSchema schema() {
        return schema;
    }

    /**
     * Null if the schema's fast acceptance check is compiled; otherwise why not (every event then takes the full
     * validator, which is slower but judges the same).
     */
    public String schemaFastPathOffReason() {
        return fastPath.fallbackReason();
    }

    public RuleSet rules() {
        return rules;
    }

    public long maxPayloadBytes() {
        return maxPayloadBytes;
    }
}
