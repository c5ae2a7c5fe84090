package io.ecompipeline.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import io.ecompipeline.generate.CampaignGenerator;
import io.ecompipeline.generate.EventGenerator;
import io.ecompipeline.generate.GeneratedEvent;
import io.ecompipeline.generate.InventoryGenerator;
import io.ecompipeline.generate.ProductGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiled acceptance check ({@link SchemaFastPath}) against networknt, its judge: on the contracts' fixtures, on
 * generated records of every source (with the generators' invalid kinds) and on thousands of mutations of them (fields
 * removed, values swapped for other types, boundary numbers, odd strings, unknown properties), the fast path accepts a
 * document exactly when networknt finds no violation, and a contract that uses it reports exactly the violations the
 * full validator and the rules report without it. Plus: a schema construct the compiler does not know makes it accept
 * nothing (every record goes to networknt) instead of accepting silently.
 */
class SchemaFastPathTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Clock CLOCK = TestEvents.CLOCK;
    private static final PayloadParser PARSER = new PayloadParser(EventContract.DEFAULT_MAX_PAYLOAD_BYTES);

    /** Values a mutation puts in place of a field: other types, boundaries, strings the schema's checks care about. */
    private static final List<JsonNode> ODD_VALUES = List.of(
            NODES.textNode(""), NODES.textNode(" "), NODES.textNode("EUR"), NODES.textNode("EUR\n"), NODES.textNode("eur"),
            NODES.textNode("EURO"), NODES.textNode("DE"), NODES.textNode("de"), NODES.textNode("D"), NODES.textNode("🎧"),
            NODES.textNode("Ünal-東"), NODES.textNode("x".repeat(64)), NODES.textNode("x".repeat(65)),
            NODES.textNode("ana@example.com"), NODES.textNode("ana.example.com"), NODES.textNode("ana@localhost"),
            NODES.textNode("ana@example.c"), NODES.textNode("\"ana\"@example.com"), NODES.textNode("ana@[127.0.0.1]"),
            NODES.textNode("9b2f0c1e-3f7a-4c55-9a51-0c1d2e3f4a5b"), NODES.textNode("9B2F0C1E-3F7A-4C55-9A51-0C1D2E3F4A5B"),
            NODES.textNode("9b2f0c1e3f7a4c559a510c1d2e3f4a5b"), NODES.textNode("9b2f0c1e-3f7a-4c55-9a51-0c1d2e3f4a5"),
            NODES.textNode("2026-11-21T10:15:30Z"), NODES.textNode("2026-11-21T10:15:30.123+02:00"),
            NODES.textNode("2026-11-21T25:15:30Z"), NODES.textNode("2026-11-21 10:15:30Z"), NODES.textNode("2026-11-21T10:15:60Z"),
            NODES.textNode("2026-11-21"), NODES.textNode("2026-02-30"), NODES.textNode("0000-06-01T12:00:00Z"),
            NODES.textNode("PAGE_VIEW"), NODES.textNode("PURCHASE"), NODES.textNode("REFUND"), NODES.textNode("ADD_TO_CART"),
            NODES.textNode("campaign"), NODES.textNode("spend"), NODES.textNode("12.5"), NODES.textNode("1"),
            NODES.numberNode(0), NODES.numberNode(-0.0), NODES.numberNode(1), NODES.numberNode(1.0), NODES.numberNode(1.5),
            NODES.numberNode(-1), NODES.numberNode(5), NODES.numberNode(5.0), NODES.numberNode(5.000001), NODES.numberNode(-0.000001),
            NODES.numberNode(1_000_000_000), NODES.numberNode(1_000_000_001), NODES.numberNode(1e9), NODES.numberNode(1e300),
            NODES.numberNode(Long.MAX_VALUE), NODES.numberNode(new BigInteger("123456789012345678901234567890")),
            NODES.numberNode(new BigDecimal("4.99999999999999999999")), NODES.booleanNode(true), NODES.booleanNode(false),
            NODES.nullNode(), NODES.objectNode(), NODES.arrayNode(), NODES.arrayNode().add(1), NODES.objectNode().put("a", 1));
    /** Property names a mutation adds: unknown ones and ones declared elsewhere in the schemas. */
    private static final List<String> EXTRA_NAMES = List.of("device", "segment", "tier", "amount", "currency", "name",
            "spend_date", "budget", "unit_cost", "event_type", "record_type", "note");

    record Case(String name, Contract contract, Reference reference, List<byte[]> corpus) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The violations as the contract reported them before the fast path: networknt on every document, then the rules. */
    interface Reference {
        void rules(JsonNode document, List<Violation> out);
    }

    static Stream<Arguments> contracts() {
        EventContract events = TestContracts.DEFAULT;
        BusinessRules eventRules = new BusinessRules(events.rules(), CLOCK);
        SourceContract products = SourceContractTest.PRODUCTS;
        SourceContract inventory = SourceContractTest.INVENTORY;
        SourceContract campaigns = SourceContractTest.CAMPAIGNS;
        Clock now = Clock.systemUTC();
        ProductGenerator productGenerator = new ProductGenerator(7, 0.3, 200, now);
        return Stream.of(
                Arguments.of(new Case("events", events, eventRules::check, eventCorpus())),
                Arguments.of(new Case("products", products, (d, out) -> products.rules().check(d, CLOCK, out),
                        values(productGenerator.records()))),
                Arguments.of(new Case("inventory", inventory, (d, out) -> inventory.rules().check(d, CLOCK, out),
                        values(new InventoryGenerator(7, 0.3, productGenerator.catalogSize(), now).opening()))),
                Arguments.of(new Case("campaigns", campaigns, (d, out) -> campaigns.rules().check(d, CLOCK, out),
                        values(new CampaignGenerator(7, 0.3, now).records()))));
    }

    private static List<byte[]> eventCorpus() {
        List<byte[]> corpus = new ArrayList<>();
        for (String fixture : List.of("page_view", "add_to_cart", "purchase", "refund")) {
            corpus.add(TestEvents.load(fixture).bytes());
        }
        EventGenerator generator = new EventGenerator(11, 0.25, 0.05, 500, 100, Clock.systemUTC());
        corpus.addAll(values(generator.next(1_500)));
        for (EventGenerator.Defect defect : EventGenerator.Defect.values()) {
            corpus.add(generator.withDefect(defect).value());
        }
        for (String type : List.of("PAGE_VIEW", "ADD_TO_CART", "PURCHASE", "REFUND")) {
            corpus.add(generator.valid(type).value());
        }
        // the same example with every optional field present, and an unknown top-level block (allowed there)
        corpus.add(TestEvents.purchase().set("campaign_id", "CMP-1").set("utm_source", "google").set("utm_medium", "cpc")
                .set("customer.tier", "GOLD").set("device", Map.of("os", "android")).bytes());
        corpus.add("{\"event_id\":\"9b2f0c1e-3f7a-4c55-9a51-0c1d2e3f4a5b\",\"event_type\":\"PURCHASE\",\"transaction\":{\"amount\":1e400}}"
                .getBytes(StandardCharsets.UTF_8));
        return corpus;
    }

    private static List<byte[]> values(List<GeneratedEvent> records) {
        return records.stream().map(GeneratedEvent::value).toList();
    }

    /**
     * The corpus plus at least {@code perDocument} random mutations (1-3 edits each) of every document that parses to an
     * object, and more for a small corpus, so that every source is judged on at least ~1,500 documents.
     */
    private static List<JsonNode> documents(List<byte[]> corpus, int atLeastPerDocument, long seed) {
        Random random = new Random(seed);
        int perDocument = Math.max(atLeastPerDocument, 1_500 / Math.max(1, corpus.size()));
        List<JsonNode> out = new ArrayList<>();
        for (byte[] payload : corpus) {
            PayloadParser.Parsed parsed = PARSER.parse(payload);
            if (parsed.object() == null) {
                continue;
            }
            out.add(parsed.object());
            for (int i = 0; i < perDocument; i++) {
                ObjectNode copy = (ObjectNode) parsed.object().deepCopy();
                int edits = 1 + random.nextInt(3);
                for (int e = 0; e < edits; e++) {
                    mutate(copy, random);
                }
                out.add(copy);
            }
        }
        return out;
    }

    /** One edit at a random place: remove a field, replace its value, or add a property. */
    private static void mutate(ObjectNode root, Random random) {
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(root, objects);
        ObjectNode target = objects.get(random.nextInt(objects.size()));
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        int kind = random.nextInt(4);
        if (names.isEmpty() || kind == 3) {
            target.set(EXTRA_NAMES.get(random.nextInt(EXTRA_NAMES.size())), ODD_VALUES.get(random.nextInt(ODD_VALUES.size())));
            return;
        }
        String name = names.get(random.nextInt(names.size()));
        JsonNode value = target.get(name);
        switch (kind) {
            case 0 -> target.remove(name);
            case 1 -> target.set(name, ODD_VALUES.get(random.nextInt(ODD_VALUES.size())).deepCopy());
            default -> target.set(name, swapType(value, random)); // the same content as another type
        }
    }

    private static JsonNode swapType(JsonNode value, Random random) {
        if (value.isNumber()) {
            return random.nextBoolean() ? NODES.textNode(value.asText()) : NODES.numberNode(value.doubleValue() + 0.5);
        }
        if (value.isTextual()) {
            try {
                return NODES.numberNode(new BigDecimal(value.textValue()));
            } catch (NumberFormatException notANumber) {
                return random.nextBoolean() ? NODES.arrayNode().add(value) : NODES.nullNode();
            }
        }
        if (value.isObject()) {
            ArrayNode wrapped = NODES.arrayNode();
            return wrapped.add(value);
        }
        return NODES.textNode(value.toString());
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> out) {
        if (node.isObject()) {
            out.add((ObjectNode) node);
        }
        node.forEach(child -> collectObjects(child, out));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contracts")
    void theShippedSchemasAreCompiled(Case c) {
        SchemaFastPath fastPath = SchemaFastPath.compile(c.contract().schema());
        assertTrue(fastPath.compiled(), () -> c.name() + ": " + fastPath.fallbackReason());
        assertNull(fastPath.fallbackReason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contracts")
    void fastVerdictEqualsNetworkntVerdictOnFixturesGeneratedAndMutatedRecords(Case c) {
        JsonSchema schema = c.contract().schema();
        SchemaFastPath fastPath = SchemaFastPath.compile(schema);
        List<JsonNode> documents = documents(c.corpus(), 4, 42);
        int accepted = 0;
        List<String> disagreements = new ArrayList<>();
        for (JsonNode d : documents) {
            boolean networkntValid = schema.validate(d).isEmpty();
            boolean fast = fastPath.accepts(d);
            if (fast != networkntValid) {
                disagreements.add((fast ? "fast accepts, networknt rejects " + schema.validate(d) : "fast rejects a valid document")
                        + ": " + d);
            }
            accepted += fast ? 1 : 0;
        }
        assertEquals(List.of(), disagreements.stream().limit(5).toList(), () -> disagreements.size() + " of "
                + documents.size() + " documents judged differently");
        // a corpus of only valid or only invalid documents would prove little
        int total = documents.size();
        int acceptedCount = accepted;
        assertTrue(total > 1_000 && acceptedCount >= 50 && total - acceptedCount > total / 4,
                () -> c.name() + ": " + acceptedCount + " of " + total + " accepted");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contracts")
    void contractReportsTheSameViolationsAsTheFullValidator(Case c) {
        List<byte[]> payloads = new ArrayList<>(c.corpus());
        for (JsonNode d : documents(c.corpus(), 2, 43)) {
            payloads.add(d.toString().getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] payload : payloads) {
            List<Violation> expected = new ArrayList<>();
            PayloadParser.Parsed parsed = PARSER.parse(payload);
            if (parsed.violation() != null) {
                expected.add(parsed.violation());
            } else {
                SchemaViolations.addAll(c.contract().schema().validate(parsed.object()), expected);
                c.reference().rules(parsed.object(), expected);
            }
            ValidationResult result = c.contract().validate(payload);
            assertEquals(expected, result.violations(), () -> new String(payload, StandardCharsets.UTF_8));
            assertEquals(expected.isEmpty(), result.valid());
        }
    }

    @Test
    void edgeCasesWhereJavaAndJsonSchemaDiffer() {
        JsonSchema schema = compile("""
                {"type":"object","properties":{
                  "code":{"type":"string","pattern":"^[A-Z]{3}$"},
                  "name":{"type":"string","minLength":2,"maxLength":3},
                  "n":{"type":"integer","minimum":0,"exclusiveMaximum":10},
                  "r":{"type":"number","minimum":0,"maximum":5}}}""");
        SchemaFastPath fastPath = SchemaFastPath.compile(schema);
        assertTrue(fastPath.compiled(), fastPath::fallbackReason);
        BiConsumer<String, Boolean> judged = (json, valid) -> {
            JsonNode d = PARSER.parse(json.getBytes(StandardCharsets.UTF_8)).object();
            assertEquals(valid, schema.validate(d).isEmpty(), () -> "networknt on " + json);
            assertEquals(valid, fastPath.accepts(d), () -> "fast path on " + json);
        };
        judged.accept("{\"code\":\"EUR\"}", true);
        judged.accept("{\"code\":\"EUR\\n\"}", false); // ECMA-262 $, not Java's
        judged.accept("{\"name\":\"🎧🎧\"}", true); // two code points, four UTF-16 units
        judged.accept("{\"name\":\"🎧\"}", false);
        judged.accept("{\"n\":1.0}", true); // an integer in 2020-12
        judged.accept("{\"n\":1.5}", false);
        judged.accept("{\"n\":10}", false);
        judged.accept("{\"n\":9.0}", true);
        judged.accept("{\"n\":-1}", false);
        judged.accept("{\"n\":\"1\"}", false);
        judged.accept("{\"r\":5.0}", true); // inclusive, also as a double
        judged.accept("{\"r\":5}", true);
        judged.accept("{\"r\":5.000001}", false);
        judged.accept("{\"r\":-0.0}", true);
    }

    static Stream<Arguments> unknownConstructs() {
        return Stream.of(
                Arguments.of("patternProperties", """
                        {"type":"object","patternProperties":{"^x":{"type":"string"}}}"""),
                Arguments.of("unevaluatedProperties", """
                        {"type":"object","properties":{"a":{"type":"string"}},"unevaluatedProperties":false}"""),
                Arguments.of("propertyNames", """
                        {"type":"object","properties":{"a":{"propertyNames":{"maxLength":3}}}}"""),
                Arguments.of("uniqueItems", """
                        {"type":"object","properties":{"tags":{"type":"array","uniqueItems":true}}}"""),
                Arguments.of("$ref", """
                        {"type":"object","properties":{"a":{"$ref":"#/properties/b"},"b":{"type":"string"}}}"""),
                Arguments.of("x-internal", """
                        {"type":"object","properties":{"a":{"type":"string","x-internal":true}}}"""),
                Arguments.of("enum", """
                        {"type":"object","properties":{"a":{"enum":[1,2,3]}}}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownConstructs")
    void aConstructTheCompilerDoesNotKnowMakesEveryRecordTakeTheFullValidator(String construct, String schemaJson) {
        JsonSchema schema = compile(schemaJson);
        SchemaFastPath fastPath = SchemaFastPath.compile(schema);
        assertFalse(fastPath.compiled());
        assertNotNull(fastPath.fallbackReason());
        assertTrue(fastPath.fallbackReason().contains(construct), fastPath::fallbackReason);
        // a document networknt finds valid is not accepted by the fast path: it is never asked to guess
        JsonNode valid = PARSER.parse("{}".getBytes(StandardCharsets.UTF_8)).object();
        assertTrue(schema.validate(valid).isEmpty());
        assertFalse(fastPath.accepts(valid));
    }

    @Test
    void aContractWhoseSchemaFallsBackStillReportsEveryViolation() {
        JsonSchema schema = compile("""
                {"type":"object","required":["event_id"],"properties":{"event_id":{"type":"string","format":"uuid"}},
                 "patternProperties":{"^x_":{"type":"integer"}}}""");
        EventContract contract = new EventContract(schema, TestContracts.DEFAULT.rules(),
                EventContract.DEFAULT_MAX_PAYLOAD_BYTES, CLOCK);
        assertNotNull(contract.schemaFastPathOffReason());
        ValidationResult result = contract.validate("{\"event_id\":\"nope\",\"x_a\":\"s\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("schema.format event_id", "schema.type x_a"),
                result.violations().stream().map(v -> v.rule() + " " + v.field()).sorted().toList());
        assertTrue(contract.validate("{\"event_id\":\"9b2f0c1e-3f7a-4c55-9a51-0c1d2e3f4a5b\",\"x_a\":1}"
                .getBytes(StandardCharsets.UTF_8)).valid());
        assertNull(TestContracts.DEFAULT.schemaFastPathOffReason(), "the shipped event schema is compiled");
    }

    @Test
    void anAcceptedEmailIsRememberedARejectedOneIsAskedEveryTimeAndTheMemoryIsBounded() {
        SchemaFastPath.AcceptedValues accepted = new SchemaFastPath.AcceptedValues();
        List<String> asked = new ArrayList<>();
        java.util.function.Predicate<String> check = v -> {
            asked.add(v);
            return v.contains("@");
        };
        assertTrue(accepted.test("a@example.com", check));
        assertTrue(accepted.test("a@example.com", check));
        assertFalse(accepted.test("not-an-address", check));
        assertFalse(accepted.test("not-an-address", check));
        assertEquals(List.of("a@example.com", "not-an-address", "not-an-address"), asked, "accepted once, rejected each time");
        for (int i = 0; i < SchemaFastPath.AcceptedValues.MAX + 10; i++) {
            accepted.test(i + "@example.com", check);
        }
        assertTrue(accepted.size() <= SchemaFastPath.AcceptedValues.MAX, "bounded: " + accepted.size());
    }

    @Test
    void theEmailFormatGivesTheSameVerdictWhenAValueComesBack() {
        JsonSchema schema = compile("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                 "properties": {"email": {"type": "string", "format": "email"}}}""");
        SchemaFastPath fast = SchemaFastPath.compile(schema);
        assertTrue(fast.compiled(), fast.toString());
        JsonNodeFactory f = JsonNodeFactory.instance;
        for (int round = 0; round < 3; round++) {
            assertTrue(fast.accepts(f.objectNode().put("email", "ann@example.com")), "round " + round);
            assertFalse(fast.accepts(f.objectNode().put("email", "ann at example.com")), "round " + round);
        }
    }

    private static JsonSchema compile(String schemaJson) {
        return TestContracts.SCHEMA_LOADER.compile(schemaJson.getBytes(StandardCharsets.UTF_8), "test:schema.json");
    }
}
