package io.ecompipeline.fleet;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.kafka.KafkaConsumer;

/**
 * The state of this instance's routes as the fleet sees them. A route is quiescent when it consumes nothing and has
 * nothing in flight: not started (suspended or stopped) and no exchange in flight; a Kafka consumer route only once
 * its consumer has really paused (it pauses after the poll in progress) or is stopped.
 */
public final class RouteStates {

    /**
     * What the fleet reports (instead of {@code Stopped}) for a route this instance's settings do not start, e.g. a
     * source switched off: it neither consumes nor follows the fleet's suspend/resume requests (see FleetMember).
     */
    public static final String DISABLED = "Disabled";

    /** One route of this instance; {@code consumerPaused} is null for routes without a Kafka consumer. */
    public record RouteState(String routeId, String state, int inflight, Boolean consumerPaused, boolean quiescent) {
    }

    private final CamelContext context;

    public RouteStates(CamelContext context) {
        this.context = context;
    }

    /** Every route of this instance, in the context's order. */
    public List<RouteState> all() {
        List<RouteState> states = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            states.add(of(route));
        }
        return states;
    }

    /** The routes with a Kafka consumer (what ingests). */
    public List<RouteState> kafkaConsumers() {
        return all().stream().filter(r -> r.consumerPaused() != null).toList();
    }

    private RouteState of(Route route) {
        String id = route.getRouteId();
        ServiceStatus status = context.getRouteController().getRouteStatus(id);
        String state = status == null ? "Unknown" : status.name();
        int inflight = context.getInflightRepository().size(id);
        boolean notStarted = status != null && !status.isStarted() && !status.isStarting();
        if (route.getConsumer() instanceof KafkaConsumer kafka) {
            boolean paused = kafka.isKafkaPaused();
            boolean quiet = notStarted && (paused || status.isStopped()) && inflight == 0;
            return new RouteState(id, state, inflight, paused, quiet);
        }
        return new RouteState(id, state, inflight, null, notStarted && inflight == 0);
    }
}
