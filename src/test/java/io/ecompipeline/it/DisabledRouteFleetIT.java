package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.fleet.FleetMember;
import io.ecompipeline.fleet.RouteControls;
import io.ecompipeline.fleet.RouteStates;
import io.ecompipeline.jobs.RunRecords;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A route this instance's settings do not start (a source switched off, e.g. {@code PRODUCTS_API_ENABLED=false}) under
 * the fleet's route requests, against the real PostgreSQL: a suspend leaves it stopped, a resume must not start it (the
 * maintenance window resumes every source route), and the fleet sees it reported {@code Disabled}, with the request
 * applied, while a route that runs follows both requests. Route ids are this run's own, so the fleet-wide requests
 * touch no other test.
 */
class DisabledRouteFleetIT {

    private final String run = Long.toString(System.nanoTime(), 36);
    private final String on = "it-fleet-on-" + run;
    private final String off = "it-fleet-off-" + run;

    @Test
    void aRouteSwitchedOffByItsSettingIsNeitherSuspendedNorStartedByTheFleetAndReportedDisabled() throws Exception {
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setURL(LocalServices.PG_URL);
        db.setUser(LocalServices.PG_USER);
        db.setPassword(LocalServices.PG_PASSWORD);
        RouteControls controls = new RouteControls(db, Duration.ofSeconds(30));
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            java.util.Properties settings = new java.util.Properties();
            settings.setProperty("source.enabled", "false");
            context.getPropertiesComponent().setInitialProperties(settings);
            FleetMember member = new FleetMember(context, db, controls, new RouteStates(context),
                    new RunRecords(db, new ObjectMapper()), Duration.ofSeconds(30), Duration.ofDays(1), r -> { });
            member.join("it");
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:" + on + "?period=60000").routeId(on).to("log:" + on + "?level=OFF");
                    // switched off by a setting, like the source routes' autoStartup: "{{pipeline.products-api.enabled}}"
                    from("timer:" + off + "?period=60000").routeId(off).autoStartup("{{source.enabled}}")
                            .to("log:" + off + "?level=OFF");
                }
            });
            context.start();
            assertEquals(ServiceStatus.Started, status(context, on));
            assertEquals(ServiceStatus.Stopped, status(context, off));

            long suspendVersion = request(controls, RouteControls.SUSPENDED);
            member.sync();
            assertEquals(ServiceStatus.Suspended, status(context, on));
            assertEquals(ServiceStatus.Stopped, status(context, off));
            assertReported(controls, member, "Suspended", suspendVersion);

            long resumeVersion = request(controls, RouteControls.STARTED);
            member.sync();
            assertEquals(ServiceStatus.Started, status(context, on));
            assertEquals(ServiceStatus.Stopped, status(context, off), "a resume must not start a route that is switched off");
            assertReported(controls, member, "Started", resumeVersion);
            member.close();
        } finally {
            TestDb.execute("DELETE FROM pipeline.route_controls WHERE route_id IN (?, ?)", on, off);
            TestDb.execute("DELETE FROM pipeline.instance_routes WHERE route_id IN (?, ?)", on, off);
        }
    }

    /** Asks the fleet for {@code desired} on both routes; returns the version of the second request. */
    private long request(RouteControls controls, String desired) throws Exception {
        assertEquals(desired, controls.request(on, desired, "it").desiredState());
        return controls.request(off, desired, "it").version();
    }

    private static ServiceStatus status(DefaultCamelContext context, String routeId) {
        return context.getRouteController().getRouteStatus(routeId);
    }

    /** What GET /api/routes shows for this instance: the running route in {@code onState}, the other Disabled and applied. */
    private void assertReported(RouteControls controls, FleetMember member, String onState, long offVersion) throws Exception {
        Map<String, RouteControls.FleetRoute> routes = new java.util.HashMap<>();
        controls.view().routes().stream().filter(r -> List.of(on, off).contains(r.id())).forEach(r -> routes.put(r.id(), r));
        RouteControls.Report onReport = routes.get(on).instances().get(member.instanceId());
        RouteControls.Report offReport = routes.get(off).instances().get(member.instanceId());
        assertEquals(onState, onReport.state(), routes.toString());
        assertEquals(RouteStates.DISABLED, offReport.state(), routes.toString());
        assertTrue(offReport.quiescent(), routes.toString());
        assertEquals(offVersion, offReport.appliedVersion(), routes.toString());
    }
}
