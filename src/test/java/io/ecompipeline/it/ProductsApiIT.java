package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The products REST API poll (route products-api-poll, camel-http) against a local HTTP server this test starts: paged
 * fixture JSON with broken items, then a 500 answer, then garbage, then a price change. Good items land once, broken
 * ones are dead letters once (not once per poll), unchanged products change nothing, a failed poll is a log line and a
 * metric, and the route keeps polling: the next good poll lands the change.
 */
class ProductsApiIT extends KafkaAndPostgresIT {

    /** One HTTP answer of the fake API. */
    private record Answer(int status, String body) {
    }

    private HttpServer server;
    private final AtomicReference<IntFunction<Answer>> behaviour = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> queries = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/products", exchange -> {
            requests.incrementAndGet();
            String query = exchange.getRequestURI().getQuery();
            queries.add(query);
            int offset = 0;
            Matcher m = Pattern.compile("offset=(\\d+)").matcher(query == null ? "" : query);
            if (m.find()) {
                offset = Integer.parseInt(m.group(1));
            }
            Answer answer = behaviour.get().apply(offset);
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static String item(String id, String title, String price) {
        return "{\"id\": \"" + id + "\", \"title\": \"" + title + "\", \"price\": " + price + ", \"cost\": 10, "
                + "\"description\": \"ignored\", \"category\": \"home\", \"image\": \"https://example.com/x.png\", "
                + "\"rating\": {\"rate\": 4.1, \"count\": 17}}";
    }

    /** The catalog: three pages of three items (page size 3), the last page empty. */
    private static IntFunction<Answer> catalog(String run, String deskPrice) {
        return offset -> switch (offset) {
            case 0 -> new Answer(200, "[" + item(run + "-1", "Lamp " + run, "19.99") + ", " + item(run + "-2", "Desk " + run, deskPrice)
                    + ", {\"id\": \"" + run + "-4\", \"title\": \"Bad price " + run + "\", \"price\": \"abc\", \"category\": \"home\"}]");
            case 3 -> new Answer(200, "[" + item(run + "-3", "Chair " + run, "49") + ", \"garbage-" + run + "\", "
                    + "{\"title\": \"Nameless " + run + "\", \"price\": 3, \"category\": \"home\"}]");
            default -> new Answer(200, "[]");
        };
    }

