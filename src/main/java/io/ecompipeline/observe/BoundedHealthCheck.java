package io.ecompipeline.observe;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A readiness check that answers within its timeout whatever the service does. The probe runs on a thread of its own;
 * a result younger than {@code reuseFor} is answered as it is; a probe that has not answered within {@code timeout} is
 * a DOWN ("no answer within ..."), and a probe still hanging is never started twice. Without this a probe waited for
 * the pool's connection timeout (5 s) while PostgreSQL was down, and a Kubernetes probe with a 1 s timeout saw a
 * timeout instead of a 503.
 */
public abstract class BoundedHealthCheck extends AbstractHealthCheck implements AutoCloseable {

    /** What a probe found. */
    protected record Probe(boolean up, String message, Map<String, Object> details) {

        public static Probe up(Map<String, Object> details) {
            return new Probe(true, null, details);
        }

        public static Probe down(String message) {
            return new Probe(false, message, Map.of());
        }
    }

    private record Answer(Probe probe, long atNanos) {
    }

    private final Duration timeout;
    private final Duration reuseFor;
    private final ExecutorService thread;
    private volatile Answer last;
    private volatile CompletableFuture<Answer> inFlight;
    private volatile long inFlightSinceNanos;

    protected BoundedHealthCheck(String id, Duration timeout, Duration reuseFor) {
        super("ecom-pipeline", id);
        this.timeout = timeout;
        this.reuseFor = reuseFor;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "health-" + id);
            t.setDaemon(true);
            return t;
        });
    }

    /** Looks at the service once; may block (the caller bounds the wait). */
    protected abstract Probe probe();

    @Override
    public boolean isLiveness() {
        return false; // an outage is waited out, not a reason to restart the process
    }

    @Override
    protected final void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Probe probe = answer();
        builder.details(new LinkedHashMap<>(probe.details()));
        if (probe.up()) {
            builder.up();
        } else {
            builder.down().message(probe.message());
        }
    }

    Probe answer() {
        long now = System.nanoTime();
        Answer known = last;
        if (known != null && now - known.atNanos() < reuseFor.toNanos()) {
            return known.probe();
        }
        CompletableFuture<Answer> running;
        synchronized (this) {
            running = inFlight;
            if (running == null || running.isDone()) {
                inFlightSinceNanos = now;
                running = CompletableFuture.supplyAsync(this::safeProbe, thread);
                running.thenAccept(a -> last = a);
                inFlight = running;
            }
        }
        long waitNanos = inFlightSinceNanos + timeout.toNanos() - now;
        try {
            return running.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS).probe();
        } catch (TimeoutException e) {
            return Probe.down("no answer within " + timeout.toMillis() + " ms (probe running for "
                    + Duration.ofNanos(System.nanoTime() - inFlightSinceNanos).toMillis() + " ms)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Probe.down("interrupted");
        } catch (ExecutionException e) {
            return Probe.down(String.valueOf(e.getCause()));
        }
    }

    private Answer safeProbe() {
        Probe p;
        try {
            p = probe();
        } catch (RuntimeException e) {
            p = Probe.down(e.toString());
        }
        return new Answer(p, System.nanoTime());
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
