package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.generate.EventGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two runtime instances (the real jar, twice) on one Kafka topic, one consumer group, one database and one Quartz
 * cluster, operated as one: a job run started on one is read and refused ("already running") on the other, a schedule
 * firing every 2 seconds runs once per fire, a fleet suspension holds on both (and on a third instance that starts
 * during it) with the events published meanwhile landing exactly once after the resume, and the run of an instance
 * killed mid-job is marked abandoned by the others. Also the probes: without credentials, status only.
 */
class FleetIT extends KafkaAndPostgresIT {

    /** Several JVMs starting at once on two shared cores: generous, it is a wait on a log line, not a sleep. */
    private static final Duration START = Duration.ofSeconds(300);
    private static final String PROBE_UP = "{\"status\":\"UP\"}";

    private static String topic;
    private static Path maintenanceSql;
    private static Map<String, String> env;
    private static RuntimeProcess a;
    private static RuntimeProcess b;
    private static final EventGenerator EVENTS = new EventGenerator(TestSeeds.fresh(), 0, 0, 100, 20, Clock.systemUTC());

    @BeforeAll
    static void startTwoInstances() throws IOException {
        topic = kafka.createTopic("it-fleet", 4);
        // the maintenance job of this fleet: one short statement (the real files VACUUM the shared database)
        maintenanceSql = Files.createTempDirectory("fleet-maintenance");
        Files.writeString(maintenanceSql.resolve("10_pause.sql"), "SELECT pg_sleep(5);\n");
        env = new HashMap<>(Map.of(
                "KAFKA_TOPIC", topic, "KAFKA_GROUP_ID", topic, "KAFKA_CONSUMERS", "1",
                // a Quartz cluster of this test's own: schedules of other runtimes on the database stay apart
                "PIPELINE_SCHEDULER_NAME", topic,
                "DEAD_LETTER_POLL_CRON", "0/2 * * * * ?",
                "PIPELINE_HEARTBEAT_INTERVAL", "PT1S", "PIPELINE_INSTANCE_TIMEOUT", "PT5S",
                "PIPELINE_BATCH_MAX_WAIT_MS", "200",
                "MAINTENANCE_SQL", "file:" + maintenanceSql));
        // route requests are fleet-wide on the database: start from none (a failed earlier run may have left one)
        clearRouteRequests();
        // a: Elasticsearch declared optional for readiness, and unreachable; b: required, and unreachable
        a = start("a", Map.of("ES_HEALTH_ENABLED", "false", "ES_URL", "http://127.0.0.1:1"));
        b = start("b", Map.of("ES_HEALTH_ENABLED", "true", "ES_URL", "http://127.0.0.1:1"));
        a.awaitStarted(START);
        b.awaitStarted(START);
        assertNotEquals(a.instanceId(), b.instanceId());
        Await.until("both instances live in GET /api/routes", START, () -> liveInstances(a), ids ->
                ids.contains(a.instanceId()) && ids.contains(b.instanceId()));
    }

    @AfterAll
    static void stop() {
        for (RuntimeProcess r : new RuntimeProcess[] {a, b}) {
            if (r != null) {
                r.close();
            }
        }
        // the next runtime on this database must not start with its ingestion suspended
        clearRouteRequests();
    }

    private static void clearRouteRequests() {
        TestDb.execute("DELETE FROM pipeline.route_controls WHERE route_id = 'ingest-events'");
    }

    private static RuntimeProcess start(String name, Map<String, String> extra) {
        Map<String, String> e = new HashMap<>(env);
        e.putAll(extra);
        return new RuntimeProcess(topic + "-" + name, e).start();
    }

