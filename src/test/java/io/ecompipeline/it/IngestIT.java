package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.generate.EventGenerator;
import io.ecompipeline.generate.EventGenerator.Defect;
import io.ecompipeline.generate.GeneratedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime jar against real Kafka and PostgreSQL: every consumed record ends up in exactly one place, replays
 * make no duplicates, and SIGTERM / SIGKILL mid-stream lose and double nothing.
 */
class IngestIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestKafka kafka;

    @BeforeAll
    static void connect() {
        kafka = new TestKafka();
        TestDb.count("SELECT 1"); // fail loudly now if PostgreSQL is missing
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static Map<String, String> env(String topic, String group, int batchSize) {
        return Map.of("KAFKA_TOPIC", topic, "KAFKA_GROUP_ID", group, "PIPELINE_BATCH_SIZE", String.valueOf(batchSize),
                "PIPELINE_BATCH_MAX_WAIT_MS", "200", "PIPELINE_EVENT_MAX_BYTES", "65536",
                "PIPELINE_PROGRESS_INTERVAL_MS", "1000");
    }

    @Test
    void everyRecordLandsInExactlyOnePlaceAndReplaysMakeNoDuplicates() throws Exception {
        String topic = kafka.createTopic("it-ingest", 6);
        String group = topic + "-group";
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0, 0.1, 200, 50, java.time.Clock.systemUTC());

        List<GeneratedEvent> records = new ArrayList<>();
        String[] types = {"PAGE_VIEW", "ADD_TO_CART", "PURCHASE", "REFUND"};
        for (int i = 0; i < 400; i++) {
            records.add(gen.valid(types[i % types.length]));
        }
        for (int round = 0; round < 3; round++) {
            for (Defect defect : Defect.values()) {
                records.add(gen.withDefect(defect));
            }
        }
        List<byte[]> values = new ArrayList<>();
        for (GeneratedEvent e : records) {
            values.add(e.value());
        }
        // two kinds the generator does not make: a tombstone (null value) and a record over the size limit
        values.add(null);
        values.add(("{\"pad\":\"" + "x".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        Map<Integer, String> expectedRuleByIndex = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            if (!records.get(i).valid()) {
                expectedRuleByIndex.put(i, records.get(i).rule());
            }
        }
        expectedRuleByIndex.put(records.size(), "malformed.empty");
        expectedRuleByIndex.put(records.size() + 1, "malformed.oversized");
        long valid = records.stream().filter(GeneratedEvent::valid).count();
        long invalid = values.size() - valid;

        List<String> origins = kafka.send(topic, values);

        try (RuntimeProcess runtime = new RuntimeProcess(topic, env(topic, group, 100)).start()) {
            runtime.awaitStarted();
            Await.until("all records placed and committed", Duration.ofSeconds(120),
                    () -> List.of(TestDb.rows(topic), TestDb.deadLetters(topic), kafka.allCommitted(group, topic) ? 1L : 0L),
                    c -> c.get(0) == valid && c.get(1) == invalid && c.get(2) == 1L);

            // exactly the valid events are rows
            Set<String> expectedIds = new HashSet<>();
            records.stream().filter(GeneratedEvent::valid).forEach(e -> expectedIds.add(e.eventId()));
            Set<String> actualIds = new HashSet<>();
            TestDb.rows("SELECT event_id::text AS id FROM raw.events WHERE kafka_topic = ?", topic)
                    .forEach(r -> actualIds.add((String) r.get("id")));
            assertEquals(expectedIds, actualIds);

            // each dead letter carries the reason its defect must produce, and its origin
            Map<String, JsonNode> reasonsByOrigin = new HashMap<>();
            for (Map<String, Object> r : TestDb.rows("SELECT source_partition || '@' || source_offset AS origin, "
                    + "reasons::text AS reasons FROM pipeline.dead_letters WHERE source_topic = ?", topic)) {
                reasonsByOrigin.put((String) r.get("origin"), JSON.readTree((String) r.get("reasons")));
            }
            for (Map.Entry<Integer, String> expected : expectedRuleByIndex.entrySet()) {
                JsonNode reasons = reasonsByOrigin.get(origins.get(expected.getKey()));
                assertTrue(reasons != null, "no dead letter for record " + expected.getKey());
                Set<String> rules = new HashSet<>();
                reasons.forEach(v -> {
                    rules.add(v.get("rule").asText());
                    assertTrue(v.hasNonNull("field") && v.hasNonNull("message"), "reason without field/message: " + v);
                });
                assertTrue(rules.contains(expected.getValue()),
                        "record " + expected.getKey() + " expected " + expected.getValue() + " but got " + rules);
            }
            assertTrue(runtime.isAlive(), "the consumer must survive bad input");

            // the batch audit adds up
            Map<String, Object> audit = TestDb.rows("SELECT sum(received) AS received, sum(inserted) AS inserted, "
                    + "sum(duplicates) AS duplicates, sum(dead_lettered) AS dead FROM pipeline.ingest_batches "
                    + "WHERE offsets::text LIKE ?", "%" + topic + "/%").get(0);
            assertEquals((long) values.size(), ((Number) audit.get("received")).longValue());
            assertEquals(valid, ((Number) audit.get("inserted")).longValue());
            // and counts its dead letters by rule as it wrote them: each under every rule it broke, once
            Map<String, Long> rulesOfDeadLetters = new TreeMap<>();
            reasonsByOrigin.values().forEach(reasons -> {
                Set<String> rules = new HashSet<>();
                reasons.forEach(v -> rules.add(v.get("rule").asText()));
                rules.forEach(rule -> rulesOfDeadLetters.merge(rule, 1L, Long::sum));
            });
            Map<String, Long> rulesOfBatches = new TreeMap<>();
            TestDb.rows("SELECT f.key AS rule, sum(f.value::bigint) AS n FROM pipeline.ingest_batches b, "
                    + "jsonb_each_text(b.rejects_by_rule) f WHERE b.offsets::text LIKE ? GROUP BY 1", "%" + topic + "/%")
                    .forEach(r -> rulesOfBatches.put((String) r.get("rule"), ((Number) r.get("n")).longValue()));
            assertEquals(rulesOfDeadLetters, rulesOfBatches);

            // replay the very same records: no new rows; the replays are counted as duplicates
            kafka.send(topic, values);
            Await.until("replay consumed", Duration.ofSeconds(120), () -> kafka.allCommitted(group, topic), done -> done);
            assertEquals(valid, TestDb.rows(topic));
            assertEquals(2 * invalid, TestDb.deadLetters(topic), "a replayed bad record is a new dead letter (new offset)");
            long duplicates = TestDb.count("SELECT coalesce(sum(duplicates), 0) FROM pipeline.ingest_batches WHERE offsets::text LIKE ?",
                    "%" + topic + "/%");
            assertEquals(valid, duplicates);
            assertTrue(runtime.isAlive());
        }
    }

    @Test
    void sigtermMidStreamFlushesCommitsAndRestartsExactly() throws Exception {
        String topic = kafka.createTopic("it-sigterm", 6);
        String group = topic + "-group";
        int total = 20_000;
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0, 0, 1000, 100, java.time.Clock.systemUTC());
        Thread producer = kafka.pacedProducer(topic, () -> gen.next().value(), total, 2000);

        try (RuntimeProcess first = new RuntimeProcess(topic + "-a", env(topic, group, 200)).start()) {
            first.awaitStarted();
            producer.start();
            Await.until("some rows landed", Duration.ofSeconds(60), () -> TestDb.rows(topic), n -> n >= 3000);
            first.terminate(Duration.ofSeconds(60));
            assertTrue(first.logText().contains("shutdown"), "graceful shutdown was logged");
        }
        long landedAtStop = TestDb.rows(topic);
        assertTrue(landedAtStop < total, "the stop happened mid-stream (" + landedAtStop + " of " + total + ")");

        // graceful stop: everything placed was committed, nothing committed that was not placed
        Map<Integer, Long> committed = kafka.committed(group, topic);
        for (Map<String, Object> p : TestDb.rows("SELECT kafka_partition AS p, max(kafka_offset) + 1 AS next "
                + "FROM raw.events WHERE kafka_topic = ? GROUP BY kafka_partition", topic)) {
            int partition = ((Number) p.get("p")).intValue();
            assertEquals(((Number) p.get("next")).longValue(), committed.getOrDefault(partition, 0L),
                    "partition " + partition + ": committed offset must follow the last durable record");
        }

        try (RuntimeProcess second = new RuntimeProcess(topic + "-b", env(topic, group, 200)).start()) {
            second.awaitStarted();
            producer.join();
            Await.until("all records placed after restart", Duration.ofSeconds(120),
                    () -> TestDb.rows(topic) + TestDb.deadLetters(topic), n -> n >= total);
            Await.until("offsets committed", Duration.ofSeconds(60), () -> kafka.allCommitted(group, topic), done -> done);
        }
        long rows = TestDb.rows(topic);
        long dead = TestDb.deadLetters(topic);
        assertEquals(total, rows + dead, "every record exactly once");
        assertEquals(rows, TestDb.count("SELECT count(DISTINCT event_id) FROM raw.events WHERE kafka_topic = ?", topic));
    }

    @Test
    void sigkillMidStreamLosesAndDoublesNothing() throws Exception {
        String topic = kafka.createTopic("it-sigkill", 6);
        String group = topic + "-group";
        int total = 12_000;
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0.25, 0, 1000, 100, java.time.Clock.systemUTC());
        List<GeneratedEvent> events = gen.next(total);
        long valid = events.stream().filter(GeneratedEvent::valid).count();
        List<byte[]> values = new ArrayList<>();
        events.forEach(e -> values.add(e.value()));
        kafka.send(topic, values);

        try (RuntimeProcess first = new RuntimeProcess(topic + "-a", env(topic, group, 100)).start()) {
            first.awaitStarted();
            Await.until("some rows landed", Duration.ofSeconds(60), () -> TestDb.rows(topic), n -> n >= 500);
            first.kill();
        }
        try (RuntimeProcess second = new RuntimeProcess(topic + "-b", env(topic, group, 100)).start()) {
            second.awaitStarted();
            Await.until("all records placed after SIGKILL and restart", Duration.ofSeconds(120),
                    () -> List.of(TestDb.rows(topic), TestDb.deadLetters(topic), kafka.allCommitted(group, topic) ? 1L : 0L),
                    c -> c.get(0) == valid && c.get(1) == total - valid && c.get(2) == 1L);
        }
        assertEquals(valid, TestDb.rows(topic));
        assertEquals(total - valid, TestDb.deadLetters(topic));
    }

    @Test
    void twoInstancesShareThePartitionsAndPlaceEveryRecordOnce() {
        String topic = kafka.createTopic("it-two-instances", 6);
        String group = topic + "-group";
        int total = 12_000;
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0.25, 0, 1000, 100, java.time.Clock.systemUTC());
        List<GeneratedEvent> events = gen.next(total);
        long valid = events.stream().filter(GeneratedEvent::valid).count();
        try (RuntimeProcess a = new RuntimeProcess(topic + "-a", env(topic, group, 100)).start();
             RuntimeProcess b = new RuntimeProcess(topic + "-b", env(topic, group, 100)).start()) {
            a.awaitStarted();
            b.awaitStarted();
            // two consumer threads per instance, each holding partitions in a completed rebalance: a member that is
            // only listed may still be waiting for its assignment while the first instance drains the whole topic
            Await.until("both instances assigned partitions", Duration.ofSeconds(60), () -> kafka.stableAssignment(group),
                    m -> m.size() >= 4 && m.values().stream().allMatch(n -> n > 0));
            List<byte[]> values = new ArrayList<>();
            events.forEach(e -> values.add(e.value()));
            kafka.send(topic, values);
            Await.until("all records placed and committed", Duration.ofSeconds(120),
                    () -> List.of(TestDb.rows(topic), TestDb.deadLetters(topic), kafka.allCommitted(group, topic) ? 1L : 0L),
                    c -> c.get(0) == valid && c.get(1) == total - valid && c.get(2) == 1L);
        }
        assertEquals(2, TestDb.count("SELECT count(DISTINCT run_id) FROM raw.events WHERE kafka_topic = ?", topic),
                "both instances wrote rows");
        assertEquals(valid, TestDb.count("SELECT count(DISTINCT event_id) FROM raw.events WHERE kafka_topic = ?", topic));
    }
}
