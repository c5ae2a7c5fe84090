package io.ecompipeline.jobs;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One run of a job (transform, gold, index, redeliver, maintenance, ...): the one run-record type of every job, as
 * stored in {@code pipeline.job_runs} and reported over HTTP by any instance.
 *
 * @param trigger      what started it (schedule, http, ...); null in rows older than the column
 * @param instance     the runtime instance that runs or ran it ({@link Instance#ID})
 * @param scheduledFor the schedule's fire time of a scheduled run, else null
 * @param result       the figures the run reported (empty while it runs)
 */
public record JobRun(String id, String type, @Nullable String trigger, String status, String instance,
                     @Nullable Instant scheduledFor, Instant startedAt, @Nullable Instant finishedAt, @Nullable String error,
                     Map<String, Object> result) {

    public boolean running() {
        return RunStatus.RUNNING.equals(status);
    }
}
