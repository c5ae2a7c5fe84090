package io.ecompipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ecompipeline.jobs.JobRun;
import org.junit.jupiter.api.Test;

class JobRunViewTest {

    @Test
    void theFiguresNamesBecomeCamelCaseAndNestedDataKeysStay() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("run_id", "r1");
        result.put("hours_touched", 3);
        result.put("rows_affected", 10L);
        result.put("index_status", "indexed");
        result.put("customers", 2);
        result.put("files", Map.of("10_pause.sql", 0, "snake_case_file", 1));
        result.put("steps", List.of(Map.of("file", "a.sql")));
        JobRun run = new JobRun("transform-1", "transform", "http", "succeeded", "host#1-abc", null, Instant.EPOCH, Instant.EPOCH,
                null, result);
        JobRun shown = JobRunView.of(run);
        assertEquals(List.of("runId", "hoursTouched", "rowsAffected", "indexStatus", "customers", "files", "steps"),
                List.copyOf(shown.result().keySet()));
        assertEquals(10L, shown.result().get("rowsAffected"));
        assertEquals(Map.of("10_pause.sql", 0, "snake_case_file", 1), shown.result().get("files"));
        assertEquals(run.id(), shown.id());
        assertEquals(run.startedAt(), shown.startedAt());
    }

    @Test
    void onlySnakeCaseNamesAreRenamed() {
        assertEquals("hoursEvaluated", JobRunView.camelCase("hours_evaluated"));
        assertEquals("first2Hour", JobRunView.camelCase("first_2_hour"));
        assertEquals("alreadyCamel", JobRunView.camelCase("alreadyCamel"));
        assertEquals("10_pause.sql", JobRunView.camelCase("10_pause.sql"));
        assertEquals("_private", JobRunView.camelCase("_private"));
        assertEquals("plain", JobRunView.camelCase("plain"));
    }
}
