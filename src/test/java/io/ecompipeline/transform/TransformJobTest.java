package io.ecompipeline.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class TransformJobTest {

    @Test
    void durationsBecomePostgresIntervals() {
        assertEquals("120.000 seconds", TransformJob.postgresInterval(Duration.ofMinutes(2)));
        assertEquals("0.500 seconds", TransformJob.postgresInterval(Duration.ofMillis(500)));
        assertEquals("3661.250 seconds", TransformJob.postgresInterval(Duration.parse("PT1H1M1.25S")));
    }
}
