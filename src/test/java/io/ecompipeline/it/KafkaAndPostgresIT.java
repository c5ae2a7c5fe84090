package io.ecompipeline.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the integration tests that run the real jar against the local Kafka and PostgreSQL: one test producer for
 * the class, and both services checked up front, so a missing one fails the class at once and loudly.
 */
abstract class KafkaAndPostgresIT {

    protected static TestKafka kafka;

    @BeforeAll
    static void connect() {
        kafka = new TestKafka();
        TestDb.count("SELECT 1");
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }
}
