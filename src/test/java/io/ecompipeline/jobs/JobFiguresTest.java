package io.ecompipeline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JobFiguresTest {

    @Test
    void listsAndMapsAreShownByTheirSizeAndScalarsAsTheyAre() {
        List<String> hours = new ArrayList<>();
        for (int h = 0; h < 48; h++) {
            hours.add("2020-01-01T" + String.format("%02d", h % 24) + ":00:00Z");
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("hours_touched", 48);
        figures.put("hours", hours);
        figures.put("steps", List.of(Map.of("file", "10_a.sql"), Map.of("file", "20_b.sql")));
        figures.put("counts", Map.of("customers", 3L));
        figures.put("index_status", "indexed");
        figures.put("note", null);
        String line = JobFigures.brief(figures);
        assertEquals("hours_touched=48, hours=[48], steps=[2], counts={1}, index_status=indexed, note=null", line);
        assertFalse(line.contains("2020-01-01T05"), line);
    }

    @Test
    void longOrMultiLineTextIsCutToOneShortLine() {
        String error = "first line\nsecond line " + "x".repeat(500);
        String line = JobFigures.brief(Map.of("index_error", error));
        assertFalse(line.contains("\n"), line);
        assertTrue(line.length() <= "index_error=".length() + JobFigures.MAX_TEXT + 1, line.length() + ": " + line);
        assertTrue(line.startsWith("index_error=first line second line xx"), line);
    }
}
