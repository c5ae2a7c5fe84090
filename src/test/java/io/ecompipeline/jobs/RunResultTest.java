package io.ecompipeline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RunResultTest {

    @Test
    void reportsFiguresAndCutsLongHourLists() {
        List<Instant> hours = new ArrayList<>();
        Instant first = Instant.parse("2020-01-01T00:00:00Z");
        for (int i = 0; i < 100; i++) {
            hours.add(first.plus(Duration.ofHours(i)));
        }
        RunResult r = new RunResult("transform-1", RunStatus.SUCCEEDED, RunResult.Unit.HOUR, hours, Map.of(), 1234,
                List.of(new RunResult.Step("10_a.sql", 1000, 12), new RunResult.Step("20_b.sql", 234, 3)), 20, null);
        Map<String, Object> m = r.toMap();
        assertEquals(100, m.get("hours_touched"));
        assertEquals("2020-01-01T00:00:00Z", m.get("first_hour"));
        assertEquals("2020-01-05T03:00:00Z", m.get("last_hour"));
        assertEquals(RunResult.PERIODS_IN_REPORT, ((List<?>) m.get("hours")).size());
        assertEquals(true, m.get("hours_truncated"));
        assertEquals(1234L, m.get("rows_affected"));
        assertEquals(Map.of("file", "10_a.sql", "rows", 1000L, "ms", 12L), ((List<?>) m.get("steps")).get(0));
    }

    @Test
    void daysAreReportedAsDatesWithTheirCounts() {
        RunResult r = new RunResult("gold-1", RunStatus.SUCCEEDED, RunResult.Unit.DAY,
                List.of(Instant.parse("2020-03-01T00:00:00Z"), Instant.parse("2020-03-02T00:00:00Z")), Map.of("customers", 7L),
                10, List.of(), 5, null);
        Map<String, Object> m = r.toMap();
        assertEquals(2, m.get("days_touched"));
        assertEquals("2020-03-01", m.get("first_day"));
        assertEquals("2020-03-02", m.get("last_day"));
        assertEquals(List.of("2020-03-01", "2020-03-02"), m.get("days"));
        assertEquals(7L, m.get("customers"));
        assertFalse(m.containsKey("hours_touched"));
    }

    @Test
    void aSkippedRunSaysWhy() {
        Map<String, Object> m = RunResult.skipped("transform-2", RunResult.Unit.HOUR, 3, "already running").toMap();
        assertEquals("skipped", m.get("status"));
        assertEquals("already running", m.get("reason"));
        assertEquals(0, m.get("hours_touched"));
        assertFalse(m.containsKey("hours"));
        assertTrue(RunResult.skipped("x", RunResult.Unit.HOUR, 0, "r").periods().isEmpty());
    }
}
