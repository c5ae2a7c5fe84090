package io.ecompipeline.jobs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operational jobs this process can run (transform, index, redeliver, maintenance) and their recent runs. At most
 * one run per job type at a time in this process: a second trigger gets the running run instead (HTTP 409). Jobs
 * that must not overlap across several instances also take a PostgreSQL advisory lock of their own.
 */
public final class JobRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobRegistry.class);
    private static final int KEEP_PER_TYPE = 50;

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Consumer<JobRun> onFinish;
    private final Map<String, JobRun> runs = new ConcurrentHashMap<>();
    private final Map<String, String> runningByType = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ops-job");
        t.setDaemon(true);
        return t;
    });

    public JobRegistry() {
        this(run -> { });
    }

    /** @param onFinish told of every finished run, succeeded or failed (the wiring counts them and alerts on failures) */
    public JobRegistry(Consumer<JobRun> onFinish) {
        this.onFinish = onFinish;
    }

    public void register(String type, Job job) {
        jobs.put(type, job);
    }

    public List<String> types() {
        return jobs.keySet().stream().sorted().toList();
    }

    /** Starts a run in the background and returns it at once; throws if one of that type is running. */
    public JobRun start(String type, String trigger) {
        return submit(type, trigger).run();
    }

    /** Runs in the caller's thread (scheduled triggers): returns the finished run; throws if one is running. */
    public JobRun runNow(String type, String trigger) throws Exception {
        Submitted submitted = submit(type, trigger);
        submitted.future().get();
        return runs.get(submitted.run().id());
    }

    /** For schedules (camel-quartz routes): runs the job unless one is already running, which is only logged. */
    public JobRun runScheduled(String type) throws Exception {
        try {
            return runNow(type, "schedule");
        } catch (JobAlreadyRunningException e) {
            LOG.info("Scheduled {} skipped: {} is still running", type, e.running().id());
            return e.running();
        }
    }

    public Optional<JobRun> get(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    public Optional<JobRun> running(String type) {
        String id = runningByType.get(type);
        return id == null ? Optional.empty() : get(id);
    }

    public Optional<JobRun> latest(String type) {
        return runs.values().stream().filter(r -> r.type().equals(type)).max(Comparator.comparing(JobRun::startedAt));
    }

    public List<JobRun> recent(String type) {
        List<JobRun> list = new ArrayList<>(runs.values().stream()
                .filter(r -> type == null || r.type().equals(type)).toList());
        list.sort(Comparator.comparing(JobRun::startedAt).reversed());
        return list;
    }

    private record Submitted(JobRun run, Future<?> future) {
    }

    private synchronized Submitted submit(String type, String trigger) {
        Job job = jobs.get(type);
        if (job == null) {
            throw new IllegalArgumentException("unknown job type '" + type + "'; known: " + types());
        }
        Optional<JobRun> running = running(type);
        if (running.isPresent()) {
            throw new JobAlreadyRunningException(running.get());
        }
        String id = type + "-" + UUID.randomUUID();
        JobRun run = new JobRun(id, type, trigger, RunStatus.RUNNING, Instant.now(), null, null, Map.of());
        runs.put(id, run);
        runningByType.put(type, id);
        Future<?> future = executor.submit(() -> execute(job, run));
        prune(type);
        return new Submitted(run, future);
    }

    private void execute(Job job, JobRun run) {
        boolean scheduled = "schedule".equals(run.trigger());
        if (!scheduled) {
            LOG.info("Job {} started ({})", run.id(), run.trigger());
        }
        JobRun finished;
        try {
            Map<String, Object> result = job.run(run.id());
            finished = new JobRun(run.id(), run.type(), run.trigger(), RunStatus.SUCCEEDED, run.startedAt(), Instant.now(), null,
                    result == null ? Map.of() : new LinkedHashMap<>(result));
            if (scheduled) {
                LOG.debug("Job {} succeeded: {}", run.id(), finished.result());
            } else {
                LOG.info("Job {} succeeded: {}", run.id(), finished.result());
            }
        } catch (Exception | Error e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            finished = new JobRun(run.id(), run.type(), run.trigger(), RunStatus.FAILED, run.startedAt(), Instant.now(), error, Map.of());
            LOG.warn("Job {} failed: {}", run.id(), error);
        }
        runs.put(run.id(), finished);
        try {
            onFinish.accept(finished);
        } catch (RuntimeException e) {
            LOG.warn("Job {}: a listener failed: {}", run.id(), e.getMessage());
        }
        runningByType.remove(run.type(), run.id());
    }

    private void prune(String type) {
        List<JobRun> ofType = recent(type);
        for (int i = KEEP_PER_TYPE; i < ofType.size(); i++) {
            if (!ofType.get(i).running()) {
                runs.remove(ofType.get(i).id());
            }
        }
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
