package io.ecompipeline.jobs;

import java.time.Instant;
import java.util.Map;

/** One run of an operational job (transform, index, redeliver, ...), as reported over HTTP. */
public record JobRun(String id, String type, String trigger, String status, Instant startedAt, Instant finishedAt,
                     String error, Map<String, Object> result) {

    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    public boolean running() {
        return RUNNING.equals(status);
    }
}
