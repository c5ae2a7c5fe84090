package io.ecompipeline.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MalformedPayloadTest {

    private static final EventContract CONTRACT = TestContracts.DEFAULT;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The purchase example with {@code bad} spliced into the product name. */
    private static byte[] purchaseWithNameBytes(byte... bad) {
        String json = TestEvents.purchase().set("product.name", "@@").json();
        int at = json.indexOf("@@");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(json.substring(0, at)));
        out.writeBytes(bad);
        out.writeBytes(utf8(json.substring(at + 2)));
        return out.toByteArray();
    }

    static Stream<Arguments> malformed() {
        String deepArray = "[".repeat(100_000) + "]".repeat(100_000);
        String deepObject = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        String purchase = TestEvents.purchase().json();
        return Stream.of(
                Arguments.of("null payload", null, RuleIds.MALFORMED_EMPTY),
                Arguments.of("zero bytes", new byte[0], RuleIds.MALFORMED_EMPTY),
                Arguments.of("whitespace only", utf8(" \n\t "), RuleIds.MALFORMED_EMPTY),
                Arguments.of("C3 28 (bad continuation)", purchaseWithNameBytes((byte) 0xC3, (byte) 0x28), RuleIds.MALFORMED_ENCODING),
                Arguments.of("lone FF", purchaseWithNameBytes((byte) 0xFF), RuleIds.MALFORMED_ENCODING),
                Arguments.of("overlong '/' C0 AF", purchaseWithNameBytes((byte) 0xC0, (byte) 0xAF), RuleIds.MALFORMED_ENCODING),
                Arguments.of("UTF-16 surrogate ED A0 80", purchaseWithNameBytes((byte) 0xED, (byte) 0xA0, (byte) 0x80),
                        RuleIds.MALFORMED_ENCODING),
                Arguments.of("Latin-1 encoded text", purchaseWithNameBytes("Kopfhörer".getBytes(StandardCharsets.ISO_8859_1)),
                        RuleIds.MALFORMED_ENCODING),
                Arguments.of("truncated 3-byte sequence at end", concat(utf8("{\"a\":\"東"), new byte[]{(byte) 0xE6, (byte) 0x9D}),
                        RuleIds.MALFORMED_ENCODING),
                Arguments.of("UTF-16LE document", purchase.getBytes(StandardCharsets.UTF_16LE), RuleIds.MALFORMED_ENCODING),
                Arguments.of("UTF-16 with BOM", purchase.getBytes(StandardCharsets.UTF_16), RuleIds.MALFORMED_ENCODING),
                Arguments.of("UTF-8 BOM", concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(purchase)),
                        RuleIds.MALFORMED_ENCODING),
                Arguments.of("truncated JSON", utf8(purchase.substring(0, purchase.length() / 2)), RuleIds.MALFORMED_JSON),
                Arguments.of("trailing garbage", utf8(purchase + " x"), RuleIds.MALFORMED_JSON),
                Arguments.of("two objects", utf8(purchase + purchase), RuleIds.MALFORMED_JSON),
                Arguments.of("single quotes", utf8("{'event_id':'x'}"), RuleIds.MALFORMED_JSON),
                Arguments.of("NaN literal", utf8("{\"a\":NaN}"), RuleIds.MALFORMED_JSON),
                Arguments.of("duplicate key", utf8("{\"a\":1,\"a\":2}"), RuleIds.MALFORMED_JSON),
                Arguments.of("huge array nesting", utf8(deepArray), RuleIds.MALFORMED_JSON),
                Arguments.of("huge object nesting", utf8(deepObject), RuleIds.MALFORMED_JSON),
                Arguments.of("huge nesting inside an event",
                        utf8(purchase.replace("{\"event_id\"", "{\"x\":" + deepArray + ",\"event_id\"")), RuleIds.MALFORMED_JSON),
                Arguments.of("array", utf8("[" + purchase + "]"), RuleIds.MALFORMED_NOT_OBJECT),
                Arguments.of("number", utf8("42"), RuleIds.MALFORMED_NOT_OBJECT),
                Arguments.of("string", utf8("\"PURCHASE\""), RuleIds.MALFORMED_NOT_OBJECT),
                Arguments.of("boolean", utf8("true"), RuleIds.MALFORMED_NOT_OBJECT),
                Arguments.of("null", utf8("null"), RuleIds.MALFORMED_NOT_OBJECT),
                Arguments.of("null with whitespace", utf8("  null \n"), RuleIds.MALFORMED_NOT_OBJECT));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("malformed")
    void malformedPayloadGivesItsRuleAndNeverThrows(String name, byte[] payload, String rule) {
        ValidationResult result = assertDoesNotThrow(() -> CONTRACT.validate(payload));
        assertFalse(result.valid());
        assertEquals(1, result.violations().size(), () -> result.violations().toString());
        Violation v = result.violations().get(0);
        assertEquals(rule, v.rule(), () -> v.toString());
        assertEquals("$", v.field());
        assertFalse(v.message().isBlank());
        assertTrue(v.message().length() < 300, () -> "short message: " + v.message());
        assertNull(result.event());
        assertNull(result.eventId());
    }

    @Test
    void oversizedPayloadIsRejectedUnparsedAndTheLimitIsInclusive() {
        byte[] purchase = TestEvents.purchase().bytes();
        EventContract small = new EventContract(TestContracts.DEFAULT.schema(), RuleSet.defaults(),
                purchase.length, TestEvents.CLOCK);
        assertTrue(small.validate(purchase).valid());
        byte[] bigger = TestEvents.purchase().set("session_id", "s-817234").bytes();
        ValidationResult result = small.validate(bigger);
        assertEquals(RuleIds.MALFORMED_OVERSIZED, result.violations().get(0).rule());
        // even garbage is not looked at once it is too big
        byte[] garbage = new byte[purchase.length + 1];
        garbage[0] = (byte) 0xFF;
        assertEquals(RuleIds.MALFORMED_OVERSIZED, small.validate(garbage).violations().get(0).rule());
        assertEquals(RuleIds.MALFORMED_OVERSIZED,
                CONTRACT.validate(new byte[(int) EventContract.DEFAULT_MAX_PAYLOAD_BYTES + 1]).violations().get(0).rule());
    }

    @Test
    void jsonErrorsSayWhere() {
        String message = CONTRACT.validate(utf8("{\n  \"event_id\": \"x\",\n  \"event_type\": }")).violations().get(0).message();
        assertTrue(message.contains("line 3"), message);
        assertFalse(message.contains("Source"), message);
        assertTrue(CONTRACT.validate(utf8("{\"a\":1,\"a\":2}")).violations().get(0).message().contains("Duplicate field 'a'"));
        assertTrue(CONTRACT.validate(utf8("[".repeat(1000))).violations().get(0).message().contains("nesting depth"));
    }

    @Test
    void encodingErrorsSayWhichByte() {
        Violation v = CONTRACT.validate(purchaseWithNameBytes((byte) 0xFF)).violations().get(0);
        assertTrue(v.message().contains("0xFF"), v.message());
    }

    @Test
    void randomGarbageAndMutatedEventsNeverThrow() {
        Random random = new Random(20261121);
        byte[] purchase = TestEvents.purchase().bytes();
        for (int i = 0; i < 20_000; i++) {
            byte[] payload;
            if (i % 2 == 0) {
                payload = purchase.clone();
                for (int k = 0, flips = 1 + random.nextInt(4); k < flips; k++) {
                    payload[random.nextInt(payload.length)] = (byte) random.nextInt(256);
                }
            } else {
                payload = new byte[random.nextInt(64)];
                random.nextBytes(payload);
            }
            byte[] input = payload;
            ValidationResult result = assertDoesNotThrow(() -> CONTRACT.validate(input));
            assertNotNull(result.violations());
            assertEquals(result.valid(), result.violations().isEmpty());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
