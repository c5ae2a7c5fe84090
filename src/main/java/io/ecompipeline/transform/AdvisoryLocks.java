package io.ecompipeline.transform;

/**
 * PostgreSQL advisory lock keys (two-int form, {@code pg_try_advisory_xact_lock(NAMESPACE, job)}) that keep runs of
 * one job from overlapping across every runtime instance that shares the database.
 */
public final class AdvisoryLocks {

    /** "ECOM" in ASCII: the namespace of this pipeline's advisory locks. */
    public static final int NAMESPACE = 0x45434F4D;
    public static final int TRANSFORM = 1;
    public static final int INDEX = 2;
    public static final int GOLD = 3;

    private AdvisoryLocks() {
    }
}
