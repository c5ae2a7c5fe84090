package io.ecompipeline.observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The Elasticsearch cluster answers {@code _cluster/health} with green or yellow. Counts for readiness unless declared
 * optional ({@code ES_HEALTH_ENABLED=false}: ingest does not need Elasticsearch, indexing catches up once it is back);
 * it is then still reported by the full health view ({@code /observe/health}), truthfully. A disabled Camel check
 * would report UNKNOWN, and readiness wants every check UP: the instance would never become ready.
 */
public final class ElasticsearchHealthCheck extends AbstractHealthCheck {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI health;
    private final boolean countsForReadiness;

    public ElasticsearchHealthCheck(String baseUrl, boolean countsForReadiness) {
        super("ecom-pipeline", "elasticsearch");
        this.health = URI.create(baseUrl.replaceAll("/+$", "") + "/_cluster/health");
        this.countsForReadiness = countsForReadiness;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return countsForReadiness;
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
