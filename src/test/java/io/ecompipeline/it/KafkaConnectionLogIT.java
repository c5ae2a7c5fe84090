package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ecompipeline.generate.EventGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * While Kafka cannot be reached the runtime says so once, not once per reconnect attempt, and once when it is back.
 * The runtime's bootstrap address is a {@link TcpProxy} in front of the shared broker that refuses connections at
 * first (the shared broker keeps running for everyone else); once it forwards, the consumers get the broker's own
 * address from the metadata and consume.
 */
class KafkaConnectionLogIT {

    private static TestKafka kafka;

    @BeforeAll
    static void connect() {
        kafka = new TestKafka();
        TestDb.count("SELECT 1");
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    /** Lines from Kafka's network client (warnings per failed reconnect) and the runtime's own connection lines. */
    private static long count(RuntimeProcess runtime, String text) {
        return runtime.logText().lines().filter(l -> l.contains(text)).count();
    }

    @Test
    void anUnreachableBrokerIsOneLineWhenLostAndOneWhenBack() {
        String topic = kafka.createTopic("it-kafka-log", 2);
        String[] broker = LocalServices.KAFKA.split(":");
        try (TcpProxy proxy = new TcpProxy(broker[0], Integer.parseInt(broker[1]))) {
            proxy.refuse();
            Map<String, String> env = Map.of("KAFKA_TOPIC", topic, "KAFKA_GROUP_ID", topic,
                    "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + proxy.port(), "PIPELINE_BATCH_MAX_WAIT_MS", "200");
            try (RuntimeProcess runtime = new RuntimeProcess(topic, env).start()) {
                runtime.awaitStarted();
                // the noise is a matter of time: watch 40 s of unreachable broker (the issue measured a 40 s restart)
                long until = System.nanoTime() + Duration.ofSeconds(40).toNanos();
                Await.until("40 s without Kafka", Duration.ofSeconds(60), System::nanoTime, now -> now >= until);
                long networkWarnings = runtime.logText().lines()
                        .filter(l -> l.contains(" WARN ") && l.contains("NetworkClient")).count();
                assertEquals(0, networkWarnings, "Kafka client warnings:\n" + runtime.tail(30));
                assertEquals(1, count(runtime, "Kafka connection lost"), runtime.tail(30));

                proxy.restore();
                kafka.send(topic, List.of(new EventGenerator(TestSeeds.fresh(), 0, 0, 10, 5, Clock.systemUTC())
                        .valid("PURCHASE").value()));
                Await.until("event consumed once Kafka is reachable", Duration.ofSeconds(120), () -> TestDb.rows(topic),
                        n -> n == 1);
                Await.until("the connection reported back", Duration.ofSeconds(30),
                        () -> count(runtime, "Kafka connection back"), n -> n == 1);
                assertEquals(1, count(runtime, "Kafka connection lost"), runtime.tail(30));
                assertTrue(runtime.isAlive());
            }
        }
    }
}
