package io.ecompipeline.jobs;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of a SQL job (transform, gold, ...) did: the periods it recomputed (hours or days), extra counts (e.g.
 * customers), the rows its files affected, per-file steps. Recorded in the run table and reported by the job.
 *
 * @param periods the claimed hours or days (as their UTC start)
 * @param counts  further claimed work by name, e.g. {@code customers}
 */
public record RunResult(String runId, String status, Unit unit, List<Instant> periods, Map<String, Long> counts,
                        long rowsAffected, List<Step> steps, long durationMs, String reason) {

    /** Shown in job results; longer lists are cut (the run record in PostgreSQL keeps them all). */
    public static final int PERIODS_IN_REPORT = 48;

    /** The period a job recomputes; names the result keys ({@code hours_touched}, {@code first_day}, ...). */
    public enum Unit {
        HOUR("hour"), DAY("day");

        private final String label;

        Unit(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        String format(Instant period) {
            return this == DAY ? LocalDate.ofInstant(period, ZoneOffset.UTC).toString() : period.toString();
        }
    }

    /** One SQL file of the run: rows its statements affected and how long it took. */
    public record Step(String file, long rows, long ms) {

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file);
            m.put("rows", rows);
            m.put("ms", ms);
            return m;
        }
    }

    public static RunResult skipped(String runId, Unit unit, long durationMs, String reason) {
        return new RunResult(runId, RunStatus.SKIPPED, unit, List.of(), Map.of(), 0, List.of(), durationMs, reason);
    }

    public boolean succeeded() {
        return RunStatus.SUCCEEDED.equals(status);
    }

    public Map<String, Object> toMap() {
        String label = unit.label();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", runId);
        m.put("status", status);
        if (reason != null) {
            m.put("reason", reason);
        }
        m.put(label + "s_touched", periods.size());
        if (!periods.isEmpty()) {
            m.put("first_" + label, unit.format(periods.get(0)));
            m.put("last_" + label, unit.format(periods.get(periods.size() - 1)));
            List<String> shown = new ArrayList<>();
            for (int i = 0; i < Math.min(PERIODS_IN_REPORT, periods.size()); i++) {
                shown.add(unit.format(periods.get(i)));
            }
            m.put(label + "s", shown);
            if (periods.size() > PERIODS_IN_REPORT) {
                m.put(label + "s_truncated", true);
            }
        }
        m.putAll(counts);
        m.put("rows_affected", rowsAffected);
        m.put("steps", steps.stream().map(Step::toMap).toList());
        m.put("duration_ms", durationMs);
        return m;
    }
}
