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
    void findsOnlyRealNulEscapes() {
        assertTrue(RawEventRow.containsNulEscape(bytes("{\"a\":\"x\\u0000y\"}")));
        assertFalse(RawEventRow.containsNulEscape(bytes("{\"a\":\"x\\\\u0000y\"}")), "an escaped backslash before u0000");
        assertFalse(RawEventRow.containsNulEscape(bytes("{\"a\":\"\\u00e9\"}")));
        assertFalse(RawEventRow.containsNulEscape(null));
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
}
