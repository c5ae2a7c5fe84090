package io.ecompipeline.contract;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jsonvalidator.JsonUriSchemaLoader;
import org.apache.camel.support.ResourceHelper;

/**
 * Compiles the event JSON Schema once per URI, for both the hot path ({@link EventContract})
 * and camel-json-validator endpoints ({@code uriSchemaLoader=#contractSchemaLoader}), so they
 * can never disagree. Unlike Camel's default loader it:
 * <ul>
 *   <li>turns <b>format assertions on</b>: draft 2020-12 treats {@code format} as an annotation
 *       by default, so {@code email}, {@code uuid} and {@code date-time} would silently pass;</li>
 *   <li>gives {@code pattern} ECMA-262 end anchors ({@link EcmaEndAnchorRegexFactory});</li>
 *   <li>defaults to draft 2020-12 when {@code $schema} is absent (Camel's defaults to 2019-09);</li>
 *   <li>checks the schema against its meta-schema first, so an edited schema with a typo
 *       ({@code "type": "strin"}) fails the load with a {@link ContractException} naming the
 *       file, instead of compiling into a schema that accepts or rejects everything.</li>
 * </ul>
 * Thread-safe; compiled schemas are cached per normalized URI.
 */
public final class ContractSchemaLoader implements JsonUriSchemaLoader {

    private static final SpecVersion.VersionFlag DEFAULT_VERSION = SpecVersion.VersionFlag.V202012;

    private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .regularExpressionFactory(EcmaEndAnchorRegexFactory.INSTANCE)
            .build();
    private final ConcurrentMap<String, JsonSchema> cache = new ConcurrentHashMap<>();

    /** The configuration every schema is compiled with (format assertions on). */
    public SchemaValidatorsConfig config() {
        return config;
    }

    /** Camel's entry point; same as {@link #load}. */
    @Override
    public JsonSchema createSchema(CamelContext camelContext, String schemaUri) {
        return load(camelContext, schemaUri);
    }

    /**
     * The compiled schema at {@code schemaUri} ({@code classpath:}, {@code file:}, or any scheme
     * Camel resolves; no scheme means classpath), compiled on first use and cached.
     *
     * @throws ContractException if it cannot be read, is not JSON, or is not a valid schema
     */
    public JsonSchema load(CamelContext camelContext, String schemaUri) {
        String uri = normalize(schemaUri);
        return cache.computeIfAbsent(uri, u -> compile(read(camelContext, u), u));
    }

    /**
     * Compiles schema bytes without caching.
     *
     * @param uri base URI for {@code $ref} resolution, also used in error messages
     * @throws ContractException if not JSON or not a valid schema
     */
    public JsonSchema compile(byte[] schemaJson, String uri) {
        JsonNode node;
        try {
            node = mapper.readTree(schemaJson);
        } catch (IOException e) {
            String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new ContractException("schema file " + uri + " is not valid JSON: " + msg
                    + (e instanceof JsonProcessingException jpe && jpe.getLocation() != null
                    ? " (line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr() + ")" : ""), e);
        }
        if (node == null || !node.isObject()) {
            throw new ContractException("schema file " + uri + " must contain a JSON object");
        }
        SpecVersion.VersionFlag version;
        try {
            version = SpecVersionDetector.detectOptionalVersion(node, false).orElse(DEFAULT_VERSION);
        } catch (RuntimeException e) {
            throw new ContractException("schema file " + uri + ": unsupported $schema: " + e.getMessage(), e);
        }
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(version);
        try {
            Set<ValidationMessage> metaErrors = factory.getSchema(SchemaLocation.of(version.getId()), config).validate(node);
            if (!metaErrors.isEmpty()) {
                throw new ContractException("schema file " + uri + " is not a valid " + version.getId() + " schema: "
                        + metaErrors.stream().limit(5).map(ValidationMessage::getMessage).collect(Collectors.joining("; ")));
            }
            JsonSchema schema = factory.getSchema(URI.create(uri), node, config);
            schema.initializeValidators(); // resolve $refs now, not on the first event
            return schema;
        } catch (ContractException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ContractException("schema file " + uri + " cannot be compiled: " + e.getMessage(), e);
        }
    }

    private byte[] read(CamelContext camelContext, String uri) {
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camelContext, uri)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ContractException("cannot read schema file " + uri + ": " + e.getMessage(), e);
        }
    }

    static String normalize(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new ContractException("schema URI is empty");
        }
        return ResourceHelper.hasScheme(uri) ? uri : "classpath:" + uri;
    }
}
