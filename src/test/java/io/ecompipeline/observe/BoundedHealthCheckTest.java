package io.ecompipeline.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class BoundedHealthCheckTest {

    /** A probe that hangs until released, then answers UP; counts how often it was started. */
    private static final class Hanging extends BoundedHealthCheck {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger started = new AtomicInteger();

        Hanging(Duration timeout, Duration reuse) {
            super("hanging", timeout, reuse);
        }

        @Override
        protected Probe probe() {
            started.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Probe.up(Map.of());
        }
    }

    @Test
    void aHangingServiceIsDownWithinTheTimeoutAndIsNotProbedTwiceAtOnce() {
        try (Hanging check = new Hanging(Duration.ofMillis(300), Duration.ofSeconds(1))) {
            long started = System.nanoTime();
            BoundedHealthCheck.Probe first = check.answer();
            long firstMillis = (System.nanoTime() - started) / 1_000_000;
            assertFalse(first.up());
            assertTrue(first.message().startsWith("no answer within 300 ms"), first.message());
            assertTrue(firstMillis >= 250 && firstMillis < 1000, "waited " + firstMillis + " ms");
            // while the probe still hangs, further calls answer at once and start no second probe
            long again = System.nanoTime();
            assertFalse(check.answer().up());
            assertTrue((System.nanoTime() - again) / 1_000_000 < 200);
            assertEquals(1, check.started.get());
            // once it answers, the answer is used, and reused within the reuse period
            check.release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!check.answer().up() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(check.answer().up());
            int probes = check.started.get();
            check.answer();
            assertEquals(probes, check.started.get(), "a fresh result is reused");
        }
    }
}
