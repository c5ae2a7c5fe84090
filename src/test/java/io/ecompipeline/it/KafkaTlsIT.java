package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.ecompipeline.generate.EventGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime consuming over the local Kafka's TLS listener and its TLS + SCRAM listener (scripts/local-stack.sh),
 * with the local CA as truststore: events published (over PLAINTEXT, same topic) land as rows, consumer lag is read
 * over the same security settings, and a wrong SCRAM password consumes nothing. Needs the listeners: a broker started
 * by an older local-stack.sh gets them with its next start.
 */
class KafkaTlsIT {

    private static TestKafka kafka;

    @BeforeAll
    static void connect() {
        LocalServices.requireListening(LocalServices.KAFKA_SSL, "Kafka's TLS listener (restart the local Kafka: "
                + "bash scripts/local-stack.sh down kafka && bash scripts/local-stack.sh up kafka)");
        LocalServices.requireListening(LocalServices.KAFKA_SASL_SSL, "Kafka's TLS + SCRAM listener");
        kafka = new TestKafka();
        TestDb.count("SELECT 1");
    }

    @AfterAll
    static void disconnect() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Map<String, String> env(String topic, String bootstrap, String protocol) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_TOPIC", topic);
        env.put("KAFKA_GROUP_ID", topic + "-" + protocol);
        env.put("PIPELINE_BATCH_MAX_WAIT_MS", "200");
        env.put("PIPELINE_METRICS_REFRESH_MS", "1000");
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KAFKA_SECURITY_PROTOCOL", protocol);
        env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", LocalServices.tlsFile("truststore.p12").toString());
        env.put("KAFKA_SSL_TRUSTSTORE_PASSWORD", LocalServices.TLS_PASSWORD);
        return env;
    }

    private static List<byte[]> events(int n) {
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0, 0, 50, 10, Clock.systemUTC());
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(gen.valid("PURCHASE").value());
        }
        return values;
    }

    @Test
    void consumesOverTlsAndOverTlsWithScram() {
        for (String protocol : List.of("SSL", "SASL_SSL")) {
            String topic = kafka.createTopic("it-kafka-" + protocol.toLowerCase(), 2);
            Map<String, String> env = env(topic, protocol.equals("SSL") ? LocalServices.KAFKA_SSL : LocalServices.KAFKA_SASL_SSL,
                    protocol);
            if (protocol.equals("SASL_SSL")) {
                env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
                env.put("KAFKA_SASL_USERNAME", LocalServices.KAFKA_SCRAM_USER);
                env.put("KAFKA_SASL_PASSWORD", LocalServices.KAFKA_SCRAM_PASSWORD);
            }
            kafka.send(topic, events(50));
            try (RuntimeProcess runtime = new RuntimeProcess(topic, env).start()) {
                runtime.awaitStarted();
                Await.until(protocol + ": events landed", Duration.ofSeconds(90), () -> TestDb.rows(topic), n -> n == 50);
                // the lag gauge comes from an admin client with the same settings
                String metrics = Await.until("lag read over " + protocol, Duration.ofSeconds(60),
                        () -> TestHttp.get(runtime.management() + "/metrics").body(),
                        m -> m.contains("ecom_kafka_consumer_lag_all_partitions"));
                assertTrue(metrics.contains("ecom_kafka_consumer_lag"), metrics);
            }
        }
    }

    @Test
    void aWrongScramPasswordConsumesNothing() {
        String topic = kafka.createTopic("it-kafka-badpw", 1);
        Map<String, String> env = env(topic, LocalServices.KAFKA_SASL_SSL, "SASL_SSL");
        env.put("KAFKA_SASL_USERNAME", LocalServices.KAFKA_SCRAM_USER);
        env.put("KAFKA_SASL_PASSWORD", "not-the-password");
        kafka.send(topic, events(5));
        try (RuntimeProcess runtime = new RuntimeProcess(topic, env).start()) {
            runtime.awaitStarted();
            runtime.awaitLog("Authentication failed", Duration.ofSeconds(60));
            assertEquals(0, TestDb.rows(topic));
        }
    }
}