    private static long metric(RuntimeProcess runtime, String outcome) {
        String scrape = TestHttp.get(runtime.management() + "/metrics").body();
        Matcher m = Pattern.compile("^ecom_products_api_polls_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} ([0-9.E]+)$",
                Pattern.MULTILINE).matcher(scrape);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void goodItemsLandOnceBadOnesAreDeadLettersAndAFailedPollNeitherLosesNorStopsAnything() {
        String run = "API" + Long.toString(System.nanoTime(), 36);
        String prefix = "P-";
        behaviour.set(catalog(run, "120.00"));
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_TOPIC", kafka.createTopic("it-api-events", 1));
        env.put("KAFKA_GROUP_ID", "it-api-" + run);
        env.put("PRODUCTS_TOPIC", kafka.createTopic("it-api-products", 1));
        env.put("PRODUCTS_GROUP_ID", "it-api-products-" + run);
        env.put("PRODUCTS_API_ENABLED", "true");
        env.put("PRODUCTS_API_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/products");
        env.put("PRODUCTS_API_CRON", "0/2 * * * * ?");
        env.put("PRODUCTS_API_PAGE_SIZE", "3");
        env.put("PRODUCTS_API_TIMEOUT", "PT5S");
        env.put("PIPELINE_METRICS_REFRESH_MS", "1000");
        String rows = "SELECT count(*) FROM raw.products WHERE product_id LIKE ?";
        String deadLetters = "SELECT count(*) FROM pipeline.dead_letters WHERE source = 'products' AND source_topic = 'api:products' "
                + "AND convert_from(payload, 'UTF8') LIKE ?";
        String ours = prefix + run + "-%";
        String mark = "%" + run + "%";

        try (RuntimeProcess runtime = new RuntimeProcess("products-api-" + run, env).start()) {
            runtime.awaitStarted();
            Await.until("a successful poll", Duration.ofSeconds(60), () -> metric(runtime, "succeeded"), n -> n >= 1);
            assertEquals(3, TestDb.count(rows, ours), "the three good items");
            assertEquals(3, TestDb.count(deadLetters, mark), "one dead letter per broken item");
            assertEquals(List.of("schema.type", "schema.required", "malformed.not_object"), TestDb.rows(
                    "SELECT reasons->0->>'rule' AS rule "
                    + "FROM pipeline.dead_letters WHERE source_topic = 'api:products' AND convert_from(payload, 'UTF8') LIKE ? "
                    + "ORDER BY reasons->0->>'rule' DESC", mark).stream().map(r -> r.get("rule")).toList());
            // the mapping: API id with the prefix, rating.rate / rating.count, the default currency; extra fields dropped
            Map<String, Object> lamp = TestDb.rows("SELECT title, price, cost, currency, rating, rating_count, payload::text AS payload "
                    + "FROM raw.products WHERE product_id = ?", prefix + run + "-1").get(0);
            assertEquals(0, new BigDecimal("19.99").compareTo((BigDecimal) lamp.get("price")));
            assertEquals(0, new BigDecimal("4.1").compareTo((BigDecimal) lamp.get("rating")));
            assertEquals(17, ((Number) lamp.get("rating_count")).intValue());
            assertEquals("EUR", lamp.get("currency"));
            assertTrue(!((String) lamp.get("payload")).contains("image"), "fields outside the contract are not mapped");
            // it paged: limit and offset on every request, stopping at the empty page
            assertTrue(queries.contains("limit=3&offset=0") && queries.contains("limit=3&offset=3")
                    && queries.contains("limit=3&offset=6"), queries.toString());

            // more polls of the same catalog: nothing changes, broken items are not dead-lettered again
            long polled = metric(runtime, "succeeded");
            Await.until("two more polls", Duration.ofSeconds(60), () -> metric(runtime, "succeeded"), n -> n >= polled + 2);
            assertEquals(3, TestDb.count(rows, ours));
            assertEquals(3, TestDb.count(deadLetters, mark));

            // the API fails: 500, then garbage; each is a failed poll, logged and counted; nothing stored changes
            behaviour.set(offset -> new Answer(500, "{\"error\": \"maintenance\"}"));
            long failedBefore = metric(runtime, "failed");
            Await.until("a failed poll (500)", Duration.ofSeconds(60), () -> metric(runtime, "failed"), n -> n >= failedBefore + 1);
            runtime.awaitLog("Products API poll failed at page 0", Duration.ofSeconds(10));
            assertTrue(runtime.logText().contains("statusCode: 500"), runtime.tail(20));
            behaviour.set(offset -> new Answer(200, "<html><body>Service Unavailable</body></html>"));
            long failedAfter500 = metric(runtime, "failed");
            Await.until("a failed poll (garbage)", Duration.ofSeconds(60), () -> metric(runtime, "failed"),
                    n -> n >= failedAfter500 + 1);
            runtime.awaitLog("page 0 is not JSON (<html><body>Service Unavailable", Duration.ofSeconds(10));
            assertEquals(3, TestDb.count(rows, ours));
            assertEquals(3, TestDb.count(deadLetters, mark));
            assertTrue(runtime.isAlive());

            // back, with the desk's price changed: the next poll stores exactly that change
            behaviour.set(catalog(run, "99.50"));
            Await.until("the price change stored", Duration.ofSeconds(60), () -> TestDb.count(rows, ours), n -> n == 4);
            List<Map<String, Object>> desk = TestDb.rows("SELECT price FROM raw.products WHERE product_id = ? ORDER BY updated_at",
                    prefix + run + "-2");
            assertEquals(2, desk.size());
            assertEquals(0, new BigDecimal("120.00").compareTo((BigDecimal) desk.get(0).get("price")));
            assertEquals(0, new BigDecimal("99.50").compareTo((BigDecimal) desk.get(1).get("price")));
            long after = metric(runtime, "succeeded");
            Await.until("another poll", Duration.ofSeconds(60), () -> metric(runtime, "succeeded"), n -> n >= after + 1);
            assertEquals(4, TestDb.count(rows, ours));
            assertEquals(3, TestDb.count(deadLetters, mark));
            assertTrue(requests.get() > 10);

            // the maintenance window suspends the poll like any source route: no request while suspended, polls after
            String poll = runtime.api() + "/routes/products-api-poll";
            TestHttp.Response suspend = TestHttp.post(poll + "/suspend?requestedBy=products-api-it", null);
            assertEquals(202, suspend.status(), suspend.body());
            JsonNode suspended = awaitRoute(runtime, "the poll suspended and quiescent", r -> r.path("quiescent").asBoolean()
                    && "Suspended".equals(r.path("instances").path(runtime.instanceId()).path("state").asText()));
            assertEquals("suspended", suspended.path("desired").asText());
            int atSuspend = requests.get();
            long polledAtSuspend = metric(runtime, "succeeded");
            // observe three cron periods (2 s each): the API is not asked
            long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            while (System.nanoTime() < deadline) {
                assertEquals(atSuspend, requests.get(), "the API was polled while the route was suspended");
            }
            assertEquals(polledAtSuspend, metric(runtime, "succeeded"));

            TestHttp.Response resume = TestHttp.post(poll + "/resume?requestedBy=products-api-it", null);
            assertEquals(202, resume.status(), resume.body());
            awaitRoute(runtime, "the poll started again", r -> "Started".equals(r.path("state").asText()) && r.path("applied").asBoolean());
            Await.until("a poll after the resume", Duration.ofSeconds(60), () -> metric(runtime, "succeeded"), n -> n > polledAtSuspend);
            assertTrue(requests.get() > atSuspend);
            assertEquals(4, TestDb.count(rows, ours), "nothing changed in the catalog: nothing stored");
            assertEquals(3, TestDb.count(deadLetters, mark));
        }
    }

    private static JsonNode awaitRoute(RuntimeProcess runtime, String what, java.util.function.Predicate<JsonNode> done) {
        return runtime.awaitRoute("products-api-poll", what, Duration.ofSeconds(60), done);
    }
}
