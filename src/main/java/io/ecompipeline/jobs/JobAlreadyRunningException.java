package io.ecompipeline.jobs;

/** A job of this type is already running; the caller gets its id (HTTP 409). */
public final class JobAlreadyRunningException extends RuntimeException {

    private final transient JobRun running;

    public JobAlreadyRunningException(JobRun running) {
        super("a " + running.type() + " job is already running: " + running.id(), null, false, false);
        this.running = running;
    }

    public JobRun running() {
        return running;
    }
}
