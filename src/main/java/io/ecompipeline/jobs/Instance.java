package io.ecompipeline.jobs;

import io.ecompipeline.config.RuntimeIdentity;

/**
 * This runtime process as one instance of the fleet that shares the database: its id is stamped on the job runs it
 * starts, its heartbeats and its route reports. Unique per process start, not per host: a restarted container keeps
 * its host name and often its pid (1), and must not be taken for the process that died.
 */
public final class Instance {

    public static final String HOST = RuntimeIdentity.HOST;
    public static final long PID = RuntimeIdentity.PID;
    /** {@code host#pid-random}, e.g. {@code ecom-pipeline-7c9f#1-3fa2b1} (also in every JSON log line). */
    public static final String ID = RuntimeIdentity.INSTANCE_ID;

    private Instance() {
    }
}
