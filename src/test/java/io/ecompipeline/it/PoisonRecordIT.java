package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.generate.EventGenerator;
import io.ecompipeline.generate.EventGenerator.Defect;
import io.ecompipeline.generate.GeneratedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records PostgreSQL cannot store (unpaired surrogates, NUL characters, numbers and timestamps out of range), mixed
 * into batches of valid events: each one becomes an {@code invalid} dead letter with its {@code storage.*} reason
 * (and its event id when that can be stored), no batch is retried or placed record by record because of them, and
 * their redelivery passes settle them one by one without failing.
 */
class PoisonRecordIT {

    private static final ObjectMapper JSON = new ObjectMapper();
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

    /** A record the test sends, with the rules its dead letter must carry and the event id it must keep (or null). */
    private record Poison(byte[] value, Set<String> rules, String storedEventId) {
    }

    private static byte[] edit(GeneratedEvent event, String find, String replacement) {
        String text = new String(event.value(), StandardCharsets.UTF_8);
        assertTrue(text.contains(find), "generated event has no " + find + ": " + text);
        return text.replace(find, replacement).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void poisonRecordsAreDeadLetteredWithTheirStorageReasonWithoutRetryingOrIsolatingABatch() throws Exception {
        String topic = kafka.createTopic("it-poison", 2);
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0, 0, 200, 50, Clock.systemUTC());
        List<Poison> poisons = new ArrayList<>();
        for (Defect d : List.of(Defect.LONE_SURROGATE, Defect.NUL_IN_EVENT_ID, Defect.NUL_IN_PROPERTY_NAME,
                Defect.YEAR_ZERO, Defect.NUMBER_BEYOND_NUMERIC)) {
            GeneratedEvent e = gen.withDefect(d);
            poisons.add(new Poison(e.value(), Set.of(d.rule()), e.eventId()));
        }
        // invalid events whose violations would carry the bad text into the reasons (jsonb) and the event id (text)
        GeneratedEvent email = gen.valid("PURCHASE");
        poisons.add(new Poison(edit(email, "\"email\":\"", "\"email\":\"\\u0000"),
                Set.of("schema.format", "storage.unsupported_character"), email.eventId()));
        GeneratedEvent nested = gen.valid("PURCHASE");
        poisons.add(new Poison(edit(nested, "\"product\":{", "\"product\":{\"x\\u0000\\udc00\":1,"),
                Set.of("schema.additional_properties", "storage.unsupported_character"), nested.eventId()));
        GeneratedEvent lowOnly = gen.valid("ADD_TO_CART");
        poisons.add(new Poison(edit(lowOnly, "\"event_id\":\"" + lowOnly.eventId(), "\"event_id\":\"\\udc00" + lowOnly.eventId()),
                Set.of("schema.format", "storage.unsupported_character"), null));

        // 600 valid events with the poison spread among them: every batch of 100 holds some
        List<byte[]> values = new ArrayList<>();
        Set<String> validIds = new HashSet<>();
        Map<Integer, Poison> poisonAt = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            if (i % 75 == 10 && poisonAt.size() < poisons.size()) {
                poisonAt.put(values.size(), poisons.get(poisonAt.size()));
                values.add(poisons.get(poisonAt.size() - 1).value());
            }
            GeneratedEvent e = gen.valid(i % 2 == 0 ? "PURCHASE" : "PAGE_VIEW");
            validIds.add(e.eventId());
            values.add(e.value());
        }
        assertEquals(poisons.size(), poisonAt.size());
        List<String> origins = kafka.send(topic, values);

        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_TOPIC", topic);
        env.put("KAFKA_GROUP_ID", topic + "-group");
        env.put("PIPELINE_BATCH_SIZE", "100");
        env.put("PIPELINE_BATCH_MAX_WAIT_MS", "200");
        env.put("DEAD_LETTER_REDELIVERY_DELAY", "PT3S");
        env.put("DEAD_LETTER_POLL_CRON", "0/1 * * * * ?");
        env.put("DEAD_LETTER_MAX_ATTEMPTS", "3");
        try (RuntimeProcess runtime = new RuntimeProcess(topic, env).start()) {
            runtime.awaitStarted();
            Await.until("every record placed and committed", Duration.ofSeconds(120),
                    () -> List.of(TestDb.rows(topic), TestDb.deadLetters(topic), kafka.allCommitted(topic + "-group", topic) ? 1L : 0L),
                    c -> c.get(0) == validIds.size() && c.get(1) == poisons.size() && c.get(2) == 1L);

            // each poison record: one invalid dead letter with its reasons and, when storable, its event id
            for (Map.Entry<Integer, Poison> p : poisonAt.entrySet()) {
                String[] origin = origins.get(p.getKey()).split("@");
                List<Map<String, Object>> found = TestDb.rows("SELECT event_id, error_class, reasons::text AS reasons "
                        + "FROM pipeline.dead_letters WHERE source_topic = ? AND source_partition = ? AND source_offset = ?",
                        topic, Integer.parseInt(origin[0]), Long.parseLong(origin[1]));
                assertEquals(1, found.size(), "dead letter of record " + p.getKey());
                Map<String, Object> entry = found.get(0);
                assertEquals("invalid", entry.get("error_class"), "record " + p.getKey() + ": " + entry);
                Set<String> rules = new HashSet<>();
                JSON.readTree((String) entry.get("reasons")).forEach(v -> rules.add(v.path("rule").asText()));
                assertTrue(rules.containsAll(p.getValue().rules()), "record " + p.getKey() + " expected " + p.getValue().rules()
                        + " but got " + entry.get("reasons"));
                assertEquals(p.getValue().storedEventId(), entry.get("event_id"), "event id of record " + p.getKey());
            }
            Set<String> rowIds = new HashSet<>();
            TestDb.rows("SELECT event_id::text AS id FROM raw.events WHERE kafka_topic = ?", topic)
                    .forEach(r -> rowIds.add((String) r.get("id")));
            assertEquals(validIds, rowIds);

            // no batch was isolated, none was retried
            assertEquals(0, TestDb.count("SELECT count(*) FROM pipeline.ingest_batches WHERE offsets::text LIKE ? AND isolated",
                    "%" + topic + "/%"), "batches placed record by record");
            String log = runtime.logText();
            assertFalse(log.contains("record by record"), "a batch fell back to record-by-record placement:\n" + runtime.tail(30));
            assertFalse(log.contains("On delivery attempt"), "a batch was retried:\n" + runtime.tail(30));

            // redelivery settles each poison entry (attempt 2 fails, attempt 3 parks) and no pass fails
            Await.until("poison entries parked by redelivery", Duration.ofSeconds(60),
                    () -> TestDb.count("SELECT count(*) FROM pipeline.dead_letters WHERE source_topic = ? AND status = 'parked'", topic),
                    n -> n == poisons.size());
            assertEquals(2L * poisons.size(), TestDb.count("SELECT count(*) FROM pipeline.dead_letter_attempts a "
                    + "JOIN pipeline.dead_letters d ON d.id = a.dead_letter_id WHERE d.source_topic = ?", topic));
            assertNull(firstLine(runtime.logText(), "Job redeliver-"), "a redelivery pass failed");
            assertFalse(runtime.logText().contains("one by one"), "a redelivery batch write failed as a whole");
            assertTrue(runtime.isAlive());
        }
    }

    /** The first log line with {@code text} and "failed", or null. */
    private static String firstLine(String log, String text) {
        return log.lines().filter(l -> l.contains(text) && l.contains("failed")).findFirst().orElse(null);
    }
}
