package io.ecompipeline.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RawEventRowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void findsOnlyRealUnicodeEscapesAndExponents() {
        assertEquals(1, StorageRules.notation(bytes("{\"a\":\"x\\u0000y\"}")));
        assertEquals(0, StorageRules.notation(bytes("{\"a\":\"x\\\\u0000y\"}")), "an escaped backslash before u0000");
        assertEquals(0, StorageRules.notation(bytes("{\"a\":true,\"b\":false,\"c\":\"1e5\"}")), "no number with an exponent");
        assertEquals(2, StorageRules.notation(bytes("{\"a\":1.5E-3}")));
        assertEquals(0, StorageRules.notation(null));
        assertFalse(StorageRules.fitsNumeric("1e131072"));
        assertTrue(StorageRules.fitsNumeric("1e131071"));
        assertFalse(StorageRules.fitsNumeric("1e99999999999"));
        assertTrue(StorageRules.fitsNumeric("0e99999999"));
    }

    @Test
    void mapsColumnsAndRefusesWhatPostgresCannotStore() throws Exception {
        String event = "{\"event_id\":\"9b2f0c1e-3f7a-4c55-9a51-0c1d2e3f4a5b\",\"event_type\":\"PURCHASE\","
                + "\"event_time\":\"2026-11-21T11:15:30.123+01:00\",\"source\":\"web\",\"customer\":{\"customer_id\":\"C-1\","
                + "\"email\":\"a@example.com\",\"country\":\"DE\"},\"product\":{\"product_id\":\"P-1\",\"name\":\"n\","
                + "\"category\":\"c\",\"price\":199.99,\"currency\":\"EUR\"},\"transaction\":{\"transaction_id\":\"T-1\","
                + "\"amount\":399.98,\"quantity\":2,\"currency\":\"EUR\",\"payment_method\":\"CARD\",\"payment_status\":\"PAID\"}}";
        JsonNode node = JSON.readTree(event);
        RawEventRow row = RawEventRow.of(node, new SourceRecord("t", 1, 5, bytes(event)));
        // normalised to UTC; the exact digits of the fraction are PostgreSQL's to parse
        assertEquals(java.time.Instant.parse("2026-11-21T10:15:30.123Z"), java.time.Instant.parse(row.eventTime()));
        assertTrue(row.eventTime().endsWith("Z"), row.eventTime());
        assertEquals("399.98", row.amount());
        assertEquals("2", row.quantity());
        assertEquals(event, row.payload());

        String nul = event.replace("\"source\":\"web\"", "\"source\":\"w\\u0000b\"");
        UnstorableEventException e = assertThrows(UnstorableEventException.class,
                () -> RawEventRow.of(JSON.readTree(nul), new SourceRecord("t", 1, 6, bytes(nul))));
        assertEquals("storage.unsupported_character", e.violations().get(0).rule());
        String big = event.replace("\"quantity\":2", "\"quantity\":99999999999");
        assertThrows(UnstorableEventException.class, () -> RawEventRow.of(JSON.readTree(big), new SourceRecord("t", 1, 7, bytes(big))));
    }

    private static final String EVENT = "{\"event_id\":\"9b2f0c1e-3f7a-4c55-9a51-0c1d2e3f4a5b\",\"event_type\":\"PURCHASE\","
            + "\"event_time\":\"2026-11-21T11:15:30.123+01:00\",\"source\":\"web\",\"customer\":{\"customer_id\":\"C-1\","
            + "\"email\":\"a@example.com\",\"country\":\"DE\"},\"product\":{\"product_id\":\"P-1\",\"name\":\"n\","
            + "\"category\":\"c\",\"price\":199.99,\"currency\":\"EUR\"},\"transaction\":{\"transaction_id\":\"T-1\","
            + "\"amount\":399.98,\"quantity\":2,\"currency\":\"EUR\",\"payment_method\":\"CARD\",\"payment_status\":\"PAID\"}}";

    /** The violations RawEventRow.of reports for {@code json} (empty when it makes a row). */
    private static java.util.List<io.ecompipeline.contract.Violation> problems(String json) throws Exception {
        try {
            RawEventRow.of(JSON.readTree(json), new SourceRecord("t", 0, 1, bytes(json)));
            return java.util.List.of();
        } catch (UnstorableEventException e) {
            return e.violations();
        }
    }

    private static void assertRefused(String json, String rule, String field) throws Exception {
        var found = problems(json);
        assertTrue(found.stream().anyMatch(v -> v.rule().equals(rule) && v.field().equals(field)),
                "expected " + rule + " at " + field + " for " + json + " but got " + found);
    }

    @Test
    void refusesLoneSurrogatesInAnyStringButKeepsRealPairs() throws Exception {
        // jsonb refuses an unpaired UTF-16 surrogate escape anywhere in the document, not only in mapped columns
        assertRefused(EVENT.replace("\"name\":\"n\"", "\"name\":\"n\\ud800\""),
                "storage.unsupported_character", "product.name");
        assertRefused(EVENT.replace("\"source\":\"web\"", "\"source\":\"web\",\"device\":{\"model\":\"\\udc00x\"}"),
                "storage.unsupported_character", "device.model");
        assertRefused(EVENT.replace("\"source\":\"web\"", "\"source\":\"web\",\"tags\":[\"ok\",\"\\udc00\\ud83d\"]"),
                "storage.unsupported_character", "tags[1]");
        // in a property name too
        assertRefused(EVENT.replace("\"source\":\"web\"", "\"source\":\"web\",\"\\ud800\":1"),
                "storage.unsupported_character", "\\ud800");
        // a proper pair (an emoji) and a literal backslash-u text are fine
        assertEquals(java.util.List.of(), problems(EVENT.replace("\"name\":\"n\"", "\"name\":\"n \\ud83d\\ude00\"")));
        assertEquals(java.util.List.of(), problems(EVENT.replace("\"name\":\"n\"", "\"name\":\"n \\\\ud800\"")));
    }

    @Test
    void refusesNulInPropertyNamesAndUnknownFields() throws Exception {
        assertRefused(EVENT.replace("\"source\":\"web\"", "\"source\":\"web\",\"x\\u0000y\":true"),
                "storage.unsupported_character", "x\\u0000y");
        assertRefused(EVENT.replace("\"source\":\"web\"", "\"source\":\"web\",\"extra\":{\"note\":\"a\\u0000\"}"),
                "storage.unsupported_character", "extra.note");
    }

    @Test
    void refusesTimestampsOutsideTheRangeStored() throws Exception {
        // PostgreSQL has no year 0: 0000-... is refused, and so is 0001-01-01T00:30+01:00 (year 0 in UTC)
        assertRefused(EVENT.replace("2026-11-21T11:15:30.123+01:00", "0000-06-01T00:00:00Z"), "storage.out_of_range", "event_time");
        assertRefused(EVENT.replace("2026-11-21T11:15:30.123+01:00", "0001-01-01T00:30:00+01:00"), "storage.out_of_range", "event_time");
        assertEquals(java.util.List.of(), problems(EVENT.replace("2026-11-21T11:15:30.123+01:00", "0001-01-01T00:00:00Z")));
        assertEquals(java.util.List.of(), problems(EVENT.replace("2026-11-21T11:15:30.123+01:00", "9999-12-31T23:59:59.999Z")));
    }

    @Test
    void refusesNumbersOutOfRangeForTheirColumnOrForJsonb() throws Exception {
        // a double beyond 1.8e308 parses as infinity: no numeric value for the amount column
        assertRefused(EVENT.replace("\"amount\":399.98", "\"amount\":1e400"), "storage.out_of_range", "transaction.amount");
        assertRefused(EVENT.replace("\"price\":199.99", "\"price\":-1" + "0".repeat(400) + ".5"), "storage.out_of_range", "product.price");
        // jsonb stores every number as numeric: at most 131072 digits before and 16383 after the point, anywhere
        assertRefused(EVENT.replace("\"source\":\"web\"", "\"source\":\"web\",\"score\":1e131072"), "storage.out_of_range", "score");
        assertRefused(EVENT.replace("\"source\":\"web\"", "\"source\":\"web\",\"m\":{\"w\":[1.5E-16383]}"),
                "storage.out_of_range", "m.w[0]");
        assertEquals(java.util.List.of(),
                problems(EVENT.replace("\"source\":\"web\"", "\"source\":\"web\",\"score\":1e131071,\"w\":1e-16383")));
        // an integral quantity written as 2.0 is the integer 2 for the column (PostgreSQL refuses '2.0'::integer)
        RawEventRow two = RawEventRow.of(JSON.readTree(EVENT.replace("\"quantity\":2", "\"quantity\":2.0")),
                new SourceRecord("t", 0, 1, bytes(EVENT)));
        assertEquals("2", two.quantity());
        assertRefused(EVENT.replace("\"quantity\":2", "\"quantity\":2147483648"), "storage.out_of_range", "transaction.quantity");
    }
}
