package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sources besides events (products, inventory, campaigns) with the real jar, Kafka and PostgreSQL: each topic's
 * valid, invalid and malformed records end up as exactly the expected rows and dead letters (with their source and
 * reasons), replays change no row, and redelivery revalidates an entry with its own source's contract and writer.
 */
class SourcesIT extends KafkaAndPostgresIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    /** One record to send and what must become of it: a row key, or the rule its dead letter must carry. */
    private record Sent(byte[] value, String rowKey, String rule) {
    }

    private static Sent row(JsonNode record, String key) {
        return new Sent(bytes(record), key, null);
    }

    private static Sent dead(JsonNode record, String rule) {
        return new Sent(record == null ? null : bytes(record), null, rule);
    }

    private static Sent dead(String raw, String rule) {
        return new Sent(raw == null ? null : raw.getBytes(StandardCharsets.UTF_8), null, rule);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode product(String id, String price, String cost, Instant updatedAt) {
        ObjectNode p = JSON.createObjectNode().put("product_id", id).put("title", "Lamp " + id).put("category", "home");
        p.put("price", new BigDecimal(price));
        if (cost != null) {
            p.put("cost", new BigDecimal(cost));
        }
        return p.put("currency", "EUR").put("updated_at", updatedAt.toString());
    }

    private static ObjectNode snapshot(String product, String warehouse, int onHand, int reserved, Instant at) {
        return JSON.createObjectNode().put("product_id", product).put("warehouse_id", warehouse).put("on_hand", onHand)
                .put("reserved", reserved).put("reorder_point", 10).put("snapshot_time", at.toString());
    }

    private static ObjectNode campaign(String id, String channel, String start, String end) {
        return JSON.createObjectNode().put("record_type", "campaign").put("campaign_id", id).put("name", "Campaign " + id)
                .put("channel", channel).put("currency", "EUR").put("budget", 1000).put("start_date", start)
                .put("end_date", end).put("updated_at", Instant.now().minus(1, ChronoUnit.HOURS).toString());
    }

    private static ObjectNode spend(String id, String day, String channel, String amount) {
        return JSON.createObjectNode().put("record_type", "spend").put("campaign_id", id).put("spend_date", day)
                .put("channel", channel).put("amount", new BigDecimal(amount))
                .put("reported_at", Instant.now().minus(1, ChronoUnit.HOURS).toString());
    }

    private Map<String, String> env(String suffix, Map<String, String> topics) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_TOPIC", kafka.createTopic("it-src-events", 1));
        env.put("KAFKA_GROUP_ID", "it-src-" + suffix);
        env.put("PRODUCTS_GROUP_ID", "it-src-products-" + suffix);
        env.put("INVENTORY_GROUP_ID", "it-src-inventory-" + suffix);
        env.put("CAMPAIGNS_GROUP_ID", "it-src-campaigns-" + suffix);
        env.put("PIPELINE_BATCH_MAX_WAIT_MS", "200");
        env.putAll(topics);
        return env;
    }

    private static List<byte[]> values(List<Sent> sent) {
        List<byte[]> values = new ArrayList<>();
        sent.forEach(s -> values.add(s.value()));
        return values;
    }

    private static long deadLetters(String topic, String source) {
        return TestDb.count("SELECT count(*) FROM pipeline.dead_letters WHERE source_topic = ? AND source = ?", topic, source);
    }

    @Test
    void eachSourcePlacesValidInvalidAndMalformedRecordsExactlyOnceAndReplaysChangeNothing() throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        String p1 = "P-IT" + run + "-1";
        String p2 = "P-IT" + run + "-2";
        String p3 = "P-IT" + run + "-3";
        String cmp = "CMP-IT" + run;
        Instant t0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        List<Sent> products = List.of(
                row(product(p1, "10.00", "6.00", t0), p1 + "@" + t0),
                row(product(p1, "12.00", "7.00", t0.plusSeconds(60)), p1 + "@" + t0.plusSeconds(60)),
                row(product(p2, "5", null, t0), p2 + "@" + t0),
                // the same attributes as p1's latest version, later: nothing changed, nothing stored
                new Sent(bytes(product(p1, "12.0", "7", t0.plusSeconds(120))), null, null),
                dead(product(p3, "-1", null, t0), "rule.price_positive"),
                dead(product(p3, "3", null, t0).put("currency", "XQQ"), "rule.currency_iso4217"),
                dead(product(p3, "3", null, t0).without("title"), "schema.required"),
                dead(product(p3, "3", "4", t0), "rule.cost_not_above_price"),
                dead("{\"product_id\": \"" + p3 + "\"", "malformed.json"),
                dead((String) null, "malformed.empty"));
        List<Sent> inventory = List.of(
                row(snapshot(p1, "WH-1", 40, 5, t0).put("unit_cost", 6).put("currency", "EUR"), p1 + "/WH-1@" + t0),
                row(snapshot(p1, "WH-2", 0, 0, t0), p1 + "/WH-2@" + t0),
                dead(snapshot(p2, "WH-1", 40, 50, t0), "rule.reserved_not_above_on_hand"),
                dead(snapshot(p2, "WH-1", 40, 5, t0).put("unit_cost", 6), "schema.dependent_required"),
                dead(snapshot(p2, "WH-1", 40, 5, t0).put("on_hand", 1.5), "schema.type"),
                dead("[1, 2]", "malformed.not_object"));
        List<Sent> campaigns = List.of(
                row(campaign(cmp, "search", today, null).without("end_date"), cmp),
                row(spend(cmp, today, "search", "100.50"), cmp + "/" + today + "/search"),
                row(spend(cmp, today, "social", "50"), cmp + "/" + today + "/social"),
                dead(campaign(cmp, "billboard", today, today), "rule.channel_allowed"),
                dead(spend(cmp, today, "search", "1").put("currency", "USD"), "schema.false"),
                dead(campaign(cmp, "email", today, "2020-01-01"), "rule.end_date_not_before_start_date"),
                dead("", "malformed.empty"));

        // one partition each: the products test depends on the order of p1's versions
        String productsTopic = kafka.createTopic("it-src-products", 1);
        String inventoryTopic = kafka.createTopic("it-src-inventory", 1);
        String campaignsTopic = kafka.createTopic("it-src-campaigns", 1);
        Map<String, List<Sent>> byTopic = new LinkedHashMap<>();
        byTopic.put(productsTopic, products);
        byTopic.put(inventoryTopic, inventory);
        byTopic.put(campaignsTopic, campaigns);
        Map<String, List<String>> origins = new HashMap<>();
        byTopic.forEach((topic, sent) -> origins.put(topic, kafka.send(topic, values(sent))));

        Map<String, String> env = env(run, Map.of("PRODUCTS_TOPIC", productsTopic, "INVENTORY_TOPIC", inventoryTopic,
                "CAMPAIGNS_TOPIC", campaignsTopic));
        try (RuntimeProcess runtime = new RuntimeProcess("sources-" + run, env).start()) {
            runtime.awaitStarted();
            awaitPlaced(env, byTopic);
            assertRowsAndDeadLetters(productsTopic, inventoryTopic, campaignsTopic, byTopic, origins);

            // p1's row values are the record's, not some default
            Map<String, Object> v2 = TestDb.rows("SELECT price, cost, currency, title FROM raw.products WHERE product_id = ? "
                    + "AND updated_at = ?", p1, java.time.OffsetDateTime.ofInstant(t0.plusSeconds(60), ZoneOffset.UTC)).get(0);
            assertEquals(0, new BigDecimal("12.00").compareTo((BigDecimal) v2.get("price")));
            assertEquals(0, new BigDecimal("7.00").compareTo((BigDecimal) v2.get("cost")));
            assertEquals("EUR", v2.get("currency"));

            // replay everything: no new row anywhere; a replayed bad record is a new dead letter (new offset)
            byTopic.forEach((topic, sent) -> kafka.send(topic, values(sent)));
            Await.until("replays consumed", Duration.ofSeconds(120), () -> byTopic.keySet().stream()
                    .allMatch(t -> kafka.allCommitted(groupOf(env, t), t)), done -> done);
            assertRowsAndDeadLetters(productsTopic, inventoryTopic, campaignsTopic, byTopic, null);
            byTopic.forEach((topic, sent) -> assertEquals(2 * sent.stream().filter(s -> s.rule() != null).count(),
                    TestDb.deadLetters(topic), topic));
            long validProducts = products.stream().filter(s -> s.rule() == null).count();
            assertEquals(validProducts + 1, TestDb.count("SELECT sum(duplicates) FROM pipeline.ingest_batches "
                    + "WHERE source = 'products' AND offsets::text LIKE ?", "%" + productsTopic + "/%"),
                    "the unchanged version once, then every valid record of the replay, count as duplicates");
            assertTrue(runtime.isAlive(), "bad records never stop a consumer");
        }
    }

    private static String groupOf(Map<String, String> env, String topic) {
        for (String source : List.of("PRODUCTS", "INVENTORY", "CAMPAIGNS")) {
            if (topic.equals(env.get(source + "_TOPIC"))) {
                return env.get(source + "_GROUP_ID");
            }
        }
        throw new IllegalArgumentException(topic);
    }

    private void awaitPlaced(Map<String, String> env, Map<String, List<Sent>> byTopic) {
        Await.until("every source placed and committed", Duration.ofSeconds(120), () -> {
            List<String> pending = new ArrayList<>();
            byTopic.forEach((topic, sent) -> {
                long dead = sent.stream().filter(s -> s.rule() != null).count();
                if (TestDb.deadLetters(topic) < dead || !kafka.allCommitted(groupOf(env, topic), topic)) {
                    pending.add(topic);
                }
            });
            return pending;
        }, List::isEmpty);
    }

    private static void assertRowsAndDeadLetters(String productsTopic, String inventoryTopic, String campaignsTopic,
                                                 Map<String, List<Sent>> byTopic, Map<String, List<String>> origins) {
        Map<String, String> sources = Map.of(productsTopic, "products", inventoryTopic, "inventory", campaignsTopic, "campaigns");
        Map<String, Set<String>> actualRows = new HashMap<>();
        actualRows.put(productsTopic, keys("SELECT product_id || '@' || to_char(updated_at AT TIME ZONE 'UTC', "
                + "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM raw.products WHERE source_topic = ?", productsTopic));
        actualRows.put(inventoryTopic, keys("SELECT product_id || '/' || warehouse_id || '@' || to_char(snapshot_time AT TIME "
                + "ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM raw.inventory_snapshots WHERE source_topic = ?",
                inventoryTopic));
        Set<String> campaignRows = keys("SELECT campaign_id FROM raw.campaigns WHERE source_topic = ?", campaignsTopic);
        campaignRows.addAll(keys("SELECT campaign_id || '/' || spend_date || '/' || channel FROM raw.campaign_spend "
                + "WHERE source_topic = ?", campaignsTopic));
        actualRows.put(campaignsTopic, campaignRows);
        byTopic.forEach((topic, sent) -> {
            Set<String> expected = new TreeSet<>();
            sent.stream().filter(s -> s.rowKey() != null).forEach(s -> expected.add(s.rowKey()));
            assertEquals(expected, new TreeSet<>(actualRows.get(topic)), "rows of " + topic);
            long dead = sent.stream().filter(s -> s.rule() != null).count();
            if (origins != null) {
                assertEquals(dead, deadLetters(topic, sources.get(topic)), "dead letters of " + topic + " with their source");
                // each bad record's dead letter carries the rule its defect must produce
                Map<String, Set<String>> rulesByOrigin = new HashMap<>();
                for (Map<String, Object> r : TestDb.rows("SELECT d.source_partition || '@' || d.source_offset AS origin, "
                        + "r->>'rule' AS rule FROM pipeline.dead_letters d, jsonb_array_elements(d.reasons) r "
                        + "WHERE d.source_topic = ?", topic)) {
                    rulesByOrigin.computeIfAbsent((String) r.get("origin"), k -> new HashSet<>()).add((String) r.get("rule"));
                }
                for (int i = 0; i < sent.size(); i++) {
                    if (sent.get(i).rule() != null) {
                        Set<String> rules = rulesByOrigin.get(origins.get(topic).get(i));
                        assertTrue(rules != null && rules.contains(sent.get(i).rule()),
                                topic + " record " + i + ": expected " + sent.get(i).rule() + ", got " + rules);
                    }
                }
            }
        });
    }

    private static Set<String> keys(String sql, Object... params) {
        Set<String> keys = new HashSet<>();
        TestDb.rows(sql, params).forEach(r -> keys.add((String) r.values().iterator().next()));
        return keys;
    }

    @Test
    void redeliveryRevalidatesAnEntryWithItsOwnSourcesContractAndWriter() throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        String product = "P-RD" + run;
        // a product version from 12 s in the future: rejected now (1 s skew allowed), valid once redelivered
        Path rules = temp.resolve("products-rules.yaml");
        try (var in = getClass().getResourceAsStream("/contract/products-rules.yaml")) {
            Files.writeString(rules, new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("max_skew: PT5M", "max_skew: PT1S"));
        }
        String productsTopic = kafka.createTopic("it-rd-products", 1);
        String inventoryTopic = kafka.createTopic("it-rd-inventory", 1);

        Map<String, String> env = env(run, Map.of("PRODUCTS_TOPIC", productsTopic, "INVENTORY_TOPIC", inventoryTopic,
                "CAMPAIGNS_TOPIC", kafka.createTopic("it-rd-campaigns", 1), "PRODUCTS_RULES", "file:" + rules,
                "DEAD_LETTER_REDELIVERY_DELAY", "PT15S", "DEAD_LETTER_POLL_CRON", "0/1 * * * * ?",
                "DEAD_LETTER_MAX_ATTEMPTS", "2"));
        try (RuntimeProcess runtime = new RuntimeProcess("sources-redelivery-" + run, env).start()) {
            runtime.awaitStarted();
            // sent once the consumer runs, so that "12 s from now" is still the future when it is validated
            Instant future = Instant.now().plusSeconds(12).truncatedTo(ChronoUnit.SECONDS);
            kafka.send(productsTopic, List.of(bytes(product(product, "9.90", "4.50", future))));
            // never valid: reserved above on hand; parked after the last attempt, always for the inventory rule
            kafka.send(inventoryTopic, List.of(bytes(snapshot(product, "WH-9", 3, 7, Instant.now().minusSeconds(60)))));
            Map<String, Object> first = Await.until("the product dead-lettered", Duration.ofSeconds(60),
                    () -> TestDb.rows("SELECT source, status, reasons::text AS reasons FROM pipeline.dead_letters "
                            + "WHERE source_topic = ?", productsTopic), r -> r.size() == 1).get(0);
            assertEquals("products", first.get("source"));
            assertTrue(((String) first.get("reasons")).contains("rule.updated_at_not_future"), first.toString());
            assertEquals(0, TestDb.count("SELECT count(*) FROM raw.products WHERE product_id = ?", product));

            Await.until("the product recovered by redelivery and the snapshot parked", Duration.ofSeconds(90),
                    () -> TestDb.rows("SELECT d.status FROM pipeline.dead_letters d WHERE d.source_topic IN (?, ?) "
                            + "ORDER BY d.source_topic = ? DESC", productsTopic, inventoryTopic, productsTopic)
                            .stream().map(r -> r.get("status")).toList(),
                    s -> s.equals(List.of("recovered", "parked")));
        }
        // recovered through the products writer, into raw.products, with the entry's origin
        Map<String, Object> row = TestDb.rows("SELECT price, cost, source_topic, updated_at FROM raw.products WHERE product_id = ?",
                product).get(0);
        assertEquals(productsTopic, row.get("source_topic"));
        assertEquals(0, new BigDecimal("4.50").compareTo((BigDecimal) row.get("cost")));
        assertEquals(0, TestDb.count("SELECT count(*) FROM raw.events WHERE kafka_topic = ?", productsTopic));
        // the snapshot was judged by the inventory contract at every attempt, never by the event contract
        List<Map<String, Object>> attempts = TestDb.rows("SELECT a.outcome, a.reasons::text AS reasons FROM "
                + "pipeline.dead_letter_attempts a JOIN pipeline.dead_letters d ON d.id = a.dead_letter_id "
                + "WHERE d.source_topic = ? ORDER BY a.attempt", inventoryTopic);
        assertEquals(List.of("parked"), attempts.stream().map(a -> a.get("outcome")).toList());
        assertTrue(((String) attempts.get(0).get("reasons")).contains("rule.reserved_not_above_on_hand"), attempts.toString());
        assertTrue(!((String) attempts.get(0).get("reasons")).contains("event_id"), attempts.toString());
    }

    @Test
    void acceptedEventsAreRepublishedToTheCleanTopicKeyedByEventId() {
        String run = Long.toString(System.nanoTime(), 36);
        String topic = kafka.createTopic("it-clean-src", 3);
        String clean = kafka.createTopic("it-clean-out", 3);
        io.ecompipeline.generate.EventGenerator gen = new io.ecompipeline.generate.EventGenerator(TestSeeds.fresh(), 0.3, 0, 100, 20,
                java.time.Clock.systemUTC());
        List<io.ecompipeline.generate.GeneratedEvent> events = gen.next(300);
        Set<String> validIds = new TreeSet<>();
        events.stream().filter(io.ecompipeline.generate.GeneratedEvent::valid).forEach(e -> validIds.add(e.eventId()));
        List<byte[]> values = new ArrayList<>();
        events.forEach(e -> values.add(e.value()));
        kafka.send(topic, values);

        Map<String, String> env = env(run, Map.of("PRODUCTS_TOPIC", kafka.createTopic("it-clean-p", 1),
                "INVENTORY_TOPIC", kafka.createTopic("it-clean-i", 1), "CAMPAIGNS_TOPIC", kafka.createTopic("it-clean-c", 1)));
        env.put("KAFKA_TOPIC", topic);
        env.put("PIPELINE_BATCH_SIZE", "50");
        env.put("CLEAN_EVENTS_ENABLED", "true");
        env.put("CLEAN_EVENTS_TOPIC", clean);
        try (RuntimeProcess runtime = new RuntimeProcess("clean-topic-" + run, env).start()) {
            runtime.awaitStarted();
            Await.until("all placed and committed", Duration.ofSeconds(120), () -> kafka.allCommitted(env.get("KAFKA_GROUP_ID"), topic),
                    done -> done);
        }
        assertEquals(validIds.size(), TestDb.rows(topic));
        // at least once: every accepted event is there, keyed by its id, with the bytes as consumed; no rejected one
        Map<String, byte[]> republished = new HashMap<>();
        Await.until("the clean topic holds every accepted event", Duration.ofSeconds(60), () -> {
            republished.putAll(kafka.readAll(clean));
            return republished.keySet();
        }, keys -> keys.containsAll(validIds));
        assertEquals(validIds, new TreeSet<>(republished.keySet()));
        events.stream().filter(io.ecompipeline.generate.GeneratedEvent::valid).forEach(e ->
                assertTrue(java.util.Arrays.equals(e.value(), republished.get(e.eventId())), e.eventId()));
    }
}
