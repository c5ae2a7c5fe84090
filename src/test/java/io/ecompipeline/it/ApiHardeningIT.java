package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP servers of the real jar answer to bad input: query parameters PostgreSQL cannot take are 400s with a
 * message naming the parameter (never 500s), a malformed Basic header is an unauthenticated request (401, at most one
 * short log line), Jolokia only answers POSTs and only shows Camel MBeans to {@code search}, and the management server's
 * own errors (401, 404, 405, 406) are problem details like the REST API's while its health and metrics answers stay as
 * probes, Prometheus and Airflow read them.
 */
class ApiHardeningIT {

    private static TestKafka kafka;
    private static RuntimeProcess runtime;

    @BeforeAll
    static void start() {
        kafka = new TestKafka();
        String topic = kafka.createTopic("it-api-hardening", 1);
        runtime = new RuntimeProcess(topic, Map.of("KAFKA_TOPIC", topic, "KAFKA_GROUP_ID", topic)).start();
        runtime.awaitStarted();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        kafka.close();
    }

    private static void assertBadRequest(TestHttp.Response r, String parameter) {
        assertEquals(400, r.status(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        String detail = r.json().path("detail").asText();
        assertTrue(detail.contains(parameter), "the problem's detail names " + parameter + ": " + detail);
    }

    @Test
    void parametersPostgresCannotTakeAreBadRequestsNotServerErrors() {
        String list = runtime.api() + "/dead-letters";
        assertBadRequest(TestHttp.get(list + "?rule=%00"), "rule");
        assertBadRequest(TestHttp.get(list + "?rule=schema.%00format"), "rule");
        assertBadRequest(TestHttp.get(list + "?errorClass=%00"), "errorClass");
        assertBadRequest(TestHttp.get(list + "?since=%2B999999999-12-31T23:59:59Z"), "since");
        assertBadRequest(TestHttp.get(list + "?since=+999999999-12-31T23:59:59Z"), "since");
        assertBadRequest(TestHttp.get(list + "?since=-999999999-01-01T00:00:00Z"), "since");
        assertBadRequest(TestHttp.get(list + "?until=%2B10000-01-01T00:00:00Z"), "until");
        assertBadRequest(TestHttp.get(list + "?until=-0001-01-01T00:00:00Z"), "until");
        assertBadRequest(TestHttp.post(runtime.api() + "/dead-letters/999999999999/park?note=%00", null), "note");
        assertBadRequest(TestHttp.post(runtime.api() + "/dead-letters/999999999999/discard?note=a%00b", null), "note");
        // the edges of the range still work
        assertEquals(200, TestHttp.get(list + "?since=0001-01-01T00:00:00Z&until=9999-12-31T23:59:59Z").status());
        assertEquals(200, TestHttp.get(list + "?rule=schema.format").status());
        assertFalse(runtime.logText().contains("timestamp out of range"), runtime.tail(20));
    }

    @Test
    void aMalformedBasicHeaderIsUnauthenticatedWithoutAStackTrace() {
        int before = runtime.logText().split("\n").length;
        List<String> urls = List.of(runtime.api() + "/jobs", runtime.management() + "/health");
        for (String header : List.of("Basic !!!", "Basic", "Basic ====", "Basic " + "x".repeat(3))) {
            for (String url : urls) {
                TestHttp.Response r = TestHttp.request("GET", url, Map.of("Authorization", header), null);
                assertProblem(r, 401, null);
                assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"),
                        "a 401 names the scheme: " + r.headers().map());
            }
        }
        // a wrong password is a 401 as before
        assertEquals(401, TestHttp.request("GET", urls.get(0), Map.of("Authorization", "Basic b3BlcmF0b3I6d3Jvbmc="), null).status());
        // wait until the servers have surely logged whatever they log for these requests (a request after them)
        assertEquals(200, TestHttp.get(runtime.api() + "/jobs").status());
        String[] lines = runtime.logText().split("\n");
        // what the HTTP servers logged meanwhile (start-up may still be logging on other threads)
        List<String> added = new ArrayList<>(List.of(lines).subList(before, lines.length).stream()
                .filter(l -> l.contains("eventloop") || l.contains("vert.x") || l.startsWith("\tat ") || l.contains("Exception")
                        || l.contains("HttpServerGuards"))
                .toList());
        assertTrue(added.stream().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), String.join("\n", added));
        assertTrue(added.stream().noneMatch(l -> l.contains(" ERROR ")), String.join("\n", added));
        assertTrue(added.size() <= 8, "at most one short line per malformed request:\n" + String.join("\n", added));
    }

    private static TestHttp.Response jolokiaPost(String body) {
        return TestHttp.post(runtime.management() + "/jolokia", body);
    }

