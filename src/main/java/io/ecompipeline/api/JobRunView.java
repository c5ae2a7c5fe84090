package io.ecompipeline.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ecompipeline.jobs.JobRun;

/**
 * A job run as the API shows it: the figures of {@code result} under camelCase names like every other field of the API
 * ({@code rows_affected} becomes {@code rowsAffected}). The jobs record them in {@code pipeline.job_runs} under the
 * snake_case names of the SQL they count, and older rows keep those; renaming here shows every run, old or new, in one
 * style. Only the figures' own names are renamed: the keys of a nested map are data (file names, rule ids).
 */
final class JobRunView {

    private JobRunView() {
    }

    static JobRun of(JobRun run) {
        if (run == null || run.result() == null) {
            return run;
        }
        return new JobRun(run.id(), run.type(), run.trigger(), run.status(), run.instance(), run.scheduledFor(),
                run.startedAt(), run.finishedAt(), run.error(), camelCaseKeys(run.result()));
    }

    static List<JobRun> of(List<JobRun> runs) {
        return runs.stream().map(JobRunView::of).toList();
    }

    static Map<String, Object> camelCaseKeys(Map<String, Object> figures) {
        Map<String, Object> renamed = new LinkedHashMap<>();
        figures.forEach((key, value) -> renamed.put(camelCase(key), value));
        return renamed;
    }

    /** {@code rows_affected} -> {@code rowsAffected}; a key that is not a snake_case name stays as it is. */
    static String camelCase(String key) {
        if (!key.matches("[a-z][a-z0-9]*(_[a-z0-9]+)+")) {
            return key;
        }
        StringBuilder name = new StringBuilder(key.length());
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }
}
