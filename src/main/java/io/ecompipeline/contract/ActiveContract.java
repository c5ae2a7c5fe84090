package io.ecompipeline.contract;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The contract in force right now. Each batch reads it once, so a rules or schema reload swaps it between batches,
 * never in the middle of one.
 */
public final class ActiveContract implements Supplier<EventContract> {

    private final AtomicReference<EventContract> current;

    public ActiveContract(EventContract initial) {
        this.current = new AtomicReference<>(initial);
    }

    @Override
    public EventContract get() {
        return current.get();
    }

    /** Installs a new, already validated contract; returns the previous one. */
    public EventContract replace(EventContract next) {
        return current.getAndSet(next);
    }
}
