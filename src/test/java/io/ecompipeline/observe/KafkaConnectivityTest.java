package io.ecompipeline.observe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class KafkaConnectivityTest {

    private final AtomicInteger open = new AtomicInteger();
    private final KafkaConnectivity connectivity =
            new KafkaConnectivity(open::get, "127.0.0.1:1", Duration.ofHours(1));

    private void checkWith(int connections) {
        open.set(connections);
        connectivity.check();
    }

    @Test
    void oneCheckWithoutAConnectionIsAReconnectInPassingAndTwoAreLost() {
        checkWith(1);
        assertTrue(connectivity.connected());
        checkWith(0);
        assertTrue(connectivity.connected(), "one check without a connection");
        checkWith(1);
        checkWith(0);
        checkWith(0);
        assertFalse(connectivity.connected(), "two checks in a row without a connection");
    }

    @Test
    void aConnectionSeenAtOneCheckWhileLostIsNotBackUntilTheNextCheckSeesOneToo() {
        checkWith(2);
        checkWith(0);
        checkWith(0);
        assertFalse(connectivity.connected());
        checkWith(1); // a connect in flight, or a TCP self-connect to the unanswered port
        assertFalse(connectivity.connected(), "one check with a connection after an outage");
        checkWith(0);
        checkWith(1);
        assertFalse(connectivity.connected(), "the two checks with a connection must be in a row");
        checkWith(1);
        assertTrue(connectivity.connected(), "two checks in a row with a connection");
    }

    @Test
    void noConsumerYetIsNeitherConnectedNorLost() {
        checkWith(-1);
        checkWith(-1);
        assertFalse(connectivity.connected());
        checkWith(1);
        assertTrue(connectivity.connected());
    }
}
