package io.ecompipeline.observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: the Elasticsearch cluster answers {@code _cluster/health} with green or yellow. */
public final class ElasticsearchHealthCheck extends AbstractHealthCheck {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI health;

    public ElasticsearchHealthCheck(String baseUrl) {
        super("ecom-pipeline", "elasticsearch");
        this.health = URI.create(baseUrl.replaceAll("/+$", "") + "/_cluster/health");
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            boolean usable = response.statusCode() == 200
                    && (body.contains("\"status\":\"green\"") || body.contains("\"status\":\"yellow\""));
            builder.detail("url", health.toString()).detail("http.status", response.statusCode());
            if (usable) {
                builder.up();
            } else {
                builder.down().message("Elasticsearch cluster not usable: HTTP " + response.statusCode() + " " + body);
            }
        } catch (Exception e) {
            builder.down().message("Elasticsearch unreachable at " + health + ": " + e.getMessage());
        }
    }
}
