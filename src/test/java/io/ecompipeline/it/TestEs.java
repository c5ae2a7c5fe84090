package io.ecompipeline.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads Elasticsearch over plain HTTP (not through the code under test): documents by id, counts by range.
 * A missing node fails loudly with how to start it.
 */
public final class TestEs {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    public TestEs() {
        String host = LocalServices.ES_HOSTS.split(",")[0].trim();
        this.base = host.startsWith("http") ? host : "http://" + host;
    }

    public record Doc(long version, Map<String, Object> source) {
    }

    /** Fails unless the node answers cluster health. */
    public TestEs requireUp() {
        try {
            send("GET", "/_cluster/health", null);
        } catch (IOException e) {
            throw new IllegalStateException("Elasticsearch is not reachable at " + base + ": " + e.getMessage()
                    + " — start the local stack with: bash scripts/local-stack.sh up", e);
        }
        return this;
    }

    public boolean reachable() {
        try {
            send("GET", "/_cluster/health", null);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when {@code HEAD path} answers 200. */
    public boolean exists(String path) {
        try {
            return raw("HEAD", path, null).statusCode() == 200;
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The document with this id, or null. */
    @SuppressWarnings("unchecked")
    public Doc get(String index, String id) {
        try {
            HttpResponse<String> r = raw("GET", "/" + index + "/_doc/" + id, null);
            if (r.statusCode() == 404) {
                return null;
            }
            JsonNode n = JSON.readTree(r.body());
            return new Doc(n.path("_version").asLong(), JSON.convertValue(n.get("_source"), Map.class));
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Documents with event_hour in [from, to), after a refresh. */
    public long count(String index, Instant from, Instant to) {
        try {
            send("POST", "/" + index + "/_refresh", null);
            String query = "{\"query\":{\"range\":{\"event_hour\":{\"gte\":\"" + from + "\",\"lt\":\"" + to + "\"}}}}";
            return JSON.readTree(send("POST", "/" + index + "/_count", query)).path("count").asLong();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public JsonNode json(String method, String path, String body) {
        try {
            return JSON.readTree(send(method, path, body));
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private String send(String method, String path, String body) throws IOException {
        HttpResponse<String> r = raw(method, path, body);
        if (r.statusCode() >= 300) {
            throw new IOException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private HttpResponse<String> raw(String method, String path, String body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
