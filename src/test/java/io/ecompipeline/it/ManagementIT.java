package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.generate.EventGenerator;
import org.junit.jupiter.api.Test;

/**
 * The management side of the real jar: credentials on every endpoint, Jolokia limited to route control, readiness
 * covering the services, suspend/resume of ingestion without loss, the maintenance job, and the start-up refusal of
 * the development password outside development mode.
 */
class ManagementIT extends KafkaAndPostgresIT {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static String routeMbean(String route) {
        return "org.apache.camel:context=ecom-pipeline,type=routes,name=\"" + route + "\"";
    }

    private static String body(Object... keyValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        try {
            return JSON.writeValueAsString(map);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode jolokia(RuntimeProcess runtime, String body) {
        TestHttp.Response r = TestHttp.post(runtime.management() + "/jolokia", body);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static String routeState(RuntimeProcess runtime, String route) {
        return jolokia(runtime, body("type", "read", "mbean", routeMbean(route), "attribute", "State")).path("value").asText();
    }

    private static JsonNode exec(RuntimeProcess runtime, String mbean, String operation) {
        return jolokia(runtime, body("type", "exec", "mbean", mbean, "operation", operation));
    }

    @Test
    void everyEndpointNeedsCredentialsAndJolokiaOnlyControlsRoutes() {
        String topic = kafka.createTopic("it-mgmt-auth", 2);
        try (RuntimeProcess runtime = new RuntimeProcess(topic, Map.of("KAFKA_TOPIC", topic, "KAFKA_GROUP_ID", topic,
                "PIPELINE_METRICS_REFRESH_MS", "1000")).start()) {
            runtime.awaitStarted();
            for (String url : List.of(runtime.api() + "/jobs", runtime.api() + "/dead-letters/summary", runtime.api() + "/quality",
                    runtime.api() + "/openapi.json", runtime.management() + "/health", runtime.management() + "/metrics")) {
                assertEquals(401, TestHttp.getWithoutCredentials(url).status(), url);
            }
            // an unauthenticated suspend changes nothing
            String suspend = body("type", "exec", "mbean", routeMbean("ingest-events"), "operation", "suspend()");
            assertEquals(401, TestHttp.postWithoutCredentials(runtime.management() + "/jolokia", suspend).status());
            // job runs are rows of the shared run table: earlier runs of other tests are there, none of this instance
            assertEquals(401, TestHttp.postWithoutCredentials(runtime.api() + "/jobs/maintenance", null).status());
            assertEquals("Started", routeState(runtime, "ingest-events"));
            assertTrue(!runtime.instanceId().isEmpty(), runtime.tail(20));
            TestHttp.get(runtime.api() + "/jobs?type=maintenance&limit=1000").json().path("runs").forEach(run ->
                    assertNotEquals(runtime.instanceId(), run.path("instance").asText(), run.toString()));

            // allowed: route state and route operations; denied: other MBeans, context operations, writes
            assertEquals(200, exec(runtime, routeMbean("metrics-refresh"), "suspend()").path("status").asInt());
            assertEquals("Suspended", routeState(runtime, "metrics-refresh"));
            assertEquals(200, exec(runtime, routeMbean("metrics-refresh"), "resume()").path("status").asInt());
            assertEquals(403, jolokia(runtime, body("type", "read", "mbean", "java.lang:type=Memory", "attribute", "HeapMemoryUsage"))
                    .path("status").asInt());
            assertEquals(403, exec(runtime, "org.apache.camel:context=ecom-pipeline,type=context,name=\"ecom-pipeline\"", "stop()")
                    .path("status").asInt());
            assertEquals(403, jolokia(runtime, body("type", "write", "mbean", routeMbean("ingest-events"), "attribute", "Tracing",
                    "value", true)).path("status").asInt());
            assertTrue(runtime.isAlive());

            // readiness covers PostgreSQL, Elasticsearch and the Kafka consumer
            TestHttp.Response ready = Await.until("ready", Duration.ofSeconds(60),
                    () -> TestHttp.get(runtime.management() + "/health/ready"), r -> r.status() == 200);
            List<String> checks = new ArrayList<>();
            ready.json().path("checks").forEach(c -> checks.add(c.path("name").asText() + "=" + c.path("status").asText()));
            assertTrue(checks.containsAll(List.of("postgresql=UP", "elasticsearch=UP", "consumer:ingest-events=UP")), checks.toString());

            // metrics and the OpenAPI document
            kafka.send(topic, List.of(new EventGenerator(TestSeeds.fresh(), 0, 0, 10, 5, Clock.systemUTC()).valid("PURCHASE").value()));
            String metrics = Await.until("pipeline metrics exported", Duration.ofSeconds(60),
                    () -> TestHttp.get(runtime.management() + "/metrics").body(),
                    m -> m.contains("ecom_ingest_records") && m.contains("ecom_dead_letters")
                            && m.contains("ecom_kafka_consumer_lag_all_partitions") && m.contains("ecom_ingest_batch_seconds"));
            assertTrue(metrics.contains("camel_exchanges_succeeded_total"), "Camel route metrics exported");
            JsonNode openapi = TestHttp.get(runtime.api() + "/openapi.json").json();
            assertTrue(openapi.path("paths").has("/jobs/{type}") && openapi.path("paths").has("/dead-letters/{id}"), "OpenAPI paths");
        }
    }

    @Test
    void eventsPublishedWhileIngestionIsSuspendedLandExactlyOnceAfterResume() {
        String topic = kafka.createTopic("it-mgmt-suspend", 3);
        EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0, 0, 100, 20, Clock.systemUTC());
        try (RuntimeProcess runtime = new RuntimeProcess(topic, Map.of("KAFKA_TOPIC", topic, "KAFKA_GROUP_ID", topic,
                "PIPELINE_BATCH_MAX_WAIT_MS", "200")).start()) {
            runtime.awaitStarted();
            kafka.send(topic, values(gen, 300));
            Await.until("first events landed", Duration.ofSeconds(60), () -> TestDb.rows(topic), n -> n == 300);

            assertEquals(200, exec(runtime, routeMbean("ingest-events"), "suspend()").path("status").asInt());
            Await.until("route suspended", Duration.ofSeconds(30), () -> routeState(runtime, "ingest-events"), "Suspended"::equals);
            // the route reports Suspended at once; its Kafka consumer pauses after the poll in progress
            // the events route only: the other sources' routes keep consuming (the whole ingestion is quiescent when
            // every ingest route is)
            Await.until("ingest-events quiescent", Duration.ofSeconds(30),
                    () -> TestHttp.get(runtime.api() + "/ingest").json(),
                    j -> j.path("routes").path("ingest-events").path("quiescent").asBoolean());
            long before = TestDb.rows(topic);
            kafka.send(topic, values(gen, 500));
            // observe for a while that nothing is consumed while suspended
            long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < deadline) {
                assertEquals(before, TestDb.rows(topic), "consumed while suspended");
            }

            assertEquals(200, exec(runtime, routeMbean("ingest-events"), "resume()").path("status").asInt());
            Await.until("events published during the suspension landed", Duration.ofSeconds(60),
                    () -> TestDb.rows(topic) == 800 && kafka.allCommitted(topic, topic), done -> done);
            assertEquals(300, before, "nothing published during the suspension was consumed before the resume");
            assertEquals(800, TestDb.count("SELECT count(DISTINCT event_id) FROM raw.events WHERE kafka_topic = ?", topic));
            assertEquals("Started", routeState(runtime, "ingest-events"));

            // the maintenance job runs to success and reports what each file did
            TestHttp.Response started = TestHttp.post(runtime.api() + "/jobs/maintenance", null);
            assertEquals(202, started.status(), started.body());
            String id = started.json().path("id").asText();
            JsonNode run = Await.until("maintenance finished", Duration.ofSeconds(120),
                    () -> TestHttp.get(runtime.api() + "/jobs/" + id).json(), r -> !"running".equals(r.path("status").asText()));
            assertEquals("succeeded", run.path("status").asText(), run.toString());
            assertTrue(run.path("result").path("files").has("30_vacuum_analyze.sql"), run.toString());
            assertEquals(404, TestHttp.post(runtime.api() + "/jobs/no-such-job", null).status());
        }
    }

    @Test
    void theDevelopmentPasswordIsRefusedOutsideDevelopmentMode() {
        try (RuntimeProcess runtime = new RuntimeProcess("it-mgmt-devpw", Map.of("PIPELINE_DEV_MODE", "false")).start()) {
            int exit = runtime.waitForExit(Duration.ofSeconds(60));
            assertEquals(2, exit);
            assertTrue(runtime.logText().contains("cannot start: PIPELINE_API_PASSWORD is the documented development password"),
                    runtime.tail(5));
        }
    }

    private static List<byte[]> values(EventGenerator gen, int n) {
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(gen.valid("PURCHASE").value());
        }
        return values;
    }
}
