package io.ecompipeline.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.ecompipeline.contract.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Running totals of the ingest path since start-up, shared by every consumer thread. Read by the progress log and
 * exported as metrics.
 */
public final class IngestStats {

    private static final Logger LOG = LoggerFactory.getLogger("io.ecompipeline.progress");

    private final LongAdder received = new LongAdder();
    private final LongAdder inserted = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder failedBatchAttempts = new LongAdder();
    private final LongAdder isolatedBatches = new LongAdder();
    private final Map<String, LongAdder> rejectsByRule = new ConcurrentHashMap<>();
    private final AtomicLong lastBatchMillis = new AtomicLong();
    private final AtomicLong lastBatchAt = new AtomicLong();

    private volatile java.util.function.Consumer<BatchOutcome> listener = outcome -> { };
    private long reportedReceived;
    private long reportedAtNanos = System.nanoTime();

    public void recordBatch(BatchOutcome outcome) {
        received.add(outcome.received());
        inserted.add(outcome.inserted());
        duplicates.add(outcome.duplicates());
        deadLettered.add(outcome.deadLettered());
        batches.increment();
        if (outcome.isolated()) {
            isolatedBatches.increment();
        }
        lastBatchMillis.set(outcome.millis());
        lastBatchAt.set(System.currentTimeMillis());
        listener.accept(outcome);
    }

    /** Called after each placed batch (metrics record the batch duration). */
    public void onBatch(java.util.function.Consumer<BatchOutcome> listener) {
        this.listener = listener;
    }

    public void recordRejects(Iterable<Violation> reasons) {
        for (Violation v : reasons) {
            rejectsByRule.computeIfAbsent(v.rule(), k -> new LongAdder()).increment();
        }
    }

    public void recordFailedAttempt() {
        failedBatchAttempts.increment();
    }

    public long received() {
        return received.sum();
    }

    public long inserted() {
        return inserted.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public long deadLettered() {
        return deadLettered.sum();
    }

    public long batches() {
        return batches.sum();
    }

    public long failedBatchAttempts() {
        return failedBatchAttempts.sum();
    }

    public long isolatedBatches() {
        return isolatedBatches.sum();
    }

    public long lastBatchMillis() {
        return lastBatchMillis.get();
    }

    public long lastBatchAt() {
        return lastBatchAt.get();
    }

    public Map<String, Long> rejectsByRule() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        rejectsByRule.forEach((rule, count) -> copy.put(rule, count.sum()));
        return copy;
    }

    /** Logs one progress line when something happened since the last one; silent when idle. */
    public synchronized void logProgress() {
        long now = System.nanoTime();
        long total = received();
        long delta = total - reportedReceived;
        if (delta == 0) {
            reportedAtNanos = now;
            return;
        }
        double seconds = Math.max(1e-3, (now - reportedAtNanos) / 1e9);
        LOG.info("ingest: {} records (+{}, {}/s) -> {} rows, {} duplicates, {} dead letters; last batch {} ms",
                total, delta, Math.round(delta / seconds), inserted(), duplicates(), deadLettered(), lastBatchMillis());
        reportedReceived = total;
        reportedAtNanos = now;
    }
}
