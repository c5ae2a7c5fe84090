package io.ecompipeline.deadletter;

import java.time.Duration;

/**
 * When a dead letter is tried again: first after {@code delay}, then after delay × multiplier^(attempts − 1); after
 * {@code maxAttempts} failed attempts in all (the live one included) it is parked for a human.
 */
public record RedeliveryPolicy(Duration delay, double backoffMultiplier, int maxAttempts, int batchSize) {

    public RedeliveryPolicy {
        if (delay.isNegative() || delay.isZero() || backoffMultiplier < 1.0 || maxAttempts < 1 || batchSize < 1) {
            throw new IllegalArgumentException("invalid redelivery policy");
        }
    }

    /** Delay after the given number of failed attempts (1 = the live attempt). */
    public Duration delayAfter(int failedAttempts) {
        double factor = Math.pow(backoffMultiplier, Math.max(0, failedAttempts - 1));
        return Duration.ofMillis((long) Math.min(Long.MAX_VALUE / 2.0, delay.toMillis() * factor));
    }

    public boolean exhausted(int failedAttempts) {
        return failedAttempts >= maxAttempts;
    }
}
