package io.ecompipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.config.Credentials;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.MainConfigurationProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guards on a real management server of camel-platform-http-main (Vert.x; its paths under {@code /observe} as the
 * runtime has them), without the rest of the runtime: what Vert.x would answer with its own text or HTML page is
 * problem details, what the health check answers is not touched. Authentication is off here (ApiHardeningIT covers
 * the 401s on the real jar).
 */
class HttpServerGuardsServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static CamelContext context;
    private static String root;
    /** A second server with a path of its own ({@code camel.management.path=/mgmt}): its router is mounted there. */
    private static CamelContext mountedContext;
    private static String mountedRoot;

    @BeforeAll
    static void start() throws Exception {
        context = new DefaultCamelContext();
        root = startManagementServer(context, null);
        mountedContext = new DefaultCamelContext();
        mountedRoot = startManagementServer(mountedContext, "/mgmt");
    }

    private static String startManagementServer(CamelContext camel, String path) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HttpManagementServerConfigurationProperties management = new MainConfigurationProperties().httpManagementServer();
        management.setEnabled(true);
        management.setHost("127.0.0.1");
        management.setPort(port);
        if (path != null) {
            management.setPath(path);
        }
        management.setHealthCheckEnabled(true);
        management.setAuthenticationEnabled(false);
        camel.addService(new HttpServerFactory(new Credentials("operator", "secret")).newHttpManagementServer(camel, management));
        camel.addStartupListener(new HttpServerGuards("ecom-pipeline", "/api/openapi.json",
                new ApiAuthentication(new Credentials("operator", "secret"))));
        camel.start();
        return "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stop() {
        for (CamelContext camel : new CamelContext[] {context, mountedContext}) {
            if (camel != null) {
                camel.stop();
            }
        }
    }

    private static HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        return send(root, method, path, headers);
    }

    private static HttpResponse<String> send(String server, String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode problem(HttpResponse<String> response, int status, String instance) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""), response.body());
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(status, problem.path("status").asInt(), response.body());
        assertEquals("about:blank", problem.path("type").asText());
        assertEquals(instance, problem.path("instance").asText());
        assertTrue(problem.path("title").isTextual() && problem.path("detail").isTextual(), response.body());
        return problem;
    }

    @Test
    void unknownPathsInsideAndOutsideTheServersPathAre404Problems() throws Exception {
        JsonNode inside = problem(send("GET", "/observe/no-such-thing", Map.of()), 404, "/observe/no-such-thing");
        assertTrue(inside.path("detail").asText().contains("GET /observe/health"), "the detail lists what there is: " + inside);
        problem(send("GET", "/no-such-thing", Map.of()), 404, "/no-such-thing");
        problem(send("GET", "/", Map.of()), 404, "/");
    }

    @Test
    void aMethodThePathDoesNotTakeIsA405WithAllow() throws Exception {
        HttpResponse<String> post = send("POST", "/observe/health", Map.of());
        problem(post, 405, "/observe/health");
        assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> delete = send("DELETE", "/observe/health/live", Map.of());
        problem(delete, 405, "/observe/health/live");
    }

    @Test
    void anAcceptTheHealthCheckCannotAnswerIsA406() throws Exception {
        problem(send("GET", "/observe/health", Map.of("Accept", "text/html")), 406, "/observe/health");
    }

    @Test
    void theHealthChecksOwnAnswersStayAsTheyAre() throws Exception {
        HttpResponse<String> health = send("GET", "/observe/health", Map.of());
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                health.headers().map().toString());
        assertEquals("UP", JSON.readTree(health.body()).path("status").asText(), health.body());
        assertEquals(200, send("GET", "/observe/health/live", Map.of()).statusCode());
    }

    @Test
    void outsideTheServersPathTheOuterRouterAnswersProblems() throws Exception {
        // /elsewhere never reaches the router mounted at /mgmt: the outer router's error handler answers
        problem(send(mountedRoot, "GET", "/elsewhere", Map.of()), 404, "/elsewhere");
        problem(send(mountedRoot, "GET", "/mgmt/no-such-thing", Map.of()), 404, "/mgmt/no-such-thing");
    }
}
