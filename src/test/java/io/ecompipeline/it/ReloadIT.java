package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.generate.EventGenerator;
import io.ecompipeline.generate.EventGenerator.Defect;
import io.ecompipeline.generate.GeneratedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Route and rule edits on the real jar while events flow through real Kafka and PostgreSQL: a relaxed rule applies
 * to new events without a restart, a broken route file is rejected while the old route keeps working, a new route
 * file starts consuming an extra topic, and editing the ingest route itself loses and doubles nothing.
 */
class ReloadIT extends KafkaAndPostgresIT {

    @TempDir
    Path dir;


    private Map<String, String> env(String topic, Path routes, Path rules) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_TOPIC", topic);
        env.put("KAFKA_GROUP_ID", topic);
        env.put("PIPELINE_BATCH_SIZE", "100");
        env.put("PIPELINE_BATCH_MAX_WAIT_MS", "200");
        env.put("ROUTES_DIR", routes.toString());
        env.put("CONTRACT_RULES", "file:" + rules);
        env.put("RELOAD_INTERVAL_MS", "500");
        env.put("DEAD_LETTER_REDELIVERY_DELAY", "PT1H");
        return env;
    }

    private Path copyRules() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        try (var in = getClass().getResourceAsStream("/contract/rules.yaml")) {
            Files.write(rules, in.readAllBytes());
        }
        return rules;
    }

    private static JsonNode reloads(RuntimeProcess runtime) {
        return TestHttp.get(runtime.api() + "/config/reloads").json().path("events");
    }

    private static JsonNode awaitReload(RuntimeProcess runtime, String fileFragment, String outcome) {
        return Await.until(outcome + " reload of " + fileFragment, Duration.ofSeconds(60), () -> {
            for (JsonNode e : reloads(runtime)) {
                if (e.path("file").asText().contains(fileFragment) && e.path("outcome").asText().equals(outcome)) {
                    return e;
                }
            }
            return null;
        }, e -> e != null);
    }

    @Test
    void aRelaxedRuleAppliesToNewEventsWithoutRestartAndNothingIsLostOrDoubled() throws Exception {
        String topic = kafka.createTopic("it-reload-rule", 3);
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path rules = copyRules();
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0, 0, 100, 20, Clock.systemUTC());
        Map<String, Boolean> sentAfterApply = new ConcurrentHashMap<>();   // event id -> published after the edit applied
        AtomicBoolean applied = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);

        try (RuntimeProcess runtime = new RuntimeProcess(topic, env(topic, routes, rules)).start()) {
            runtime.awaitStarted();
            Thread producer = new Thread(() -> {
                while (running.get()) {
                    List<byte[]> chunk = new ArrayList<>();
                    boolean after = applied.get();
                    for (int i = 0; i < 20; i++) {
                        GeneratedEvent e = i % 2 == 0 ? gen.valid("PURCHASE") : gen.withDefect(Defect.BAD_PAYMENT_STATUS);
                        sentAfterApply.put(e.eventId(), after);
                        chunk.add(e.value());
                    }
                    kafka.send(topic, chunk);
                }
            });
            producer.start();
            Await.until("events flowing", Duration.ofSeconds(60), () -> TestDb.rows(topic), n -> n >= 200);

            Files.writeString(rules, Files.readString(rules).replace("payment_statuses: [PAID, PENDING, FAILED, REFUNDED]",
                    "payment_statuses: [PAID, PENDING, FAILED, REFUNDED, MAYBE]"));
            JsonNode event = awaitReload(runtime, "rules.yaml", "applied");
            assertTrue(event.path("changes").toString().contains("MAYBE"), "the change is logged with what changed: " + event);
            applied.set(true);
            Await.until("events after the edit", Duration.ofSeconds(60),
                    () -> sentAfterApply.values().stream().filter(v -> v).count(), n -> n >= 400);
            running.set(false);
            producer.join();

            int total = sentAfterApply.size();
            Await.until("every record placed", Duration.ofSeconds(120),
                    () -> kafka.allCommitted(topic, topic) && TestDb.rows(topic) + TestDb.deadLetters(topic) >= total, d -> d);
            assertEquals(total, TestDb.rows(topic) + TestDb.deadLetters(topic), "nothing lost or doubled");
            assertEquals(TestDb.rows(topic), TestDb.count("SELECT count(DISTINCT event_id) FROM raw.events WHERE kafka_topic = ?", topic));
            // every event published after the edit was applied follows the new rule: a row, not a dead letter
            Set<String> dead = new java.util.HashSet<>();
            TestDb.rows("SELECT event_id FROM pipeline.dead_letters WHERE source_topic = ?", topic)
                    .forEach(r -> dead.add((String) r.get("event_id")));
            sentAfterApply.forEach((id, after) -> {
                if (after) {
                    assertTrue(!dead.contains(id), "event " + id + " published after the rule change was dead-lettered");
                }
            });
            assertTrue(!dead.isEmpty(), "events before the change were still judged by the old rule");
        }
    }

    @Test
    void aBrokenRouteFileIsRejectedAndANewRouteFileStartsWithoutRestart() throws Exception {
        String topic = kafka.createTopic("it-reload-routes", 2);
        String extra = kafka.createTopic("it-reload-extra", 2);
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path rules = copyRules();
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0, 0, 100, 20, Clock.systemUTC());
        Map<String, String> env = env(topic, routes, rules);
        env.put("EXTRA_TOPIC", extra);
        try (RuntimeProcess runtime = new RuntimeProcess(topic, env).start()) {
            runtime.awaitStarted();
            kafka.send(topic, values(gen, 100));
            Await.until("first events", Duration.ofSeconds(60), () -> TestDb.rows(topic), n -> n == 100);

            // a broken edit of the ingest route: rejected, reported, and the old route keeps consuming
            copy("broken-route.yaml", routes);
            JsonNode rejected = awaitReload(runtime, "broken-route.yaml", "rejected");
            assertTrue(rejected.path("error").asText().contains("no-such-component"), rejected.toString());
            assertTrue(runtime.logText().contains("Rejected edit of"), "rejection is logged");
            kafka.send(topic, values(gen, 100));
            Await.until("old route still consuming", Duration.ofSeconds(60), () -> TestDb.rows(topic), n -> n == 200);
            Files.delete(routes.resolve("broken-route.yaml"));

            // a brand-new route file: consumes an extra topic, no restart
            kafka.send(extra, values(gen, 150));
            copy("extra-topic.yaml", routes);
            JsonNode added = awaitReload(runtime, "extra-topic.yaml", "applied");
            assertTrue(added.path("changes").toString().contains("added route ingest-extra-topic"), added.toString());
            Await.until("extra topic ingested", Duration.ofSeconds(60), () -> TestDb.rows(extra), n -> n == 150);
            assertTrue(runtime.isAlive());
        }
    }

    @Test
    void editingTheIngestRouteWhileEventsFlowLosesAndDoublesNothing() throws Exception {
        String topic = kafka.createTopic("it-reload-ingest", 3);
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path rules = copyRules();
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0.2, 0, 100, 20, Clock.systemUTC());
        AtomicBoolean running = new AtomicBoolean(true);
        List<Integer> sent = new ArrayList<>();
        try (RuntimeProcess runtime = new RuntimeProcess(topic, env(topic, routes, rules)).start()) {
            runtime.awaitStarted();
            Thread producer = new Thread(() -> {
                while (running.get()) {
                    kafka.send(topic, values(gen, 50));
                    synchronized (sent) {
                        sent.add(50);
                    }
                }
            });
            producer.start();
            Await.until("events flowing", Duration.ofSeconds(60), () -> TestDb.rows(topic), n -> n >= 300);
            // the built-in ingest route, edited: smaller batches
            String ingest = new String(getClass().getResourceAsStream("/routes/ingest.yaml").readAllBytes())
                    .replace("maxPollRecords: \"{{pipeline.batch.size}}\"", "maxPollRecords: 37");
            assertTrue(ingest.contains("maxPollRecords: 37"));
            Files.writeString(routes.resolve("ingest.yaml"), ingest);
            JsonNode applied = awaitReload(runtime, "ingest.yaml", "applied");
            assertTrue(applied.path("changes").toString().contains("updated route ingest-events"), applied.toString());
            Await.until("batches of the new size", Duration.ofSeconds(60),
                    () -> TestDb.count("SELECT count(*) FROM pipeline.ingest_batches WHERE received = 37 AND offsets::text LIKE ?",
                            "%" + topic + "/%"),
                    n -> n > 0);
            running.set(false);
            producer.join();
            int total;
            synchronized (sent) {
                total = sent.stream().mapToInt(Integer::intValue).sum();
            }
            Await.until("every record placed", Duration.ofSeconds(120),
                    () -> kafka.allCommitted(topic, topic) && TestDb.rows(topic) + TestDb.deadLetters(topic) >= total, d -> d);
            assertEquals(total, TestDb.rows(topic) + TestDb.deadLetters(topic), "nothing lost or doubled across the route swap");
        }
    }

    private void copy(String resource, Path routes) throws Exception {
        try (var in = getClass().getResourceAsStream("/reload/" + resource)) {
            Files.write(routes.resolve(resource), in.readAllBytes());
        }
    }

    private static List<byte[]> values(EventGenerator gen, int n) {
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(gen.next().value());
        }
        return values;
    }
}
