package io.ecompipeline.sources;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** Polls of the products API since start-up: succeeded and failed polls, items by outcome, the last success and error. */
public final class ProductsApiStats {

    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder items = new LongAdder();
    private final LongAdder inserted = new LongAdder();
    private final LongAdder unchanged = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final AtomicLong lastSuccessAt = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    void recordPage(long itemCount, long insertedCount, long unchangedCount, long deadCount) {
        items.add(itemCount);
        inserted.add(insertedCount);
        unchanged.add(unchangedCount);
        deadLettered.add(deadCount);
    }

    void recordSuccess() {
        succeeded.increment();
        lastSuccessAt.set(System.currentTimeMillis());
    }

    void recordFailure(String error) {
        failed.increment();
        lastError.set(error);
    }

    public long succeeded() {
        return succeeded.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long items() {
        return items.sum();
    }

    public long inserted() {
        return inserted.sum();
    }

    public long unchanged() {
        return unchanged.sum();
    }

    public long deadLettered() {
        return deadLettered.sum();
    }

    /** Epoch millis of the last successful poll; 0 before the first. */
    public long lastSuccessAt() {
        return lastSuccessAt.get();
    }

    public String lastError() {
        return lastError.get();
    }
}
