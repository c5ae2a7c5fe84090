package io.ecompipeline.jobs;

import java.time.Instant;
import java.util.Map;

/**
 * One run of a job (transform, gold, index, redeliver, maintenance, ...): the one run-record type of every job, as
 * stored in {@code pipeline.job_runs} and reported over HTTP by any instance.
 *
 * @param instance     the runtime instance that runs or ran it ({@link Instance#ID})
 * @param scheduledFor the schedule's fire time of a scheduled run, else null
 * @param result       the figures the run reported (empty while it runs)
 */
public record JobRun(String id, String type, String trigger, String status, String instance, Instant scheduledFor,
                     Instant startedAt, Instant finishedAt, String error, Map<String, Object> result) {

    public boolean running() {
        return RunStatus.RUNNING.equals(status);
    }
}
