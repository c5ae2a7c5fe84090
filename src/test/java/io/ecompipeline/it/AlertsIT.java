package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.ecompipeline.generate.EventGenerator;
import org.junit.jupiter.api.Test;

/**
 * Alerts that behave, held against two real runtimes sharing one database (of its own) and a local HTTP receiver that
 * records every webhook call: a breach (freshness: nothing ingested yet) sends one alert however many checks both
 * instances run and however often the report is read; its end (an event arrives) sends one resolution.
 */
class AlertsIT extends KafkaAndPostgresIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern QUALITY_CHECK_RUNS =
            Pattern.compile("camel_exchanges_total\\{[^}]*routeId=\"quality-check\"[^}]*} ([0-9.eE+]+)");

    @Test
    void oneBreachOneAlertOneResolutionWhateverTheInstancesAndReads() throws Exception {
        String topic = kafka.createTopic("it-alerts", 1);
        try (FreshDatabase db = new FreshDatabase("alerts"); Receiver receiver = new Receiver()) {
            Map<String, String> env = Map.of("PG_URL", db.url(), "KAFKA_TOPIC", topic, "KAFKA_GROUP_ID", topic,
                    "ALERT_WEBHOOK_URL", receiver.url(), "QUALITY_CHECK_INTERVAL", "PT1S", "ES_HEALTH_ENABLED", "false");
            try (RuntimeProcess a = new RuntimeProcess("alerts-a", env).start();
                 RuntimeProcess b = new RuntimeProcess("alerts-b", env).start()) {
                a.awaitLog("started in", Duration.ofSeconds(240));
                b.awaitLog("started in", Duration.ofSeconds(240));

                // both instances check every second and see the same breach: one alert
                Await.until("the freshness breach seen again and again by both instances", Duration.ofSeconds(90),
                        () -> db.count("SELECT coalesce(max(repeats), 0) FROM pipeline.alerts WHERE kind = 'quality' "
                                + "AND cause = 'freshness' AND resolved_at IS NULL"), n -> n >= 6);
                assertEquals(List.of("firing quality/freshness"), receiver.calls(), receiver.bodies().toString());
                JsonNode firing = receiver.bodies().stream().filter(n -> "quality".equals(n.path("kind").asText())).findFirst()
                        .orElseThrow();
                assertTrue(firing.path("text").asText().contains("freshness"), firing.toString());

                // reading the report, from either instance, sends nothing
                for (int i = 0; i < 5; i++) {
                    for (RuntimeProcess runtime : List.of(a, b)) {
                        JsonNode report = TestHttp.get(runtime.api() + "/quality").json();
                        assertTrue(report.path("breached").toString().contains("freshness"), report.toString());
                        assertTrue(report.path("openAlerts").toString().contains("\"cause\":\"freshness\""), report.toString());
                    }
                }
                awaitChecks(a, b, 3);
                assertEquals(List.of("firing quality/freshness"), receiver.calls(), receiver.bodies().toString());

                // an event arrives: the breach ends, one resolution
                EventGenerator generator = new EventGenerator(TestSeeds.fresh(), 0.0, 0.0, 10, 10, Clock.systemUTC());
                kafka.send(topic, List.of(generator.next().value(), generator.next().value()));
                Await.until("the resolution", Duration.ofSeconds(90), receiver::calls, calls -> calls.size() >= 2);
                awaitChecks(a, b, 3);
                assertEquals(List.of("firing quality/freshness", "resolved quality/freshness"), receiver.calls(),
                        receiver.bodies().toString());
                assertEquals(1, db.count("SELECT count(*) FROM pipeline.alerts WHERE kind = 'quality' AND cause = 'freshness' "
                        + "AND resolved_at IS NOT NULL"));
                assertEquals(0, db.count("SELECT count(*) FROM pipeline.alerts WHERE kind = 'quality' AND resolved_at IS NULL"));
            }
        }
    }

    /** Waits until each runtime ran its quality check at least {@code more} more times. */
    private static void awaitChecks(RuntimeProcess a, RuntimeProcess b, int more) {
        for (RuntimeProcess runtime : List.of(a, b)) {
            double before = qualityChecks(runtime);
            Await.until("quality checks on " + runtime.api(), Duration.ofSeconds(60), () -> qualityChecks(runtime),
                    n -> n >= before + more);
        }
    }

    private static double qualityChecks(RuntimeProcess runtime) {
        Matcher m = QUALITY_CHECK_RUNS.matcher(TestHttp.get(runtime.management() + "/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** A local HTTP endpoint standing in for Slack: records every JSON body it receives. */
    private static final class Receiver implements AutoCloseable {

        private final HttpServer server;
        private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    bodies.add(JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
                exchange.sendResponseHeaders(200, 2);
                exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        List<JsonNode> bodies() {
            return new ArrayList<>(bodies);
        }

        /** "status kind/cause" of every data-quality alert call, in order (a job alert would be another story). */
        List<String> calls() {
            return bodies.stream().filter(b -> "quality".equals(b.path("kind").asText()))
                    .map(b -> b.path("status").asText() + " " + b.path("kind").asText() + "/" + b.path("cause").asText()).toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
