package io.ecompipeline.contract;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The contract in force right now. Each batch reads it once, so a rules or schema reload swaps it between batches,
 * never in the middle of one. (Not a {@code Supplier}: Camel's registry would bind what it supplies instead of it;
 * steps take {@code activeContract::get}.)
 */
public final class ActiveContract {

    private final AtomicReference<EventContract> current;

    public ActiveContract(EventContract initial) {
        this.current = new AtomicReference<>(initial);
    }

    public EventContract get() {
        return current.get();
    }

    /** Installs a new, already validated contract; returns the previous one. */
    public EventContract replace(EventContract next) {
        return current.getAndSet(next);
    }
}