    @Test
    void probesAnswerWithoutCredentialsWithTheStatusOnlyAndEverythingElseNeedsThem() {
        // a: Elasticsearch is unreachable but optional (ES_HEALTH_ENABLED=false): ready
        assertProbe(a, "/health/live", 200, PROBE_UP);
        assertProbe(a, "/health/ready", 200, PROBE_UP);
        // asking for details without credentials changes nothing
        assertProbe(a, "/health/ready?exposureLevel=full&stackTrace=true", 200, PROBE_UP);
        // b: the same outage with Elasticsearch required: not ready, and says only that
        assertProbe(b, "/health/live", 200, PROBE_UP);
        assertProbe(b, "/health/ready", 503, "{\"status\":\"DOWN\"}");

        for (String url : List.of(a.management() + "/health", a.management() + "/metrics", a.management() + "/info",
                a.api() + "/jobs", a.api() + "/routes")) {
            assertEquals(401, TestHttp.getWithoutCredentials(url).status(), url);
        }
        assertEquals(401, TestHttp.postWithoutCredentials(a.management() + "/jolokia",
                "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\"}").status());
        assertEquals(401, TestHttp.postWithoutCredentials(a.api() + "/routes/ingest-events/suspend", null).status());

        // with credentials the probes answer as Camel does: the checks, Elasticsearch among them only where required
        JsonNode readyB = TestHttp.get(b.management() + "/health/ready").json();
        assertEquals("DOWN", readyB.path("status").asText());
        assertTrue(checks(readyB).contains("elasticsearch=DOWN"), checks(readyB).toString());
        JsonNode readyA = TestHttp.get(a.management() + "/health/ready").json();
        assertEquals("UP", readyA.path("status").asText(), checks(readyA).toString());
        assertTrue(checks(readyA).contains("postgresql=UP"), checks(readyA).toString());
        assertFalse(checks(readyA).stream().anyMatch(c -> c.startsWith("elasticsearch=")), checks(readyA).toString());
        // optional is not hidden: the full health view of a still says Elasticsearch is down
        JsonNode healthA = TestHttp.get(a.management() + "/health").json();
        assertTrue(checks(healthA).contains("elasticsearch=DOWN"), checks(healthA).toString());
    }

    @Test
    void aJobRunStartedOnOneInstanceIsReadAndRefusedOnTheOther() {
        TestHttp.Response started = Await.until("no maintenance running in the fleet", Duration.ofSeconds(60),
                () -> TestHttp.post(a.api() + "/jobs/maintenance", null), r -> r.status() != 409);
        assertEquals(202, started.status(), started.body());
        String id = started.json().path("id").asText();
        assertEquals(a.instanceId(), started.json().path("instance").asText());

        // while it runs (its one file sleeps 5 s), the other instance refuses a second run with this one
        TestHttp.Response refused = TestHttp.post(b.api() + "/jobs/maintenance", null);
        assertEquals(409, refused.status(), refused.body());
        assertEquals(id, refused.json().path("running").path("id").asText());

        JsonNode onB = Await.until("run " + id + " finished, read on b", Duration.ofSeconds(60),
                () -> TestHttp.get(b.api() + "/jobs/" + id).json(), r -> !"running".equals(r.path("status").asText()));
        assertEquals("succeeded", onB.path("status").asText(), onB.toString());
        assertEquals(a.instanceId(), onB.path("instance").asText());
        assertEquals(0, onB.path("result").path("files").path("10_pause.sql").asInt(-1), onB.toString());
        assertEquals(onB, TestHttp.get(a.api() + "/jobs/" + id).json(), "both instances report the same run");

        List<String> listed = new ArrayList<>();
        TestHttp.get(b.api() + "/jobs?type=maintenance&limit=20").json().path("runs").forEach(r -> listed.add(r.path("id").asText()));
        assertTrue(listed.contains(id), listed.toString());
        assertEquals(404, TestHttp.get(b.api() + "/jobs/maintenance-no-such-run").status());
        assertEquals(400, TestHttp.get(b.api() + "/jobs?limit=0").status());
    }

