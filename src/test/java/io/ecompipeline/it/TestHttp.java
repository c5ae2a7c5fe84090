package io.ecompipeline.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** HTTP calls to a runtime's REST and management servers, with or without credentials. */
public final class TestHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public record Response(int status, String body, java.net.http.HttpHeaders headers) {

        public Response(int status, String body) {
            this(status, body, java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true));
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private TestHttp() {
    }

    public static Response get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), true);
    }

    public static Response post(String url, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody)), true);
    }

    public static Response getWithoutCredentials(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), false);
    }

    public static Response postWithoutCredentials(String url, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody)), false);
    }

    /** Any method with extra headers (an {@code Authorization} header given here replaces the test credentials). */
    public static Response request(String method, String url, java.util.Map<String, String> headers, String jsonBody) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).method(method,
                jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            builder.header("Content-Type", "application/json");
        }
        headers.forEach(builder::header);
        return send(builder, !headers.containsKey("Authorization"));
    }

    /** A GET with the test credentials through {@code client} (e.g. one that trusts the local CA for HTTPS). */
    public static Response get(HttpClient client, String url) {
        return send(client, HttpRequest.newBuilder(URI.create(url)).GET(), true);
    }

    private static Response send(HttpRequest.Builder builder, boolean authenticate) {
        return send(CLIENT, builder, authenticate);
    }

    private static Response send(HttpClient client, HttpRequest.Builder builder, boolean authenticate) {
        if (authenticate) {
            String token = RuntimeProcess.API_USER + ":" + RuntimeProcess.API_PASSWORD;
            builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> r = client.send(builder.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP call failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
