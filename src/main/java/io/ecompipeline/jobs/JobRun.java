package io.ecompipeline.jobs;

import java.time.Instant;
import java.util.Map;

/** One run of an operational job (transform, index, redeliver, ...), as reported over HTTP. */
public record JobRun(String id, String type, String trigger, String status, Instant startedAt, Instant finishedAt,
                     String error, Map<String, Object> result) {

    public boolean running() {
        return RunStatus.RUNNING.equals(status);
    }
}
