package io.ecompipeline.observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Readiness: the Elasticsearch cluster answers {@code _cluster/health} with green or yellow (bounded, see the base). */
public final class ElasticsearchHealthCheck extends BoundedHealthCheck {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI health;

    public ElasticsearchHealthCheck(String baseUrl, Duration timeout, Duration reuseFor) {
        super("elasticsearch", timeout, reuseFor);
        this.health = URI.create(baseUrl.replaceAll("/+$", "") + "/_cluster/health");
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
