package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.ecompipeline.generate.EventGenerator;
import io.ecompipeline.generate.EventGenerator.Defect;
import io.ecompipeline.generate.GeneratedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable dead-letter channel with the real jar, Kafka and PostgreSQL: redelivery after the delay, parking,
 * recovery after a rule change, PostgreSQL outages, SIGKILL, and two instances sharing the store.
 */
class DeadLetterIT extends KafkaAndPostgresIT {

    @TempDir
    Path temp;


    private static Map<String, String> env(String topic, String delay, int maxAttempts) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_TOPIC", topic);
        env.put("KAFKA_GROUP_ID", topic + "-group");
        env.put("PIPELINE_BATCH_SIZE", "200");
        env.put("PIPELINE_BATCH_MAX_WAIT_MS", "200");
        env.put("DEAD_LETTER_REDELIVERY_DELAY", delay);
        env.put("DEAD_LETTER_POLL_CRON", "0/1 * * * * ?");
        env.put("DEAD_LETTER_MAX_ATTEMPTS", String.valueOf(maxAttempts));
        env.put("PIPELINE_INGEST_RETRY_DELAY_MS", "500");
        return env;
    }

    private static List<GeneratedEvent> defects(EventGenerator gen, int each, Defect... kinds) {
        List<GeneratedEvent> events = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            for (Defect d : kinds) {
                events.add(gen.withDefect(d));
            }
        }
        return events;
    }

    private static List<byte[]> values(List<GeneratedEvent> events) {
        List<byte[]> values = new ArrayList<>();
        events.forEach(e -> values.add(e.value()));
        return values;
    }

    @Test
    void anInvalidEventIsRedeliveredAfterTheDelayRescheduledAndFinallyParked() {
        String topic = kafka.createTopic("it-dl-park", 3);
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0, 0, 100, 20, Clock.systemUTC());
        List<GeneratedEvent> bad = defects(gen, 4, Defect.BAD_PAYMENT_STATUS, Defect.TRUNCATED_JSON, Defect.NEGATIVE_AMOUNT);
        kafka.send(topic, values(bad));

        try (RuntimeProcess runtime = new RuntimeProcess(topic, env(topic, "PT3S", 3)).start()) {
            runtime.awaitStarted();
            Await.until("all entries parked", Duration.ofSeconds(90),
                    () -> TestDb.count("SELECT count(*) FROM pipeline.dead_letters WHERE source_topic = ? AND status = 'parked'", topic),
                    n -> n == bad.size());
            assertEquals(bad.size(), TestDb.deadLetters(topic));
            assertEquals(0, TestDb.rows(topic));
            // live failure + 2 redeliveries = 3 attempts; each redelivery came after the delay
            for (Map<String, Object> entry : TestDb.rows("SELECT id, attempts, first_failed_at FROM pipeline.dead_letters "
                    + "WHERE source_topic = ?", topic)) {
                assertEquals(3, ((Number) entry.get("attempts")).intValue());
                List<Map<String, Object>> history = TestDb.rows("SELECT attempt, outcome, attempted_at FROM "
                        + "pipeline.dead_letter_attempts WHERE dead_letter_id = ? ORDER BY attempt", entry.get("id"));
                assertEquals(List.of("failed", "parked"), history.stream().map(h -> h.get("outcome")).toList());
                OffsetDateTime previous = ((java.sql.Timestamp) entry.get("first_failed_at")).toInstant()
                        .atOffset(java.time.ZoneOffset.UTC);
                for (Map<String, Object> h : history) {
                    OffsetDateTime at = ((java.sql.Timestamp) h.get("attempted_at")).toInstant().atOffset(java.time.ZoneOffset.UTC);
                    assertTrue(Duration.between(previous, at).toMillis() >= 2900, "redelivered before the 3 s delay: " + h);
                    previous = at;
                }
            }
            // parked entries are no longer scheduled, and the summary reports them
            assertEquals(0, TestDb.count("SELECT count(*) FROM pipeline.dead_letters WHERE source_topic = ? "
                    + "AND next_attempt_at IS NOT NULL", topic));
            TestHttp.Response summary = TestHttp.get(runtime.api() + "/dead-letters/summary");
            assertEquals(200, summary.status());
            assertTrue(summary.json().at("/byStatus/parked").asLong() >= bad.size());
            assertEquals(401, TestHttp.getWithoutCredentials(runtime.api() + "/dead-letters/summary").status());
        }
    }

    @Test
    void relaxingARuleWithoutRebuildingRecoversTheEventOnItsNextRedelivery() throws Exception {
        String topic = kafka.createTopic("it-dl-recover", 3);
        Path rules = temp.resolve("rules.yaml");
        try (var in = getClass().getResourceAsStream("/contract/rules.yaml")) {
            Files.write(rules, in.readAllBytes());
        }
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0, 0, 100, 20, Clock.systemUTC());
        List<GeneratedEvent> bad = defects(gen, 10, Defect.BAD_PAYMENT_STATUS);
        Map<String, String> env = env(topic, "PT1H", 4);
        env.put("CONTRACT_RULES", "file:" + rules);
        kafka.send(topic, values(bad));

        try (RuntimeProcess strict = new RuntimeProcess(topic + "-strict", env).start()) {
            strict.awaitStarted();
            Await.until("dead letters stored", Duration.ofSeconds(60), () -> TestDb.deadLetters(topic), n -> n == bad.size());
            strict.terminate(Duration.ofSeconds(60));
        }
        // the fix is a configuration change: the status the producer uses becomes allowed
        Files.writeString(rules, Files.readString(rules).replace("payment_statuses: [PAID, PENDING, FAILED, REFUNDED]",
                "payment_statuses: [PAID, PENDING, FAILED, REFUNDED, MAYBE]"));
        assertTrue(Files.readString(rules).contains("MAYBE"), "rules edit did not apply:\n" + Files.readString(rules));

        try (RuntimeProcess fixed = new RuntimeProcess(topic + "-fixed", env).start()) {
            fixed.awaitStarted();
            // the entries wait an hour; an operator redelivers them now
            String ids = String.join(",", TestDb.rows("SELECT id::text AS id FROM pipeline.dead_letters WHERE source_topic = ?", topic)
                    .stream().map(r -> (String) r.get("id")).toList());
            TestHttp.Response response = TestHttp.post(fixed.api() + "/dead-letters/redeliver?ids=" + ids, null);
            assertTrue(response.status() == 202 || response.status() == 409, response.body());
            Await.until("entries recovered", Duration.ofSeconds(60),
                    () -> TestDb.count("SELECT count(*) FROM pipeline.dead_letters WHERE source_topic = ? AND status = 'recovered'", topic),
                    n -> n == bad.size());
        }
        assertEquals(bad.size(), TestDb.rows(topic), "each recovered event is exactly one row");
        for (GeneratedEvent e : bad) {
            assertEquals(1, TestDb.count("SELECT count(*) FROM raw.events WHERE event_id = ?::uuid", e.eventId()));
        }
    }

    @Test
    void postgresDownMidStreamEveryValidEventLandsExactlyOnce() throws Exception {
        String topic = kafka.createTopic("it-dl-pgdown", 6);
        int total = 12_000;
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0, 0, 500, 50, Clock.systemUTC());
        Thread producer = kafka.pacedProducer(topic, () -> gen.next().value(), total, 1000);
        try (RuntimeProcess runtime = new RuntimeProcess(topic, env(topic, "PT1H", 4)).start()) {
            runtime.awaitStarted();
            producer.start();
            Await.until("rows flowing", Duration.ofSeconds(60), () -> TestDb.rows(topic), n -> n >= 2000);
            try {
                LocalStack.down("postgres");
                runtime.awaitLog("PostgreSQL unavailable", Duration.ofSeconds(60));
            } finally {
                LocalStack.up("postgres");
            }
            producer.join();
            Await.until("every record placed after PostgreSQL came back", Duration.ofSeconds(180),
                    () -> kafka.allCommitted(topic + "-group", topic) && TestDb.rows(topic) + TestDb.deadLetters(topic) >= total,
                    done -> done);
            assertTrue(runtime.isAlive(), "the runtime survives the outage");
        }
        assertEquals(total, TestDb.rows(topic), "every valid event landed");
        assertEquals(0, TestDb.deadLetters(topic), "an outage does not flood the dead-letter store");
        assertEquals(total, TestDb.count("SELECT count(DISTINCT event_id) FROM raw.events WHERE kafka_topic = ?", topic));
    }

    @Test
    void entriesWaitingWhenTheRuntimeIsKilledAreStillRedeliveredAfterRestart() {
        String topic = kafka.createTopic("it-dl-kill", 3);
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0, 0, 100, 20, Clock.systemUTC());
        List<GeneratedEvent> bad = defects(gen, 5, Defect.UNKNOWN_COUNTRY, Defect.JSON_ARRAY);
        kafka.send(topic, values(bad));
        Map<String, String> env = env(topic, "PT4S", 10);
        try (RuntimeProcess first = new RuntimeProcess(topic + "-a", env).start()) {
            first.awaitStarted();
            Await.until("dead letters stored", Duration.ofSeconds(60), () -> TestDb.deadLetters(topic), n -> n == bad.size());
            first.kill();
        }
        assertEquals(bad.size(), TestDb.count("SELECT count(*) FROM pipeline.dead_letters WHERE source_topic = ? "
                + "AND status = 'waiting' AND next_attempt_at IS NOT NULL", topic), "waiting entries survive SIGKILL");
        try (RuntimeProcess second = new RuntimeProcess(topic + "-b", env).start()) {
            second.awaitStarted();
            Await.until("every entry redelivered after the restart", Duration.ofSeconds(60),
                    () -> TestDb.count("SELECT count(*) FROM pipeline.dead_letters WHERE source_topic = ? AND attempts >= 2", topic),
                    n -> n == bad.size());
        }
        assertEquals(bad.size(), TestDb.deadLetters(topic));
    }

    @Test
    void twoInstancesRedeliverEachDueEntryOnceAndNeverAtTheSameTime() {
        String topic = kafka.createTopic("it-dl-two", 2);
        String origin = topic + "-seeded";
        int entries = 3000;
        java.time.Instant t0 = java.time.Instant.now();
        Map<String, String> env = env(topic, "PT1H", 10);
        env.put("DEAD_LETTER_BATCH_SIZE", "20");
        try (RuntimeProcess a = new RuntimeProcess(topic + "-a", env).start();
             RuntimeProcess b = new RuntimeProcess(topic + "-b", env).start()) {
            a.awaitStarted();
            b.awaitStarted();
            // due entries, seeded once both run: invalid JSON, so every attempt fails and reschedules them an hour later
            TestDb.execute("INSERT INTO pipeline.dead_letters (source_topic, source_partition, source_offset, payload, error_class, "
                    + "reasons, next_attempt_at, run_id) SELECT ?, 0, g, convert_to('{\"broken', 'UTF8'), 'malformed', "
                    + "'[]'::jsonb, now() - interval '1 second', gen_random_uuid() FROM generate_series(1, ?) g", origin, entries);
            Await.until("every seeded entry redelivered", Duration.ofSeconds(90),
                    () -> TestDb.count("SELECT count(*) FROM pipeline.dead_letters WHERE source_topic = ? AND attempts = 2", origin),
                    n -> n == entries);
        }
        assertEquals(0, TestDb.count("SELECT count(*) FROM pipeline.dead_letters WHERE source_topic = ? AND attempts <> 2", origin),
                "no entry was processed twice");
        assertEquals(entries, TestDb.count("SELECT count(*) FROM pipeline.dead_letter_attempts a JOIN pipeline.dead_letters d "
                + "ON d.id = a.dead_letter_id WHERE d.source_topic = ?", origin), "exactly one attempt per entry");
        // the redelivery schedule fires once per fleet (clustered Quartz) and a job runs once at a time fleet-wide:
        // no two redelivery runs of the two instances overlapped
        assertEquals(0, TestDb.count("SELECT count(*) FROM pipeline.job_runs r1 JOIN pipeline.job_runs r2 "
                + "ON r1.run_id < r2.run_id AND r1.job = 'redeliver' AND r2.job = 'redeliver' "
                + "AND r1.status = 'succeeded' AND r2.status = 'succeeded' "
                + "AND r1.started_at >= ?::timestamptz AND r2.started_at >= ?::timestamptz "
                + "AND r1.started_at < r2.finished_at AND r2.started_at < r1.finished_at", t0.toString(), t0.toString()),
                "two redelivery runs overlapped");
    }
}
