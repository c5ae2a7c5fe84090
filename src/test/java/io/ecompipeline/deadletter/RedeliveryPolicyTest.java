package io.ecompipeline.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RedeliveryPolicyTest {

    @Test
    void delayGrowsByTheMultiplierAndEntriesParkAtMaxAttempts() {
        RedeliveryPolicy p = new RedeliveryPolicy(Duration.ofMinutes(15), 2.0, 4, 100);
        assertEquals(Duration.ofMinutes(15), p.delayAfter(1));
        assertEquals(Duration.ofMinutes(30), p.delayAfter(2));
        assertEquals(Duration.ofMinutes(60), p.delayAfter(3));
        assertFalse(p.exhausted(3));
        assertTrue(p.exhausted(4));
        assertEquals(Duration.ofMinutes(15), new RedeliveryPolicy(Duration.ofMinutes(15), 1.0, 4, 100).delayAfter(3));
        assertThrows(IllegalArgumentException.class, () -> new RedeliveryPolicy(Duration.ZERO, 1.0, 4, 100));
        assertThrows(IllegalArgumentException.class, () -> new RedeliveryPolicy(Duration.ofSeconds(1), 0.5, 4, 100));
    }
}
