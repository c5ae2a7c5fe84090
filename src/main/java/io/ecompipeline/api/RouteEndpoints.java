package io.ecompipeline.api;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.ecompipeline.fleet.RouteControls;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * Route control across the fleet: {@code POST /api/routes/{id}/suspend|resume} asks every instance (and every instance
 * that starts later) to suspend or resume the route; each applies it within a heartbeat interval and reports back.
 * {@code GET /api/routes} shows the request and each live instance's report: a route is {@code quiescent} once every
 * live instance applied the request and consumes nothing, with nothing in flight.
 */
public final class RouteEndpoints {

    private final CamelContext context;
    private final RouteControls controls;
    private final HttpResponses http;

    public RouteEndpoints(CamelContext context, RouteControls controls, HttpResponses http) {
        this.context = context;
        this.controls = controls;
        this.http = http;
    }

    public void list(Exchange exchange) throws SQLException {
        http.ok(exchange, controls.view());
    }

    public void suspend(Exchange exchange) throws SQLException {
        request(exchange, RouteControls.SUSPENDED);
    }

    public void resume(Exchange exchange) throws SQLException {
        request(exchange, RouteControls.STARTED);
    }

    /** Query {@code requestedBy}: who asks (shown in GET /api/routes and the instances' logs), default "http". */
    private void request(Exchange exchange, String desiredState) throws SQLException {
        String id = HttpResponses.header(exchange, "id");
        if (id == null || (context.getRoute(id) == null && !controls.known(id))) {
            http.problem(exchange, 404, "no route with id '" + id + "' on any instance");
            return;
        }
        String by = HttpResponses.header(exchange, "requestedBy");
        RouteControls.Request request = controls.request(id, desiredState, by == null ? "http" : by);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request", request);
        body.put("note", "every live instance applies it within a heartbeat interval; GET /api/routes shows when they did");
        http.respond(exchange, 202, body);
    }
}
