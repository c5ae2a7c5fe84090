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
    void theDocumentHasExactlyTheMappedFields() {
        Map<String, Object> doc = HourlyMetricsIndexer.document(Instant.parse("2020-03-04T05:00:00Z"), 12,
                new BigDecimal("1234.50"), 3, 0.25);
        assertEquals(List.of("event_hour", "total_transactions", "total_amount", "late_transactions", "late_ratio"),
                List.copyOf(doc.keySet()));
        assertEquals("2020-03-04T05:00:00Z", doc.get("event_hour"));
        assertEquals(12, doc.get("total_transactions"));
        assertEquals(1234.5, doc.get("total_amount"));
        assertEquals(3, doc.get("late_transactions"));
        assertEquals(0.25, doc.get("late_ratio"));
    }

    @Test
    void theIndexMappingIsExplicitStrictAndWithoutReplicas() throws Exception {
        JsonNode index;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(HourlyMetricsIndex.MAPPING_RESOURCE)) {
            assertNotNull(in);
            index = new ObjectMapper().readTree(in);
        }
        assertEquals(0, index.path("settings").path("number_of_replicas").asInt(-1));
        JsonNode mappings = index.path("mappings");
        assertEquals("strict", mappings.path("dynamic").asText());
        Map<String, String> types = Map.of("event_hour", "date", "total_transactions", "integer", "total_amount", "double",
                "late_transactions", "integer", "late_ratio", "float");
        types.forEach((field, type) -> assertEquals(type, mappings.path("properties").path(field).path("type").asText(), field));
        assertEquals(types.size(), mappings.path("properties").size());
    }

    @Test
    void failuresAreDescribedWithTheirCauses() {
        String d = HourlyMetricsIndexer.describe(new RuntimeException("bulk failed", new ConnectException("Connection refused")));
        assertTrue(d.contains("RuntimeException: bulk failed"), d);
        assertTrue(d.contains("ConnectException: Connection refused"), d);
    }
}
