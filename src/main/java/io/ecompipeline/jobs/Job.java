package io.ecompipeline.jobs;

import java.util.Map;

/**
 * The work of a job. Gets its run (id, trigger) and returns figures worth reporting (rows affected, hours touched,
 * ...); a {@code status} of {@link RunStatus#SKIPPED} among them marks the run skipped (another run held the job's
 * lock), with {@code reason} as its error.
 */
@FunctionalInterface
public interface Job {

    Map<String, Object> run(JobRun run) throws Exception;
}
