package io.ecompipeline.transform;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.ecompipeline.jobs.RunResult;

/**
 * What differs between SQL jobs (transform, gold, ...); {@link SqlJobRunner} does the rest. Every hook runs on the
 * run's one connection, inside its one transaction, after the job's advisory lock is held.
 */
public interface SqlJob {

    /** The job name: run records, logs, and the job registry use it. */
    String name();

    /** The advisory lock key ({@link io.ecompipeline.db.AdvisoryLocks}) that keeps runs from overlapping. */
    int lockKey();

    RunResult.Unit unit();

    /** Session settings of a run beyond the shared ones ({@code SET LOCAL ...}). */
    default void configure(Connection c) throws SQLException {
    }

    /** Moves the queued work into temp tables the files read, and says what it was (empty: the files do not run). */
    Claim claim(Connection c) throws SQLException;

    /** Before the files: temp views over the claimed work. */
    void prepare(Connection c) throws SQLException;

    /** After the files, in the same transaction: hand work on to later jobs, drop what {@link #prepare} made. */
    void complete(Connection c) throws SQLException;

    /** The claimed work: periods (hours or days) and further counts (e.g. customers). */
    record Claim(List<Instant> periods, Map<String, Long> counts) {

        public boolean isEmpty() {
            return periods.isEmpty() && counts.values().stream().allMatch(n -> n == 0);
        }
    }
}
