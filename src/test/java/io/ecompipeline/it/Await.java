package io.ecompipeline.it;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition by polling it; never a fixed sleep. Fails with the last observed value. */
public final class Await {

    private Await() {
    }

    public static <T> T until(String what, Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = probe.get();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
        AssertionError error = new AssertionError("Timed out after " + timeout.toSeconds() + "s waiting for " + what
                + "; last observed: " + last);
        if (lastError != null) {
            error.initCause(lastError);
        }
        throw error;
    }
}
