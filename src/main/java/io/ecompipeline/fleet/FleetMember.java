package io.ecompipeline.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.ecompipeline.jobs.Instance;
import io.ecompipeline.jobs.JobRun;
import io.ecompipeline.jobs.RunRecords;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.RouteController;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance as a member of the fleet. At start it registers and takes the fleet's route requests as its own (a
 * route the fleet wants suspended does not start at all: no consumer polls before the first round); then, every
 * heartbeat interval ({@link #sync()}, from the {@code fleet-sync} housekeeping route), it heartbeats, applies every
 * request it has not applied yet, reports the state of its routes, and closes the job runs of instances that stopped
 * heartbeating as abandoned.
 *
 * <p>A request is applied once (by its version): a route suspended or resumed on one instance through Jolokia stays
 * so until the next fleet request, so per-instance control keeps working.
 *
 * <p>A route this instance's settings keep from starting (a source switched off, e.g. {@code PRODUCTS_API_ENABLED=false})
 * is left alone by fleet requests: resuming the fleet must not start a source that is off here. It is reported as
 * {@link RouteStates#DISABLED}, so the fleet (and Airflow's maintenance window) can tell it from a route that failed to
 * start.
 */
public final class FleetMember implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetMember.class);
    static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(1);
    private static final String STOPPED = ServiceStatus.Stopped.name();

    private final CamelContext context;
    private final DataSource dataSource;
    private final RouteControls controls;
    private final RouteStates states;
    private final RunRecords runs;
    private final Duration instanceTimeout;
    private final Duration retention;
    private final Consumer<JobRun> onAbandoned;
    /** route id -> version of the last request applied here */
    private final Map<String, Long> applied = new ConcurrentHashMap<>();
    /** routes the fleet wants suspended: a route of this set added to the context does not start */
    private volatile Set<String> suspendedByFleet = Set.of();
    /** routes whose own configuration does not start them (autoStartup false before the fleet touched them) */
    private final Set<String> disabledHere = ConcurrentHashMap.newKeySet();

    public FleetMember(CamelContext context, DataSource dataSource, RouteControls controls, RouteStates states, RunRecords runs,
                       Duration instanceTimeout, Duration retention, Consumer<JobRun> onAbandoned) {
        this.context = context;
        this.dataSource = dataSource;
        this.controls = controls;
        this.states = states;
        this.runs = runs;
        this.instanceTimeout = instanceTimeout;
        this.retention = retention;
        this.onAbandoned = onAbandoned;
    }

    public String instanceId() {
        return Instance.ID;
    }

    /**
     * Registers this instance and takes the fleet's current requests as applied: the routes the fleet wants
     * suspended are kept from starting with the context (they stay stopped until the fleet resumes them).
     */
    public void join(String version) throws SQLException {
        try (Connection c = dataSource.getConnection();
             // a Camel context started again in the same JVM (tests, an embedding application) rejoins as the same instance
             PreparedStatement st = c.prepareStatement("INSERT INTO pipeline.instances (instance_id, host, pid, version) "
                     + "VALUES (?, ?, ?, ?) ON CONFLICT (instance_id) DO UPDATE SET version = EXCLUDED.version, "
                     + "heartbeat_at = now(), stopped_at = NULL")) {
            c.setAutoCommit(true);
            st.setString(1, Instance.ID);
            st.setString(2, Instance.HOST);
            st.setLong(3, Instance.PID);
            st.setString(4, version);
            st.executeUpdate();
        }
        Map<String, RouteControls.Request> requests = controls.requests();
        requests.values().forEach(r -> applied.put(r.routeId(), r.version()));
        suspendedByFleet = suspendedIn(requests);
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onRoutesAdd(Collection<Route> added) {
                // before they start: at start-up, and routes added later (a reloaded route file); what the route's own
                // configuration says is noted before the fleet's suspension changes it
                for (Route r : added) {
                    if (Boolean.FALSE.equals(r.isAutoStartup())) {
                        disabledHere.add(r.getRouteId());
                    } else {
                        disabledHere.remove(r.getRouteId());
                    }
                }
                added.stream().filter(r -> suspendedByFleet.contains(r.getRouteId())).forEach(r -> r.setAutoStartup(false));
            }
        });
        Set<String> suspended = suspendedByFleet;
        if (suspended.isEmpty()) {
            LOG.info("Joined the fleet as instance {}", Instance.ID);
        } else {
            LOG.warn("Joined the fleet as instance {}; the fleet has suspended {}: they stay stopped until "
                    + "POST /api/routes/<id>/resume", Instance.ID, suspended);
        }
    }

    /** Heartbeat, fleet requests, route report, abandoned runs: one round (the housekeeping route calls it). */
    public synchronized void sync() throws SQLException {
        Map<String, RouteControls.Request> requests;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            heartbeat(c);
            requests = controls.requests(c);
        }
        for (RouteControls.Request request : requests.values()) {
            Long done = applied.get(request.routeId());
            if (done == null || done < request.version()) {
                apply(request);
            }
        }
        suspendedByFleet = suspendedIn(requests);
        report();
        for (JobRun run : runs.abandonRunsOfLostInstances(instanceTimeout)) {
            LOG.warn("Job run {} ({}) marked abandoned: {}", run.id(), run.type(), run.error());
            onAbandoned.accept(run);
        }
    }

    /** Purges finished job runs and instances gone longer than the retention (the hourly housekeeping route). */
    public void purge() throws SQLException {
        int purgedRuns = runs.purge(retention);
        int purgedInstances;
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM pipeline.instances WHERE heartbeat_at < now() - ?::interval")) {
            c.setAutoCommit(true);
            st.setString(1, RouteControls.interval(retention));
            purgedInstances = st.executeUpdate();
        }
        if (purgedRuns + purgedInstances > 0) {
            LOG.info("Purged {} job runs and {} instances older than {}", purgedRuns, purgedInstances, retention);
        }
    }

    private void heartbeat(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE pipeline.instances SET heartbeat_at = now() "
                + "WHERE instance_id = ? AND stopped_at IS NULL")) {
            st.setString(1, Instance.ID);
            if (st.executeUpdate() == 0) {
                // purged while this instance was silent for longer than the retention, or marked stopped
                try (PreparedStatement again = c.prepareStatement("INSERT INTO pipeline.instances (instance_id, host, pid) "
                        + "VALUES (?, ?, ?) ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now(), stopped_at = NULL")) {
                    again.setString(1, Instance.ID);
                    again.setString(2, Instance.HOST);
                    again.setLong(3, Instance.PID);
                    again.executeUpdate();
                }
            }
        }
    }

    /**
     * Brings a route into the requested state. A route the fleet suspends is also marked not auto-started: Camel's
     * route and consumer health checks then take it for externally managed (UP) instead of failing readiness, which
     * would take every instance out of its load balancer during a maintenance window.
     */
    private void apply(RouteControls.Request request) {
        String id = request.routeId();
        Route route = context.getRoute(id);
        if (route == null) {
            applied.put(id, request.version()); // not a route of this instance
            return;
        }
        RouteController routes = context.getRouteController();
        try {
            ServiceStatus status = routes.getRouteStatus(id);
            if (disabledHere.contains(id) && status.isStopped()) {
                // off by this instance's settings: neither suspended (it does not run) nor started by a resume
                LOG.info("Route {} left stopped: not enabled on this instance (fleet request {} to be {} by {})", id,
                        request.version(), request.desiredState(), request.requestedBy());
                applied.put(id, request.version());
                return;
            }
            if (RouteControls.SUSPENDED.equals(request.desiredState())) {
                route.setAutoStartup(false);
                if (status.isStarted()) {
                    // waits for the exchanges in flight, like Jolokia's suspend()
                    routes.suspendRoute(id);
                    LOG.info("Route {} suspended: fleet request {} by {}", id, request.version(), request.requestedBy());
                }
            } else {
                route.setAutoStartup(true);
                if (status.isSuspended()) {
                    routes.resumeRoute(id);
                    LOG.info("Route {} resumed: fleet request {} by {}", id, request.version(), request.requestedBy());
                } else if (status.isStopped()) {
                    routes.startRoute(id);
                    LOG.info("Route {} started: fleet request {} by {}", id, request.version(), request.requestedBy());
                }
            }
            applied.put(id, request.version());
        } catch (Exception e) {
            // applied next round
            LOG.warn("Route {} could not be brought to {} (fleet request {}): {}", id, request.desiredState(),
                    request.version(), e.getMessage());
        }
    }

    private void report() throws SQLException {
        List<RouteStates.RouteState> all = states.all();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO pipeline.instance_routes (instance_id, route_id, state, "
                     + "inflight, consumer_paused, quiescent, applied_version, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, now()) "
                     + "ON CONFLICT (instance_id, route_id) DO UPDATE SET state = EXCLUDED.state, inflight = EXCLUDED.inflight, "
                     + "consumer_paused = EXCLUDED.consumer_paused, quiescent = EXCLUDED.quiescent, "
                     + "applied_version = EXCLUDED.applied_version, reported_at = now()")) {
            c.setAutoCommit(false);
            try {
                for (RouteStates.RouteState r : all) {
                    st.setString(1, Instance.ID);
                    st.setString(2, r.routeId());
                    st.setString(3, disabledHere.contains(r.routeId()) && STOPPED.equals(r.state()) ? RouteStates.DISABLED
                            : r.state());
                    st.setInt(4, r.inflight());
                    st.setObject(5, r.consumerPaused());
                    st.setBoolean(6, r.quiescent());
                    st.setObject(7, applied.get(r.routeId()));
                    st.addBatch();
                }
                st.executeBatch();
                // routes removed since the last report (a reload) are not reported as they were
                try (PreparedStatement gone = c.prepareStatement("DELETE FROM pipeline.instance_routes WHERE instance_id = ? "
                        + "AND NOT (route_id = ANY (?))")) {
                    gone.setString(1, Instance.ID);
                    gone.setArray(2, c.createArrayOf("text", all.stream().map(RouteStates.RouteState::routeId).toArray()));
                    gone.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static Set<String> suspendedIn(Map<String, RouteControls.Request> requests) {
        Set<String> suspended = new TreeSet<>();
        requests.values().stream().filter(r -> RouteControls.SUSPENDED.equals(r.desiredState()))
                .forEach(r -> suspended.add(r.routeId()));
        return suspended;
    }

    /**
     * Leaves the fleet: marked stopped, so its runs (if any were left) are abandoned at once, not after the timeout.
     * Bounded by {@link #LEAVE_TIMEOUT}: with PostgreSQL unreachable the pool would hold a stop for its connection
     * timeout (5 s); the instance then counts as stopped once its heartbeat is stale.
     */
    @Override
    public void close() {
        CompletableFuture<Void> leave = CompletableFuture.runAsync(() -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement st = c.prepareStatement("UPDATE pipeline.instances SET stopped_at = now() WHERE instance_id = ?")) {
                c.setAutoCommit(true);
                st.setString(1, Instance.ID);
                st.executeUpdate();
                LOG.info("Left the fleet (instance {})", Instance.ID);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        });
        try {
            leave.get(LEAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Could not record that instance {} stopped ({}); it counts as stopped once its heartbeat is stale",
                    Instance.ID, e instanceof TimeoutException ? "no answer within " + LEAVE_TIMEOUT : e.getCause().getMessage());
        }
    }
}
