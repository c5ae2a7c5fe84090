package io.ecompipeline.jobs;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs this runtime can run (transform, gold, index, redeliver, maintenance) by name, from schedules and the REST
 * API. Every run is a row of {@code pipeline.job_runs} ({@link RunRecords}), so any instance of the fleet answers for
 * any run; at most one run of a job runs at a time across the fleet: a second trigger gets the running run instead
 * (HTTP 409), a second scheduled fire is recorded as skipped. SQL jobs also take a PostgreSQL advisory lock of their own.
 */
public final class JobRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobRegistry.class);
    public static final String SCHEDULE = "schedule";

    private final RunRecords records;
    private final Consumer<JobRun> onFinish;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** Runs executing in this process: closed as abandoned if the runtime stops before they end. */
    private final Set<String> runningHere = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ops-job");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param onFinish told of every run this instance finished (succeeded, failed, skipped), including scheduled fires
     *                 skipped because the job was running (the wiring counts them and alerts on failures)
     */
    public JobRegistry(RunRecords records, Consumer<JobRun> onFinish) {
        this.records = records;
        this.onFinish = onFinish;
    }

    public void register(String type, Job job) {
        jobs.put(type, job);
    }

    public List<String> types() {
        return jobs.keySet().stream().sorted().toList();
    }

    public boolean knows(String type) {
        return jobs.containsKey(type);
    }

    /** Starts a run in the background and returns it at once; throws if one of that type is running in the fleet. */
    public JobRun start(String type, String trigger) throws SQLException {
        return submit(type, trigger, null).run();
    }

    /** Runs in the caller's thread: returns the finished run; throws if one of that type is running in the fleet. */
    public JobRun runNow(String type, String trigger) throws Exception {
        return await(submit(type, trigger, null));
    }

    /**
     * For schedules (camel-quartz routes; one fire per fleet): runs the job unless one is already running, in which
     * case this fire is recorded as skipped and the running run is returned.
     *
     * @param scheduledFireTime the fire time camel-quartz reports (header {@code scheduledFireTime}); may be null
     */
    public JobRun runScheduled(String type, Date scheduledFireTime) throws Exception {
        Instant scheduledFor = scheduledFireTime == null ? null : scheduledFireTime.toInstant();
        try {
            return await(submit(type, SCHEDULE, scheduledFor));
        } catch (JobAlreadyRunningException e) {
            LOG.info("Scheduled {} skipped: {} is still running on {}", type, e.running().id(), e.running().instance());
            String id = newId(type);
            records.skippedFor(id, type, SCHEDULE, scheduledFor, e.running());
            Instant now = Instant.now();
            finished(new JobRun(id, type, SCHEDULE, RunStatus.SKIPPED, RunRecords.INSTANCE, scheduledFor, now, now,
                    "already running: " + e.running().id(), Map.of()));
            return e.running();
        }
    }

    /** {@link #runScheduled(String, Date)} without a known fire time. */
    public JobRun runScheduled(String type) throws Exception {
        return runScheduled(type, null);
    }

    public Optional<JobRun> get(String id) throws SQLException {
        return records.find(id);
    }

    public Optional<JobRun> running(String type) throws SQLException {
        return records.running(type);
    }

    /** The latest runs of {@code type} (null: of every job), newest first. */
    public List<JobRun> recent(String type, int limit) throws SQLException {
        return records.recent(type, limit);
    }

    private record Submitted(JobRun run, Future<?> future) {
    }

    private Submitted submit(String type, String trigger, Instant scheduledFor) throws SQLException {
        Job job = jobs.get(type);
        if (job == null) {
            throw new IllegalArgumentException("unknown job type '" + type + "'; known: " + types());
        }
        String id = newId(type);
        Optional<JobRun> running = records.claim(id, type, trigger, scheduledFor);
        if (running.isPresent()) {
            throw new JobAlreadyRunningException(running.get());
        }
        JobRun run = new JobRun(id, type, trigger, RunStatus.RUNNING, RunRecords.INSTANCE, scheduledFor, Instant.now(), null,
                null, Map.of());
        runningHere.add(id);
        return new Submitted(run, executor.submit(() -> execute(job, run)));
    }

    private JobRun await(Submitted submitted) throws Exception {
        submitted.future().get();
        return records.find(submitted.run().id()).orElseThrow(() ->
                new IllegalStateException("run " + submitted.run().id() + " has no row after it finished"));
    }

    private void execute(Job job, JobRun run) {
        boolean scheduled = SCHEDULE.equals(run.trigger());
        if (!scheduled) {
            LOG.info("Job {} started ({})", run.id(), run.trigger());
        }
        String status;
        Map<String, Object> figures = Map.of();
        String error = null;
        try {
            Map<String, Object> result = job.run(run);
            figures = result == null ? Map.of() : new LinkedHashMap<>(result);
            if (RunStatus.SKIPPED.equals(figures.get("status"))) {
                status = RunStatus.SKIPPED;
                error = figures.get("reason") == null ? null : figures.get("reason").toString();
                LOG.info("Job {} skipped: {}", run.id(), error);
            } else {
                status = RunStatus.SUCCEEDED;
                if (scheduled) {
                    LOG.debug("Job {} succeeded: {}", run.id(), JobFigures.brief(figures));
                } else {
                    LOG.info("Job {} succeeded: {}", run.id(), JobFigures.brief(figures));
                }
            }
        } catch (Exception | Error e) {
            status = RunStatus.FAILED;
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warn("Job {} failed: {}", run.id(), error);
        }
        try {
            records.finish(run.id(), status, figures, error);
        } catch (SQLException | RuntimeException e) {
            LOG.error("Job {} ended {} but its run record could not be closed ({}); any instance closes it as abandoned "
                    + "once this one stops", run.id(), status, e.getMessage());
        } finally {
            runningHere.remove(run.id());
        }
        finished(new JobRun(run.id(), run.type(), run.trigger(), status, run.instance(), run.scheduledFor(),
                run.startedAt(), Instant.now(), error, figures));
    }

    private void finished(JobRun run) {
        try {
            onFinish.accept(run);
        } catch (RuntimeException e) {
            LOG.warn("Job {}: a listener failed: {}", run.id(), e.getMessage());
        }
    }

    private static String newId(String type) {
        return type + "-" + UUID.randomUUID();
    }

    /**
     * Stops taking runs. Runs still going after a short grace are closed as abandoned: the process is about to end
     * and would leave them running (a run that still finishes overwrites that).
     */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                for (String id : runningHere) {
                    try {
                        records.finish(id, RunStatus.ABANDONED, null, "the runtime stopped during the run");
                        LOG.warn("Job {} was still running at shutdown: marked abandoned", id);
                    } catch (SQLException e) {
                        LOG.warn("Job {} was still running at shutdown and could not be marked abandoned ({}); another "
                                + "instance does that once this one's heartbeat is stale", id, e.getMessage());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
