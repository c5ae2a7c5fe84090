package io.ecompipeline.contract;

import static io.ecompipeline.contract.TestEvents.purchase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jsonvalidator.DefaultJsonUriSchemaLoader;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.apache.camel.component.jsonvalidator.JsonValidatorEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractSchemaLoaderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SCHEMA = EventContract.DEFAULT_SCHEMA_URI;
    private static final String ENDPOINT = "json-validator:" + SCHEMA + "?uriSchemaLoader=#contractSchemaLoader";

    @Test
    void formatAssertionsAreOnSoABadEmailIsRejected() throws Exception {
        JsonSchema schema = new ContractSchemaLoader().load(TestContracts.CAMEL, SCHEMA);
        Set<ValidationMessage> errors = schema.validate(MAPPER.readTree(purchase().set("customer.email", "not-an-email").json()));
        assertEquals(1, errors.size(), errors::toString);
        ValidationMessage m = errors.iterator().next();
        assertEquals("format", m.getType());
        assertEquals("/customer/email", m.getInstanceLocation().toString());
        assertTrue(schema.validate(MAPPER.readTree(purchase().json())).isEmpty());
    }

    /** Why the custom loader exists: Camel's default one lets the same bad email through. */
    @Test
    void camelsDefaultLoaderWouldNotCheckFormats() throws Exception {
        JsonSchema lenient = new DefaultJsonUriSchemaLoader().createSchema(TestContracts.CAMEL, SCHEMA);
        assertTrue(lenient.validate(MAPPER.readTree(purchase().set("customer.email", "not-an-email")
                .set("event_id", "not-a-uuid").json())).isEmpty());
    }

    @Test
    void compiledOncePerUri() {
        ContractSchemaLoader loader = new ContractSchemaLoader();
        JsonSchema first = loader.load(TestContracts.CAMEL, SCHEMA);
        assertSame(first, loader.load(TestContracts.CAMEL, SCHEMA));
        assertSame(first, loader.createSchema(TestContracts.CAMEL, "contract/ecommerce-event.schema.json"));
        EventContract contract = EventContract.load(TestContracts.CAMEL, loader, SCHEMA, EventContract.DEFAULT_RULES_URI,
                EventContract.DEFAULT_MAX_PAYLOAD_BYTES, Clock.systemUTC());
        assertSame(first, contract.schema());
    }

    @Test
    void camelJsonValidatorEndpointUsesTheSameLoader() throws Exception {
        ContractSchemaLoader loader = new ContractSchemaLoader();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("contractSchemaLoader", loader);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    errorHandler(noErrorHandler()); // the test expects the exception; no error log
                    from("direct:validate").to(ENDPOINT);
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            template.sendBody("direct:validate", purchase().json());
            CamelExecutionException e = assertThrows(CamelExecutionException.class,
                    () -> template.sendBody("direct:validate", purchase().set("customer.email", "not-an-email").json()));
            JsonValidationException cause = assertInstanceOf(JsonValidationException.class, e.getCause());
            assertEquals(1, cause.getErrors().size(), cause.getErrors()::toString);
            // the endpoint's compilation is the very instance the hot path gets
            Field compiled = JsonValidatorEndpoint.class.getDeclaredField("schema");
            compiled.setAccessible(true);
            assertSame(loader.load(camel, SCHEMA), compiled.get(camel.getEndpoint(ENDPOINT, JsonValidatorEndpoint.class)));
        }
    }

    @Test
    void unparsableSchemaFailsNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.schema.json");
        Files.writeString(file, "{\"type\": \"object\",\n \"properties\": {");
        ContractException e = assertThrows(ContractException.class,
                () -> new ContractSchemaLoader().load(TestContracts.CAMEL, "file:" + file));
        assertTrue(e.getMessage().contains("broken.schema.json"), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void schemaThatViolatesTheMetaSchemaFailsNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("typo.schema.json");
        Files.writeString(file, "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
                + "\"type\": \"object\", \"properties\": {\"amount\": {\"type\": \"nmber\"}}}");
        ContractException e = assertThrows(ContractException.class,
                () -> new ContractSchemaLoader().load(TestContracts.CAMEL, "file:" + file));
        assertTrue(e.getMessage().contains("typo.schema.json"), e.getMessage());

        Path badRegex = dir.resolve("regex.schema.json");
        Files.writeString(badRegex, "{\"properties\": {\"c\": {\"type\": \"string\", \"pattern\": \"^[A-Z{3}$\"}}}");
        ContractException re = assertThrows(ContractException.class,
                () -> new ContractSchemaLoader().load(TestContracts.CAMEL, "file:" + badRegex));
        assertTrue(re.getMessage().contains("regex.schema.json"), re.getMessage());
    }

    @Test
    void missingSchemaAndMissingRulesFailThroughTheContractFactory() {
        ContractException schema = assertThrows(ContractException.class, () -> EventContract.load(TestContracts.CAMEL,
                "classpath:contract/nope.schema.json", EventContract.DEFAULT_RULES_URI, 1024, Clock.systemUTC()));
        assertTrue(schema.getMessage().contains("nope.schema.json"), schema.getMessage());
        ContractException rules = assertThrows(ContractException.class, () -> EventContract.load(TestContracts.CAMEL,
                SCHEMA, "classpath:contract/nope.yaml", 1024, Clock.systemUTC()));
        assertTrue(rules.getMessage().contains("nope.yaml"), rules.getMessage());
    }

    @Test
    void compileFromBytesWorksWithoutCamel() {
        byte[] json = "{\"type\":\"object\",\"required\":[\"a\"]}".getBytes(StandardCharsets.UTF_8);
        JsonSchema schema = new ContractSchemaLoader().compile(json, "urn:test");
        assertEquals(1, schema.validate(MAPPER.createObjectNode()).size());
    }

    @Test
    void ecmaEndAnchorTranslation() {
        assertEquals("^[A-Z]{3}\\z", EcmaEndAnchorRegexFactory.toJava("^[A-Z]{3}$"));
        assertEquals("^(a\\z|b\\z)", EcmaEndAnchorRegexFactory.toJava("^(a$|b$)"));
        assertEquals("a\\$b", EcmaEndAnchorRegexFactory.toJava("a\\$b"));
        assertEquals("[$]x", EcmaEndAnchorRegexFactory.toJava("[$]x"));
        assertTrue(EcmaEndAnchorRegexFactory.INSTANCE.getRegularExpression("^[A-Z]{3}$").matches("EUR"));
        assertFalse(EcmaEndAnchorRegexFactory.INSTANCE.getRegularExpression("^[A-Z]{3}$").matches("EUR\n"));
    }
}
