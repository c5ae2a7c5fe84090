package io.ecompipeline.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ecompipeline.ingest.IngestStats;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaConsumer;

/**
 * {@code GET /api/ingest}: state of the Kafka consumer routes and the ingest totals. A suspended route is only
 * quiet once its Kafka consumer has actually paused (it pauses after the poll in progress) and nothing is in
 * flight: {@code quiescent} says so, and the maintenance-window DAG waits for it before touching the database.
 */
public final class IngestEndpoints {

    private final CamelContext context;
    private final IngestStats stats;
    private final HttpResponses http;

    public IngestEndpoints(CamelContext context, IngestStats stats, HttpResponses http) {
        this.context = context;
        this.stats = stats;
        this.http = http;
    }

    public void get(Exchange exchange) {
        Map<String, Object> routes = new LinkedHashMap<>();
        boolean quiescent = true;
        for (Route route : context.getRoutes()) {
            if (!(route.getConsumer() instanceof KafkaConsumer consumer)) {
                continue;
            }
            String state = context.getRouteController().getRouteStatus(route.getRouteId()).name();
            int inflight = context.getInflightRepository().size(route.getRouteId());
            boolean paused = consumer.isKafkaPaused();
            boolean quiet = !"Started".equals(state) && (paused || "Stopped".equals(state)) && inflight == 0;
            quiescent &= quiet;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("state", state);
            r.put("consumerPaused", paused);
            r.put("inflight", inflight);
            r.put("quiescent", quiet);
            routes.put(route.getRouteId(), r);
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("received", stats.received());
        totals.put("inserted", stats.inserted());
        totals.put("duplicates", stats.duplicates());
        totals.put("deadLettered", stats.deadLettered());
        totals.put("batches", stats.batches());
        totals.put("lastBatchMillis", stats.lastBatchMillis());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("quiescent", quiescent);
        body.put("routes", routes);
        body.put("totals", totals);
        http.ok(exchange, body);
    }
}
