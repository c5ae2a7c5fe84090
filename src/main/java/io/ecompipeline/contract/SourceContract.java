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
 * The contract of a source other than events (products, inventory, campaigns): its own JSON Schema
 * ({@code contract/products.schema.json}, compiled by the same {@link ContractSchemaLoader}, format assertions on) and
 * its own declarative rules file ({@code contract/products-rules.yaml}, {@link FieldRules}), behind the same parser as
 * events. So a record of any source gets the same result: every violation, {@code malformed.*} on {@code $},
 * {@code schema.<keyword>} at the field's dot path, then the source's {@code rule.*} ids.
 *
 * <p>Immutable and thread-safe, like {@link EventContract}.
 */
public final class SourceContract implements Contract {

    private final String name;
    private final JsonSchema schema;
    private final SchemaFastPath fastPath;
    private final FieldRules rules;
    private final PayloadParser parser;
    private final String idField;
    private final Clock clock;

    /**
     * @param name    the source (products, inventory, campaigns), for messages
     * @param idField the field whose text identifies a record in dead letters ({@code product_id})
     */
    public SourceContract(String name, JsonSchema schema, FieldRules rules, String idField, long maxPayloadBytes, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.fastPath = SchemaFastPath.compile(schema);
        this.rules = Objects.requireNonNull(rules, "rules");
        this.idField = Objects.requireNonNull(idField, "idField");
        this.parser = new PayloadParser(maxPayloadBytes);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Loads the schema and the rules file from {@code classpath:} / {@code file:} (any Camel resource) URIs.
     *
     * @throws ContractException naming the file and the problem if either cannot be used
     */
    public static SourceContract load(CamelContext camelContext, ContractSchemaLoader schemaLoader, String name, String schemaUri,
                                      String rulesUri, String idField, long maxPayloadBytes, Clock clock) {
        JsonSchema schema = schemaLoader.load(camelContext, schemaUri);
        return new SourceContract(name, schema, loadRules(camelContext, rulesUri), idField, maxPayloadBytes, clock);
    }

    /** Reads and parses a source's rules file. */
    public static FieldRules loadRules(CamelContext camelContext, String rulesUri) {
        if (rulesUri == null || rulesUri.isBlank()) {
            throw new ContractException("rules URI is empty");
        }
        String uri = ResourceHelper.hasScheme(rulesUri) ? rulesUri : "classpath:" + rulesUri;
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camelContext, uri)) {
            return FieldRulesParser.parse(in, uri);
        } catch (IOException e) {
            throw new ContractException("cannot read rules file " + uri + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ValidationResult validate(byte[] payload) {
        PayloadParser.Parsed parsed = parser.parse(payload);
        if (parsed.violation() != null) {
            return ValidationResult.malformed(parsed.violation());
        }
        List<Violation> violations = new ArrayList<>();
        if (!fastPath.accepts(parsed.object())) { // as in EventContract: networknt only for records that may fail
            SchemaViolations.addAll(schema.validate(parsed.object()), violations);
        }
        rules.check(parsed.object(), clock, violations);
        return ValidationResult.of(parsed.object(), violations, idField);
    }

    public String name() {
        return name;
    }

    @Override
    public JsonSchema schema() {
        return schema;
    }

    public FieldRules rules() {
        return rules;
    }

    @Override
    public String toString() {
        return "SourceContract{" + name + ", " + rules + '}';
    }
}
