package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ecompipeline.generate.EventGenerator;
import org.junit.jupiter.api.Test;

/**
 * The metrics contract of deploy/METRICS.md, which the Prometheus rules and the Grafana dashboard are checked against
 * (scripts/check-deploy.sh), held against a real runtime: after it has placed batches and run a job, every metric the
 * contract lists is on its /observe/metrics, and none that the contract says was removed.
 */
class MetricsContractIT extends KafkaAndPostgresIT {

    /** A table row of METRICS.md: | `name` | type | labels | meaning | status |. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_:]+)` \\|[^|]*\\|[^|]*\\|[^|]*\\| ([a-z]+)");

    @Test
    void everyContractedMetricIsExposedAndNoRemovedOneIs() throws Exception {
        Map<String, List<String>> contract = contract();
        assertTrue(contract.get("required").size() > 20, "contract parsed: " + contract);

        String topic = kafka.createTopic("it-metrics", 2);
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0.2, 0, 50, 10, Clock.systemUTC());
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            values.add(gen.next().value());
        }
        kafka.send(topic, values);
        try (RuntimeProcess runtime = new RuntimeProcess(topic, Map.of("KAFKA_TOPIC", topic, "KAFKA_GROUP_ID", topic,
                "PIPELINE_METRICS_REFRESH", "PT1S", "ES_HEALTH_ENABLED", "false")).start()) {
            runtime.awaitStarted();
            Await.until("every record placed", Duration.ofSeconds(90),
                    () -> TestDb.rows(topic) + TestDb.deadLetters(topic), n -> n == values.size());
            String runId = TestHttp.post(runtime.api() + "/jobs/maintenance", "").json().path("id").asText();
            Await.until("the maintenance job finished", Duration.ofSeconds(60),
                    () -> TestHttp.get(runtime.api() + "/jobs/" + runId).json().path("status").asText(), s -> !"running".equals(s));

            Set<String> exposed = new TreeSet<>();
            Await.until("job and pool metrics exposed", Duration.ofSeconds(30), () -> {
                exposed.clear();
                exposed.addAll(names(TestHttp.get(runtime.management() + "/metrics").body()));
                return exposed;
            }, names -> names.contains("ecom_job_runs_total") && names.stream().anyMatch(n -> n.startsWith("hikaricp_")));

            List<String> missing = contract.get("required").stream().filter(name -> !isExposed(name, exposed)).toList();
            assertEquals(List.of(), missing, "contracted in deploy/METRICS.md but not exposed; exposed: " + exposed);
            for (String removed : contract.get("removed")) {
                assertFalse(isExposed(removed, exposed), removed + " is marked 'remove' in deploy/METRICS.md but still exposed");
            }
        }
    }

    /** Metric names of a Prometheus text exposition. */
    private static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /** A histogram or summary is exposed as its _bucket/_count/_sum/_max series. */
    private static boolean isExposed(String name, Set<String> exposed) {
        return exposed.contains(name) || exposed.stream().anyMatch(n -> n.equals(name + "_bucket") || n.equals(name + "_count"));
    }

    /** Names by status: required (exists, add, change) and removed (remove); synthetic ones are Prometheus's own. */
    private static Map<String, List<String>> contract() throws Exception {
        List<String> required = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("deploy", "METRICS.md"))) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                switch (m.group(2)) {
                    case "remove", "removed" -> removed.add(m.group(1));
                    case "synthetic" -> { }
                    default -> required.add(m.group(1));
                }
            }
        }
        return Map.of("required", required, "removed", removed);
    }
}
