package io.ecompipeline.observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The Elasticsearch cluster answers {@code _cluster/health} with green or yellow (bounded, see the base). Counts for
 * readiness unless declared optional ({@code ES_HEALTH_ENABLED=false}: ingest does not need Elasticsearch, indexing
 * catches up once it is back); it is then still reported by the full health view ({@code /observe/health}),
 * truthfully. A disabled Camel check would report UNKNOWN, and readiness wants every check UP: the instance would
 * never become ready.
 */
public final class ElasticsearchHealthCheck extends BoundedHealthCheck {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI health;
    private final boolean countsForReadiness;

    public ElasticsearchHealthCheck(String baseUrl, Duration timeout, Duration reuseFor, boolean countsForReadiness) {
        super("elasticsearch", timeout, reuseFor);
        this.health = URI.create(baseUrl.replaceAll("/+$", "") + "/_cluster/health");
        this.countsForReadiness = countsForReadiness;
    }

    @Override
    public boolean isReadiness() {
        return countsForReadiness;
    }

    @Override
    protected Probe probe() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            boolean usable = response.statusCode() == 200
                    && (body.contains("\"status\":\"green\"") || body.contains("\"status\":\"yellow\""));
            if (usable) {
                return Probe.up(Map.of("url", health.toString(), "http.status", response.statusCode()));
            }
            return Probe.down("Elasticsearch cluster not usable: HTTP " + response.statusCode() + " " + body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Probe.down("interrupted");
        } catch (Exception e) {
            return Probe.down("Elasticsearch unreachable at " + health + ": " + e.getMessage());
        }
    }
}
