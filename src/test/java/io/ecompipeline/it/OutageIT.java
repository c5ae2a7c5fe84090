package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real jar while PostgreSQL is out of its reach (a {@link TcpProxy} between them refuses or swallows every
 * connection; the shared server keeps running for everyone else): readiness still answers within about a second, and
 * a cause of alerts is reported once when it starts and once when it ends, not once per failed run.
 */
class OutageIT {

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

    private static Map<String, String> env(String topic, TcpProxy pg) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_TOPIC", topic);
        env.put("KAFKA_GROUP_ID", topic);
        env.put("PG_URL", LocalServices.PG_URL.replaceFirst("//[^/]+/", "//127.0.0.1:" + pg.port() + "/"));
        return env;
    }

    private static int pgPort() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("//[^:/]+:(\\d+)/").matcher(LocalServices.PG_URL);
        return m.find() ? Integer.parseInt(m.group(1)) : 5432;
    }

    private record Timed(TestHttp.Response response, long millis) {
    }

    private static Timed ready(RuntimeProcess runtime) {
        long started = System.nanoTime();
        TestHttp.Response r = TestHttp.get(runtime.management() + "/health/ready");
        return new Timed(r, (System.nanoTime() - started) / 1_000_000);
    }

    private static boolean postgresDown(TestHttp.Response r) {
        if (r.status() != 503) {
            return false;
        }
        for (JsonNode check : r.json().path("checks")) {
            if (check.path("name").asText().equals("postgresql")) {
                return check.path("status").asText().equals("DOWN");
            }
        }
        return false;
    }

    @Test
    void readinessAnswersWithinASecondWhilePostgresIsDownOrHanging() {
        String topic = kafka.createTopic("it-outage-ready", 1);
        try (TcpProxy pg = new TcpProxy("127.0.0.1", pgPort());
             RuntimeProcess runtime = new RuntimeProcess(topic, env(topic, pg)).start()) {
            runtime.awaitStarted();
            Await.until("ready", Duration.ofSeconds(60), () -> ready(runtime).response().status(), s -> s == 200);
            for (Runnable cut : List.<Runnable>of(pg::refuse, pg::blackhole)) {
                cut.run();
                List<Long> durations = new CopyOnWriteArrayList<>();
                Await.until("readiness reports postgresql DOWN", Duration.ofSeconds(30), () -> {
                    Timed t = ready(runtime);
                    durations.add(t.millis());
                    return t.response();
                }, OutageIT::postgresDown);
                for (int i = 0; i < 5; i++) {
                    Timed t = ready(runtime);
                    durations.add(t.millis());
                    assertTrue(postgresDown(t.response()), t.response().body());
                }
                long worst = durations.stream().mapToLong(Long::longValue).max().orElse(0);
                assertTrue(worst < 1500, "readiness took up to " + worst + " ms while PostgreSQL was away: " + durations);
                pg.restore();
                Await.until("ready again", Duration.ofSeconds(60), () -> ready(runtime).response().status(), s -> s == 200);
            }
        }
    }

    @Test
    void anOutageRaisesOneAlertWhenItStartsAndOneWhenItEnds() throws IOException {
        // the outage is Elasticsearch's: the index job (every second) fails on every run while it is out of reach. A
        // PostgreSQL outage no longer fails scheduled jobs: the clustered schedule lives in PostgreSQL and does not
        // fire at all while it is unreachable (readinessAnswersWithinASecond covers that outage).
        String topic = kafka.createTopic("it-outage-alerts", 1);
        List<JsonNode> webhook = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            webhook.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        // an hour pending for Elasticsearch (one nobody else uses), so that every index run has something to send
        long hour = 946_684_800L + 3600L * (System.nanoTime() % 8760);
        String pendingHour = java.time.Instant.ofEpochSecond(hour).toString();
        TestDb.execute("INSERT INTO pipeline.es_pending_hours (event_hour) VALUES (?::timestamptz) ON CONFLICT DO NOTHING",
                pendingHour);
        // alert episodes are shared through PostgreSQL: one left open by an earlier run would hold this one back
        TestDb.execute("UPDATE pipeline.alerts SET resolved_at = now(), resolution = 'closed by OutageIT' "
                + "WHERE kind = 'job-failed' AND cause = 'index' AND resolved_at IS NULL");
        String[] es = LocalServices.ES_HOSTS.split(":");
        try (TcpProxy proxy = new TcpProxy(es[0], Integer.parseInt(es[1]))) {
            Map<String, String> env = new HashMap<>();
            env.put("KAFKA_TOPIC", topic);
            env.put("KAFKA_GROUP_ID", topic);
            env.put("ES_HOSTS", "127.0.0.1:" + proxy.port());
            env.put("ES_URL", "http://127.0.0.1:" + proxy.port());
            env.put("ES_HEALTH_ENABLED", "false");
            env.put("INDEX_CRON", "0/1 * * * * ?");
            env.put("ALERT_WEBHOOK_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
            try (RuntimeProcess runtime = new RuntimeProcess(topic, env).start()) {
                runtime.awaitStarted();
                proxy.refuse();
                Await.until("10 failed index runs", Duration.ofSeconds(90),
                        () -> runtime.logText().lines().filter(l -> l.contains("Job index-") && l.contains("failed")).count(),
                        n -> n >= 10);
                assertEquals(1, alertLines(runtime, "firing"), "alert lines while down:\n" + alerts(runtime));
                proxy.restore();
                Await.until("the end of the outage is reported", Duration.ofSeconds(60),
                        () -> alertLines(runtime, "resolved"), n -> n >= 1);
                Await.until("webhook calls delivered", Duration.ofSeconds(30), () -> webhook.size(), n -> n >= 2);
                assertEquals(1, alertLines(runtime, "firing"), alerts(runtime));
                assertEquals(1, alertLines(runtime, "resolved"), alerts(runtime));
                List<String> statuses = webhook.stream().filter(w -> w.path("kind").asText().equals("job-failed"))
                        .map(w -> w.path("status").asText()).toList();
                assertEquals(List.of("firing", "resolved"), statuses, webhook.toString());
            }
        } finally {
            receiver.stop(0);
            TestDb.execute("DELETE FROM pipeline.es_pending_hours WHERE event_hour = ?::timestamptz", pendingHour);
        }
    }

    private static String alerts(RuntimeProcess runtime) {
        return String.join("\n", runtime.logText().lines().filter(l -> l.contains("ALERT")).toList());
    }

    /** Alert lines about the index job; {@code firing} counts the ones that are not resolutions. */
    private static long alertLines(RuntimeProcess runtime, String status) {
        return runtime.logText().lines()
                .filter(l -> l.contains("ALERT") && l.contains("job-failed") && l.contains("index"))
                .filter(l -> status.equals("resolved") == l.contains("RESOLVED"))
                .count();
    }
}