    @Test
    void aScheduleFiringEveryTwoSecondsRunsOncePerFireAcrossTheFleet() {
        Instant t0 = Instant.now();
        String sql = "FROM pipeline.job_runs WHERE job = 'redeliver' AND trigger = 'schedule' AND started_at >= ? "
                + "AND instance IN (?, ?)";
        Await.until("ten scheduled redelivery fires", Duration.ofSeconds(90),
                () -> TestDb.count("SELECT count(*) " + sql, t0.atOffset(ZoneOffset.UTC), a.instanceId(), b.instanceId()),
                n -> n >= 10);
        List<Map<String, Object>> fires = TestDb.rows("SELECT scheduled_for, count(*) AS runs, string_agg(instance, ',') AS "
                + "instances, string_agg(status, ',') AS statuses " + sql + " GROUP BY scheduled_for ORDER BY scheduled_for",
                t0.atOffset(ZoneOffset.UTC), a.instanceId(), b.instanceId());
        assertTrue(fires.size() >= 10, fires.toString());
        for (Map<String, Object> fire : fires) {
            assertTrue(fire.get("scheduled_for") != null, fire.toString());
            assertEquals(1L, ((Number) fire.get("runs")).longValue(), () -> "fire ran more than once: " + fire);
            // skipped: the fire came while the previous pass still ran (recorded, not run twice)
            assertTrue(List.of("succeeded", "skipped").contains(fire.get("statuses")), fire.toString());
        }
        assertTrue(fires.stream().anyMatch(f -> "succeeded".equals(f.get("statuses"))), fires.toString());
        // the fires follow the cron: 2 s apart
        for (int i = 1; i < fires.size(); i++) {
            long gap = Duration.between(instant(fires.get(i - 1).get("scheduled_for")),
                    instant(fires.get(i).get("scheduled_for"))).toMillis();
            assertEquals(0, gap % 2000, "fires on the 2-second grid: " + fires);
        }
    }

    @Test
    void aFleetSuspensionHoldsOnEveryInstanceAlsoOneThatStartsDuringItAndAKilledInstancesRunIsAbandoned()
            throws IOException {
        kafka.send(topic, values(300));
        Await.until("first events landed", Duration.ofSeconds(90), () -> TestDb.rows(topic), n -> n == 300);

        try {
            suspendResumeAndKill();
        } finally {
            TestHttp.post(a.api() + "/routes/ingest-events/resume", null);
        }
    }

