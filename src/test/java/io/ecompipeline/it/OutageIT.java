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
        String topic = kafka.createTopic("it-outage-alerts", 1);
        List<JsonNode> webhook = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            webhook.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (TcpProxy pg = new TcpProxy("127.0.0.1", pgPort())) {
            Map<String, String> env = env(topic, pg);
            env.put("DEAD_LETTER_POLL_CRON", "0/1 * * * * ?");
            env.put("ALERT_WEBHOOK_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
            try (RuntimeProcess runtime = new RuntimeProcess(topic, env).start()) {
                runtime.awaitStarted();
                pg.refuse();
                // the redelivery job runs every second: wait for a good number of failed runs
                Await.until("10 failed redelivery runs", Duration.ofSeconds(60),
                        () -> runtime.logText().lines().filter(l -> l.contains("Job redeliver-") && l.contains("failed")).count(),
                        n -> n >= 10);
                assertEquals(1, alertLines(runtime, "firing"), "alert lines while down:\n" + alerts(runtime));
                pg.restore();
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
        }
    }

    private static String alerts(RuntimeProcess runtime) {
        return String.join("\n", runtime.logText().lines().filter(l -> l.contains("ALERT")).toList());
    }

    /** Alert lines about the redelivery job; {@code firing} counts the ones that are not resolutions. */
    private static long alertLines(RuntimeProcess runtime, String status) {
        return runtime.logText().lines()
                .filter(l -> l.contains("ALERT") && l.contains("job-failed") && l.contains("redeliver"))
                .filter(l -> status.equals("resolved") == l.contains("RESOLVED"))
                .count();
    }
}
