package io.ecompipeline.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ecompipeline.fleet.RouteStates;
import io.ecompipeline.ingest.IngestStats;
import org.apache.camel.Exchange;

/**
 * {@code GET /api/ingest}: state of the Kafka consumer routes and the ingest totals. A suspended route is only
 * quiet once its Kafka consumer has actually paused (it pauses after the poll in progress) and nothing is in
 * flight: {@code quiescent} says so. This instance only: the maintenance-window DAG waits for the whole fleet through
 * {@code GET /api/routes}.
 */
public final class IngestEndpoints {

    private final RouteStates states;
    private final IngestStats stats;
    private final HttpResponses http;

    public IngestEndpoints(RouteStates states, IngestStats stats, HttpResponses http) {
        this.states = states;
        this.stats = stats;
        this.http = http;
    }

    public void get(Exchange exchange) {
        Map<String, Object> routes = new LinkedHashMap<>();
        boolean quiescent = true;
        for (RouteStates.RouteState route : states.kafkaConsumers()) {
            quiescent &= route.quiescent();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("state", route.state());
            r.put("consumerPaused", route.consumerPaused());
            r.put("inflight", route.inflight());
            r.put("quiescent", route.quiescent());
            routes.put(route.routeId(), r);
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
