package io.ecompipeline.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class HourlyMetricsIndexerTest {

    @Test
    void theDocumentIdIsTheHourInIso8601() {
        assertEquals("2020-03-04T05:00:00Z", HourlyMetricsIndexer.HOUR_ID.format(Instant.parse("2020-03-04T05:00:00Z")));
        assertEquals("1999-12-31T23:00:00Z", HourlyMetricsIndexer.HOUR_ID.format(Instant.parse("1999-12-31T23:00:00Z")));
    }

    @Test
    void theDocumentIsTheRowFieldByField() {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("event_hour", java.sql.Timestamp.from(Instant.parse("2020-03-04T05:00:00Z")));
        row.put("total_transactions", 12);
        row.put("total_amount", new BigDecimal("1234.50"));
        row.put("late_ratio", null);
        row.put("reporting_currency", "EUR");
        row.put("conversion_rate", 0.25);
        Map<String, Object> doc = HourlyMetricsIndexer.document(row);
        assertEquals(List.copyOf(row.keySet()), List.copyOf(doc.keySet()));
        assertEquals("2020-03-04T05:00:00Z", doc.get("event_hour"));
        assertEquals(12, doc.get("total_transactions"));
        assertEquals(1234.5, doc.get("total_amount"));
        assertEquals(null, doc.get("late_ratio"));
        assertEquals("EUR", doc.get("reporting_currency"));
        assertEquals(0.25, doc.get("conversion_rate"));
    }

    @Test
    void theIndexMappingIsExplicitStrictVersionedAndWithoutReplicas() throws Exception {
        JsonNode index;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(HourlyMetricsIndex.MAPPING_RESOURCE)) {
            assertNotNull(in);
            index = new ObjectMapper().readTree(in);
        }
        assertEquals(0, index.path("settings").path("number_of_replicas").asInt(-1));
        JsonNode mappings = index.path("mappings");
        assertEquals("strict", mappings.path("dynamic").asText());
        assertEquals(HourlyMetricsIndex.VERSION, mappings.path("_meta").path("version").asInt(), "mapping and code agree");
        // seed 003's fields keep their types (late_ratio widened to double in version 2)
        Map<String, String> types = Map.of("event_hour", "date", "total_transactions", "integer", "total_amount", "double",
                "late_transactions", "integer", "late_ratio", "double", "net_revenue", "double", "conversion_rate", "double",
                "reporting_currency", "keyword");
        types.forEach((field, type) -> assertEquals(type, mappings.path("properties").path(field).path("type").asText(), field));
    }

    @Test
    void failuresAreDescribedWithTheirCauses() {
        String d = HourlyMetricsIndexer.describe(new RuntimeException("bulk failed", new ConnectException("Connection refused")));
        assertTrue(d.contains("RuntimeException: bulk failed"), d);
        assertTrue(d.contains("ConnectException: Connection refused"), d);
    }
}