    private void suspendResumeAndKill() throws IOException {
        TestHttp.Response suspend = TestHttp.post(a.api() + "/routes/ingest-events/suspend?requestedBy=fleet-it", null);
        assertEquals(202, suspend.status(), suspend.body());
        long version = suspend.json().path("request").path("version").asLong();
        JsonNode route = awaitRoute(b, "both instances suspended and quiescent",
                r -> r.path("quiescent").asBoolean() && reportedBy(r, a, b));
        assertEquals("suspended", route.path("desired").asText());
        for (RuntimeProcess r : List.of(a, b)) {
            JsonNode report = route.path("instances").path(r.instanceId());
            assertEquals("Suspended", report.path("state").asText(), route.toString());
            assertTrue(report.path("consumerPaused").asBoolean(), route.toString());
            assertEquals(version, report.path("appliedVersion").asLong(), route.toString());
            // Jolokia still answers per instance
            assertEquals("Suspended", jolokiaState(r, "ingest-events"));
        }
        // a suspended route is deliberate: the instance stays ready (a is ready without Elasticsearch)
        assertProbe(a, "/health/ready", 200, PROBE_UP);

        // a third instance starting now honours the suspension: its consumer never starts
        Path slowSql = Files.createTempDirectory("fleet-slow-maintenance");
        Files.writeString(slowSql.resolve("10_long.sql"), "SELECT pg_sleep(40);\n");
        try (RuntimeProcess c = start("c", Map.of("ES_HEALTH_ENABLED", "false", "MAINTENANCE_SQL", "file:" + slowSql))) {
            c.awaitStarted(START);
            JsonNode withC = awaitRoute(a, "the third instance reported the suspended route",
                    r -> r.path("quiescent").asBoolean() && reportedBy(r, a, b, c));
            assertEquals("Stopped", withC.path("instances").path(c.instanceId()).path("state").asText(), withC.toString());
            assertTrue(c.logText().contains("the fleet has suspended [ingest-events]"), c.tail(20));

            long before = TestDb.rows(topic);
            kafka.send(topic, values(500));
            // observe for a while that no instance consumes while the fleet is suspended
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                assertEquals(before, TestDb.rows(topic), "consumed while the fleet was suspended");
            }
            assertEquals(300, before);

            TestHttp.Response resume = TestHttp.post(c.api() + "/routes/ingest-events/resume", null);
            assertEquals(202, resume.status(), resume.body());
            JsonNode started = awaitRoute(b, "all three instances started the route again",
                    r -> "Started".equals(r.path("state").asText()) && r.path("applied").asBoolean() && reportedBy(r, a, b, c));
            assertEquals("started", started.path("desired").asText());
            Await.until("events published during the suspension landed", Duration.ofSeconds(120),
                    () -> TestDb.rows(topic) == 800 && kafka.allCommitted(topic, topic), done -> done);
            assertEquals(800, TestDb.count("SELECT count(DISTINCT event_id) FROM raw.events WHERE kafka_topic = ?", topic));
            assertEquals(0, TestDb.deadLetters(topic));

            // c runs a long job and is killed (SIGKILL, no shutdown hook): the others mark its run abandoned
            TestHttp.Response long0 = Await.until("no maintenance running", Duration.ofSeconds(60),
                    () -> TestHttp.post(c.api() + "/jobs/maintenance", null), r -> r.status() != 409);
            assertEquals(202, long0.status(), long0.body());
            String id = long0.json().path("id").asText();
            String lost = c.instanceId();
            assertEquals("running", TestHttp.get(a.api() + "/jobs/" + id).json().path("status").asText());
            c.kill();
            JsonNode abandoned = Await.until("the killed instance's run marked abandoned", Duration.ofSeconds(60),
                    () -> TestHttp.get(a.api() + "/jobs/" + id).json(), r -> !"running".equals(r.path("status").asText()));
            assertEquals("abandoned", abandoned.path("status").asText(), abandoned.toString());
            assertEquals(lost, abandoned.path("instance").asText());
            assertTrue(abandoned.path("error").asText().contains(lost), abandoned.toString());
            assertTrue(a.logText().contains("Job run " + id) || b.logText().contains("Job run " + id),
                    "an instance logged the abandoned run");
            // the job is free again, and the dead instance no longer counts as live
            TestHttp.Response again = TestHttp.post(b.api() + "/jobs/maintenance", null);
            assertEquals(202, again.status(), again.body());
            assertFalse(liveInstances(a).contains(lost));
            String againId = again.json().path("id").asText();
            Await.until("the new maintenance run finished", Duration.ofSeconds(60),
                    () -> TestHttp.get(a.api() + "/jobs/" + againId).json().path("status").asText(), s -> !"running".equals(s));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void assertProbe(RuntimeProcess runtime, String path, int status, String body) {
        TestHttp.Response r = TestHttp.getWithoutCredentials(runtime.management() + path);
        assertEquals(status, r.status(), path + ": " + r.body());
        assertEquals(body, r.body(), path);
    }

    private static List<String> checks(JsonNode health) {
        List<String> checks = new ArrayList<>();
        health.path("checks").forEach(c -> checks.add(c.path("name").asText() + "=" + c.path("status").asText()));
        return checks;
    }

    private static List<String> liveInstances(RuntimeProcess via) {
        List<String> ids = new ArrayList<>();
        TestHttp.get(via.api() + "/routes").json().path("instances").forEach(i -> {
            if (i.path("live").asBoolean()) {
                ids.add(i.path("id").asText());
            }
        });
        return ids;
    }

    private static JsonNode awaitRoute(RuntimeProcess via, String what, java.util.function.Predicate<JsonNode> done) {
        return via.awaitRoute("ingest-events", what, Duration.ofSeconds(120), done);
    }

    private static boolean reportedBy(JsonNode route, RuntimeProcess... instances) {
        for (RuntimeProcess r : instances) {
            if (!route.path("instances").has(r.instanceId())) {
                return false;
            }
        }
        return true;
    }

    private static String jolokiaState(RuntimeProcess runtime, String routeId) {
        TestHttp.Response r = TestHttp.post(runtime.management() + "/jolokia", "{\"type\":\"read\",\"mbean\":"
                + "\"org.apache.camel:context=ecom-pipeline,type=routes,name=\\\"" + routeId + "\\\"\",\"attribute\":\"State\"}");
        assertEquals(200, r.status(), r.body());
        return r.json().path("value").asText();
    }

    private static List<byte[]> values(int n) {
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(EVENTS.valid("PURCHASE").value());
        }
        return values;
    }

    private static Instant instant(Object timestamptz) {
        return timestamptz instanceof java.sql.Timestamp t ? t.toInstant() : ((java.time.OffsetDateTime) timestamptz).toInstant();
    }
}
