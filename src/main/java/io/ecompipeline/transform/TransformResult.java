package io.ecompipeline.transform;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one transformation run did, as recorded in {@code transform_runs} and reported by the job. */
public record TransformResult(String runId, String status, List<Instant> hours, long rowsAffected, List<Step> steps,
                              long durationMs, String reason) {

    public static final String SUCCEEDED = "succeeded";
    public static final String SKIPPED = "skipped";

    /** Shown in job results; longer lists are cut (the run record in PostgreSQL keeps them all). */
    static final int HOURS_IN_REPORT = 48;

    public record Step(String file, long rows, long ms) {

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file);
            m.put("rows", rows);
            m.put("ms", ms);
            return m;
        }
    }

    public static TransformResult skipped(String runId, long durationMs, String reason) {
        return new TransformResult(runId, SKIPPED, List.of(), 0, List.of(), durationMs, reason);
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", runId);
        m.put("status", status);
        if (reason != null) {
            m.put("reason", reason);
        }
        m.put("hours_touched", hours.size());
        if (!hours.isEmpty()) {
            m.put("first_hour", hours.get(0).toString());
            m.put("last_hour", hours.get(hours.size() - 1).toString());
            List<String> shown = new ArrayList<>();
            for (int i = 0; i < Math.min(HOURS_IN_REPORT, hours.size()); i++) {
                shown.add(hours.get(i).toString());
            }
            m.put("hours", shown);
            if (hours.size() > HOURS_IN_REPORT) {
                m.put("hours_truncated", true);
            }
        }
        m.put("rows_affected", rowsAffected);
        m.put("steps", steps.stream().map(Step::toMap).toList());
        m.put("duration_ms", durationMs);
        return m;
    }
}
