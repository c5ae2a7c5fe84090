package io.ecompipeline.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TransformResultTest {

    @Test
    void reportsFiguresAndCutsLongHourLists() {
        List<Instant> hours = new ArrayList<>();
        Instant first = Instant.parse("2020-01-01T00:00:00Z");
        for (int i = 0; i < 100; i++) {
            hours.add(first.plus(Duration.ofHours(i)));
        }
        TransformResult r = new TransformResult("transform-1", TransformResult.SUCCEEDED, hours, 1234,
                List.of(new TransformResult.Step("10_a.sql", 1000, 12), new TransformResult.Step("20_b.sql", 234, 3)), 20, null);
        Map<String, Object> m = r.toMap();
        assertEquals(100, m.get("hours_touched"));
        assertEquals("2020-01-01T00:00:00Z", m.get("first_hour"));
        assertEquals("2020-01-05T03:00:00Z", m.get("last_hour"));
        assertEquals(TransformResult.HOURS_IN_REPORT, ((List<?>) m.get("hours")).size());
        assertEquals(true, m.get("hours_truncated"));
        assertEquals(1234L, m.get("rows_affected"));
        assertEquals(Map.of("file", "10_a.sql", "rows", 1000L, "ms", 12L), ((List<?>) m.get("steps")).get(0));
    }

    @Test
    void aSkippedRunSaysWhy() {
        Map<String, Object> m = TransformResult.skipped("transform-2", 3, "already running").toMap();
        assertEquals("skipped", m.get("status"));
        assertEquals("already running", m.get("reason"));
        assertEquals(0, m.get("hours_touched"));
        assertFalse(m.containsKey("hours"));
        assertTrue(TransformResult.skipped("x", 0, "r").hours().isEmpty());
    }

    @Test
    void durationsBecomePostgresIntervals() {
        assertEquals("120.000 seconds", TransformRunner.postgresInterval(Duration.ofMinutes(2)));
        assertEquals("0.500 seconds", TransformRunner.postgresInterval(Duration.ofMillis(500)));
        assertEquals("3661.250 seconds", TransformRunner.postgresInterval(Duration.parse("PT1H1M1.25S")));
    }
}