    @Test
    void jolokiaAnswersOnlyPostsAndSearchShowsOnlyCamelMBeans() {
        // POST only: neither version nor anything else over GET
        for (String path : List.of("/jolokia", "/jolokia/", "/jolokia/version", "/jolokia/search/java.lang:*",
                "/jolokia/read/org.apache.camel:context=ecom-pipeline,type=context,name=%22ecom-pipeline%22/State")) {
            TestHttp.Response r = TestHttp.get(runtime.management() + path);
            boolean refused = r.status() == 403 || r.status() == 405 || r.body().contains("\"status\":403");
            assertTrue(refused, "GET " + path + " answered " + r.status() + " " + r.body());
            assertFalse(r.body().contains("\"agent\"") || r.body().contains("\"protocol\""), "version leaked: " + r.body());
        }
        // search: Camel MBeans only, whatever the pattern
        JsonNode all = jolokiaPost("{\"type\":\"search\",\"mbean\":\"*:*\"}").json();
        assertEquals(200, all.path("status").asInt(), all.toString());
        assertTrue(all.path("value").size() > 0, all.toString());
        all.path("value").forEach(name -> assertTrue(name.asText().startsWith("org.apache.camel:"), "search showed " + name));
        JsonNode jvm = jolokiaPost("{\"type\":\"search\",\"mbean\":\"java.lang:*\"}").json();
        assertEquals(0, jvm.path("value").size(), jvm.toString());
        JsonNode routes = jolokiaPost("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}").json();
        assertTrue(routes.path("value").size() > 0, routes.toString());
        // what operators use still works over POST
        JsonNode state = jolokiaPost("{\"type\":\"read\",\"mbean\":\"org.apache.camel:context=ecom-pipeline,type=routes,"
                + "name=\\\"ingest-events\\\"\",\"attribute\":\"State\"}").json();
        assertEquals("Started", state.path("value").asText(), state.toString());
        assertNotEquals(200, jolokiaPost("{\"type\":\"list\"}").json().path("status").asInt(), "list stays denied");
        Await.until("runtime alive", Duration.ofSeconds(5), runtime::isAlive, alive -> alive);
    }

    /** A problem of RFC 9457 whose status member is the HTTP status, at {@code instance} when given. */
    private static void assertProblem(TestHttp.Response r, int status, String instance) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0].trim(),
                r.headers().map() + " " + r.body());
        JsonNode problem = r.json();
        assertEquals(status, problem.path("status").asInt(), r.body());
        for (String member : List.of("type", "title", "detail", "instance")) {
            assertFalse(problem.path(member).asText().isBlank(), member + " in " + r.body());
        }
        if (instance != null) {
            assertEquals(instance, problem.path("instance").asText(), r.body());
        }
    }

    @Test
    void theManagementServersErrorsAreProblemDetails() {
        String observe = runtime.management();
        String root = observe.substring(0, observe.length() - "/observe".length());

        // unknown paths, under the server's path and outside it
        TestHttp.Response unknown = TestHttp.get(observe + "/no-such-thing");
        assertProblem(unknown, 404, "/observe/no-such-thing");
        assertTrue(unknown.json().path("detail").asText().contains("/observe/health"), "the 404 names what there is: " + unknown.body());
        assertProblem(TestHttp.get(root + "/no-such-thing"), 404, "/no-such-thing");
        assertProblem(TestHttp.get(root + "/"), 404, "/");

        // a method the path does not take: 405 with Allow
        TestHttp.Response postHealth = TestHttp.post(observe + "/health", null);
        assertProblem(postHealth, 405, "/observe/health");
        assertEquals("GET", postHealth.headers().firstValue("Allow").orElse(""), postHealth.headers().map().toString());
        TestHttp.Response getJolokia = TestHttp.get(observe + "/jolokia");
        assertProblem(getJolokia, 405, "/observe/jolokia");
        assertEquals("POST", getJolokia.headers().firstValue("Allow").orElse(""), getJolokia.headers().map().toString());
        assertProblem(TestHttp.request("DELETE", observe + "/jolokia/read/java.lang:type=Memory", Map.of(), null), 405,
                "/observe/jolokia/read/java.lang:type=Memory");

        // a media type the health check does not produce
        assertProblem(TestHttp.request("GET", observe + "/health", Map.of("Accept", "text/html"), null), 406, "/observe/health");

        // no credentials: 401 with the challenge, wherever
        for (TestHttp.Response anonymous : List.of(TestHttp.postWithoutCredentials(observe + "/jolokia", "{\"type\":\"version\"}"),
                TestHttp.getWithoutCredentials(observe + "/jolokia"), TestHttp.getWithoutCredentials(observe + "/health"),
                TestHttp.getWithoutCredentials(observe + "/metrics"), TestHttp.getWithoutCredentials(observe + "/no-such-thing"),
                TestHttp.getWithoutCredentials(root + "/no-such-thing"))) {
            assertProblem(anonymous, 401, null);
            assertEquals("Basic realm=\"ecom-pipeline\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""),
                    anonymous.headers().map().toString());
        }
        assertEquals("/observe/jolokia", TestHttp.getWithoutCredentials(observe + "/jolokia").json().path("instance").asText());

        // what the handlers answer themselves is unchanged: the probes' status JSON, the health view, the metrics, Jolokia
        TestHttp.Response live = TestHttp.getWithoutCredentials(observe + "/health/live");
        assertEquals(200, live.status(), live.body());
        assertEquals("application/json", live.headers().firstValue("Content-Type").orElse(""));
        assertEquals("UP", live.json().path("status").asText(), live.body());
        assertEquals(1, live.json().size(), "an anonymous probe learns the status only: " + live.body());
        TestHttp.Response health = TestHttp.get(observe + "/health");
        assertTrue(health.status() == 200 || health.status() == 503, health.body());
        assertTrue(health.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                health.headers().map().toString());
        assertTrue(health.json().path("checks").isArray() && health.json().path("checks").size() > 0, health.body());
        TestHttp.Response metrics = TestHttp.get(observe + "/metrics");
        assertEquals(200, metrics.status(), metrics.body());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), metrics.headers().map().toString());
        assertTrue(metrics.body().contains("# TYPE "), metrics.body().substring(0, Math.min(200, metrics.body().length())));
        TestHttp.Response denied = jolokiaPost("{\"type\":\"list\"}");
        assertEquals(200, denied.status(), "Jolokia's own errors keep its protocol: " + denied.body());
        assertTrue(denied.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                || denied.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), denied.headers().map().toString());
        assertTrue(denied.json().path("status").asInt() >= 400, "list stays denied: " + denied.body());
    }
}
