package io.ecompipeline.observe;

import java.time.Duration;
import java.util.function.IntSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line when the Kafka consumers lose every broker connection, one when they have one again. Kafka's own
 * client logs a warning for every failed reconnect of every consumer, coordinator and admin connection (~37 lines in
 * a 40 s broker restart); those warnings are off (log4j2.properties: NetworkClient at ERROR, where authentication and
 * TLS failures still show), and this reports the state instead, checked every second from routes/housekeeping.yaml.
 *
 * <p>Lost means no connection at two checks in a row after there was one (a reconnect in passing is not an outage),
 * or none within {@code startupGrace} of start-up. Back means a connection at two checks in a row: Kafka's
 * {@code connection-count} also counts a connect still in flight, and a connect to a local port nobody listens on can
 * briefly succeed as a TCP self-connect (seen in CI: "back after 1 s", then "lost" again while the broker was away).
 */
public final class KafkaConnectivity {

    private static final Logger LOG = LoggerFactory.getLogger("io.ecompipeline.kafka");

    private enum State { STARTING, CONNECTED, LOST }

    private final IntSupplier connections;
    private final String bootstrap;
    private final Duration startupGrace;
    private final long startedNanos = System.nanoTime();
    private State state = State.STARTING;
    private int zeroChecks;
    private int openChecks;
    private long lostAtNanos;

    /** @param connections open broker connections of the consumers, -1 while there is no consumer yet */
    public KafkaConnectivity(IntSupplier connections, String bootstrap, Duration startupGrace) {
        this.connections = connections;
        this.bootstrap = bootstrap;
        this.startupGrace = startupGrace;
    }

    public synchronized void check() {
        int open = connections.getAsInt();
        if (open < 0) {
            return; // no consumer (yet, or its route is stopped)
        }
        long now = System.nanoTime();
        if (open > 0) {
            zeroChecks = 0;
            openChecks++;
            if (state == State.LOST) {
                if (openChecks < 2) {
                    return;
                }
                LOG.info("Kafka connection back at {} after {} s", bootstrap, Duration.ofNanos(now - lostAtNanos).toSeconds());
            }
            state = State.CONNECTED;
            return;
        }
        openChecks = 0;
        zeroChecks++;
        boolean lost = state == State.CONNECTED && zeroChecks >= 2
                || state == State.STARTING && now - startedNanos >= startupGrace.toNanos();
        if (lost) {
            state = State.LOST;
            lostAtNanos = now;
            LOG.warn("Kafka connection lost: no broker at {} answers; the consumers keep retrying (reported again when back)",
                    bootstrap);
        }
    }

    public synchronized boolean connected() {
        return state == State.CONNECTED;
    }
}
