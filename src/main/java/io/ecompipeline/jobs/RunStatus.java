package io.ecompipeline.jobs;

/** The states of a job run, as stored in the run table and reported over HTTP. */
public final class RunStatus {

    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    /** Another run (on any instance) held the job's lock. */
    public static final String SKIPPED = "skipped";
    /** Marked running by a runtime that died mid-run. */
    public static final String ABANDONED = "abandoned";

    private RunStatus() {
    }
}
