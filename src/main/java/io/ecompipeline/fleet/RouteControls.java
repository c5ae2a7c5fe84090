package io.ecompipeline.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * The fleet's route requests ({@code pipeline.route_controls}) and what the instances report about their routes
 * ({@code pipeline.instance_routes}): the data behind {@code GET /api/routes} and
 * {@code POST /api/routes/{id}/suspend|resume}.
 */
public final class RouteControls {

    public static final String STARTED = "started";
    public static final String SUSPENDED = "suspended";

    /** A request of the fleet: route {@code routeId} should be {@code desiredState}; {@code version} grows per request. */
    public record Request(String routeId, String desiredState, long version, Instant requestedAt, @Nullable String requestedBy) {
    }

    /** An instance's last report of one route; {@code appliedVersion} is the last request it applied to it. */
    public record Report(String state, int inflight, @Nullable Boolean consumerPaused, boolean quiescent, @Nullable Long appliedVersion,
                         Instant reportedAt) {
    }

    /** An instance of the fleet; live while it heartbeats. */
    public record Member(String id, String host, long pid, @Nullable String version, Instant startedAt, Instant heartbeatAt,
                         @Nullable Instant stoppedAt, boolean live) {
    }

    /**
     * One route across the fleet. {@code applied}: every live instance that has the route applied the latest request;
     * {@code quiescent}: and reports it quiescent; {@code state}: the state all live instances report, else "Mixed".
     */
    public record FleetRoute(String id, String desired, @Nullable Long version, @Nullable Instant requestedAt,
                             @Nullable String requestedBy, String state,
                             boolean applied, boolean quiescent, Map<String, Report> instances) {
    }

    /** {@code GET /api/routes}: the live (and recently lost) instances and every route they reported. */
    public record FleetView(List<Member> instances, List<FleetRoute> routes) {
    }

    private final DataSource dataSource;
    private final Duration instanceTimeout;

    public RouteControls(DataSource dataSource, Duration instanceTimeout) {
        this.dataSource = dataSource;
        this.instanceTimeout = instanceTimeout;
    }

    /** Asks every instance to bring {@code routeId} into {@code desiredState}; returns the request. */
    public Request request(String routeId, String desiredState, String requestedBy) throws SQLException {
        if (!STARTED.equals(desiredState) && !SUSPENDED.equals(desiredState)) {
            throw new IllegalArgumentException("desired state must be started or suspended, not " + desiredState);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO pipeline.route_controls AS rc (route_id, desired_state, "
                     + "requested_by) VALUES (?, ?, ?) ON CONFLICT (route_id) DO UPDATE SET desired_state = EXCLUDED.desired_state, "
                     + "version = rc.version + 1, requested_at = now(), requested_by = EXCLUDED.requested_by "
                     + "RETURNING route_id, desired_state, version, requested_at, requested_by")) {
            c.setAutoCommit(true);
            st.setString(1, routeId);
            st.setString(2, desiredState);
            st.setString(3, requestedBy);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return request(rs);
            }
        }
    }

    /** Every request of the fleet, by route. */
    public Map<String, Request> requests() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return requests(c);
        }
    }

    Map<String, Request> requests(Connection c) throws SQLException {
        Map<String, Request> requests = new TreeMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT route_id, desired_state, version, requested_at, requested_by "
                + "FROM pipeline.route_controls"); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                Request r = request(rs);
                requests.put(r.routeId(), r);
            }
        }
        return requests;
    }

    /** Has any instance reported a route of this id? */
    public boolean known(String routeId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT 1 FROM pipeline.instance_routes WHERE route_id = ? LIMIT 1")) {
            st.setString(1, routeId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The instances seen within the last hour (live or not) and every route the live ones reported. */
    public FleetView view() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<Member> members = members(c);
            Map<String, Request> requests = requests(c);
            // route -> instance -> report, live instances only
            Map<String, Map<String, Report>> reports = new TreeMap<>();
            List<String> reported = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT r.instance_id, r.route_id, r.state, r.inflight, "
                    + "r.consumer_paused, r.quiescent, r.applied_version, r.reported_at FROM pipeline.instance_routes r "
                    + "JOIN pipeline.instances i ON i.instance_id = r.instance_id WHERE " + LIVE + " ORDER BY r.instance_id")) {
                st.setString(1, interval(instanceTimeout));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        Boolean paused = rs.getBoolean("consumer_paused");
                        paused = rs.wasNull() ? null : paused;
                        long applied = rs.getLong("applied_version");
                        Long appliedVersion = rs.wasNull() ? null : applied;
                        String instance = rs.getString("instance_id");
                        reports.computeIfAbsent(rs.getString("route_id"), k -> new LinkedHashMap<>()).put(instance,
                                new Report(rs.getString("state"), rs.getInt("inflight"), paused, rs.getBoolean("quiescent"),
                                        appliedVersion, instant(rs, "reported_at")));
                        if (!reported.contains(instance)) {
                            reported.add(instance);
                        }
                    }
                }
            }
            // a live instance that has not reported yet (just started) keeps every route from counting as applied
            boolean allReported = members.stream().filter(Member::live).allMatch(m -> reported.contains(m.id()));
            List<FleetRoute> routes = new ArrayList<>();
            for (String routeId : union(reports.keySet(), requests.keySet())) {
                Map<String, Report> byInstance = reports.getOrDefault(routeId, Map.of());
                Request request = requests.get(routeId);
                boolean applied = allReported && !byInstance.isEmpty() && byInstance.values().stream().allMatch(r ->
                        request == null || (r.appliedVersion() != null && r.appliedVersion() >= request.version()));
                boolean quiescent = applied && byInstance.values().stream().allMatch(Report::quiescent);
                List<String> states = byInstance.values().stream().map(Report::state).distinct().toList();
                String state = states.size() == 1 ? states.get(0) : states.isEmpty() ? "Unknown" : "Mixed";
                routes.add(new FleetRoute(routeId, request == null ? STARTED : request.desiredState(),
                        request == null ? null : request.version(), request == null ? null : request.requestedAt(),
                        request == null ? null : request.requestedBy(), state, applied, quiescent, byInstance));
            }
            return new FleetView(members, routes);
        }
    }

    /** SQL condition of a live instance {@code i}; its one parameter is the instance timeout. */
    static final String LIVE = "i.stopped_at IS NULL AND i.heartbeat_at >= now() - ?::interval";

    private List<Member> members(Connection c) throws SQLException {
        List<Member> members = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT i.instance_id, i.host, i.pid, i.version, i.started_at, "
                + "i.heartbeat_at, i.stopped_at, (" + LIVE + ") AS live FROM pipeline.instances i "
                + "WHERE i.heartbeat_at >= now() - interval '1 hour' ORDER BY i.started_at")) {
            st.setString(1, interval(instanceTimeout));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    members.add(new Member(rs.getString("instance_id"), rs.getString("host"), rs.getLong("pid"),
                            rs.getString("version"), instant(rs, "started_at"), instant(rs, "heartbeat_at"),
                            instant(rs, "stopped_at"), rs.getBoolean("live")));
                }
            }
        }
        return members;
    }

    private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    private static Request request(ResultSet rs) throws SQLException {
        return new Request(rs.getString("route_id"), rs.getString("desired_state"), rs.getLong("version"),
                instant(rs, "requested_at"), rs.getString("requested_by"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static String interval(Duration d) {
        return d.toMillis() + " milliseconds";
    }
}
