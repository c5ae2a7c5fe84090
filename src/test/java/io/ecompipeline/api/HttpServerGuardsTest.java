package io.ecompipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.ecompipeline.config.Credentials;
import org.junit.jupiter.api.Test;

class HttpServerGuardsTest {

    @Test
    void aRoutePathWithParametersMatchesOnlyPathsOfItsShape() {
        assertTrue(HttpServerGuards.pathMatches("/api/jobs/:id", "/api/jobs/transform-1"));
        assertTrue(HttpServerGuards.pathMatches("/api/dead-letters/:id/park", "/api/dead-letters/7/park"));
        assertTrue(HttpServerGuards.pathMatches("/api/jobs", "/api/jobs"));
        assertFalse(HttpServerGuards.pathMatches("/api/jobs/:id", "/api/jobs"));
        assertFalse(HttpServerGuards.pathMatches("/api/jobs/:id", "/api/jobs/"));
        assertFalse(HttpServerGuards.pathMatches("/api/jobs/:id", "/api/jobs/a/b"));
        assertFalse(HttpServerGuards.pathMatches("/api/dead-letters/:id/park", "/api/dead-letters/7/discard"));
    }

    @Test
    void aPrefixRouteMatchesItsPathAndEverythingUnderIt() {
        // Vert.x keeps the path of route("/jolokia/*") as "/jolokia/", not exact
        assertTrue(HttpServerGuards.pathMatches("/jolokia/", false, "/jolokia"));
        assertTrue(HttpServerGuards.pathMatches("/jolokia/", false, "/jolokia/"));
        assertTrue(HttpServerGuards.pathMatches("/jolokia/", false, "/jolokia/read/java.lang:type=Memory"));
        assertFalse(HttpServerGuards.pathMatches("/jolokia/", false, "/jolokiax"));
        assertFalse(HttpServerGuards.pathMatches("/jolokia/", false, "/health"));
    }

    @Test
    void aProblemHasTheFiveMembersOfRfc9457InOrder() {
        Map<String, Object> problem = HttpResponses.problemBody(404, HttpResponses.ABOUT_BLANK, "no job run with id 'x'", "/api/jobs/x");
        assertEquals(List.of("type", "title", "status", "detail", "instance"), List.copyOf(problem.keySet()));
        assertEquals("Not Found", problem.get("title"));
        assertEquals(404, problem.get("status"));
        assertEquals("A run of this job type is already running",
                HttpResponses.problemBody(409, HttpResponses.JOB_ALREADY_RUNNING, "d", "/api/jobs/index").get("title"));
        assertEquals("Method Not Allowed", HttpResponses.problemBody(405, HttpResponses.ABOUT_BLANK, "d", "/").get("title"));
    }

    @Test
    void theJolokiaGuardChecksBasicCredentialsItself() {
        HttpServerGuards guards = new HttpServerGuards("ecom-pipeline", "/api/openapi.json",
                new ApiAuthentication(new Credentials("operator", "secret")));
        String right = "Basic " + Base64.getEncoder().encodeToString("operator:secret".getBytes(StandardCharsets.UTF_8));
        String wrong = "Basic " + Base64.getEncoder().encodeToString("operator:guess".getBytes(StandardCharsets.UTF_8));
        assertTrue(guards.authenticate(right).succeeded());
        assertTrue(guards.authenticate("basic " + right.substring(6)).succeeded(), "the scheme is case-insensitive");
        for (String header : Arrays.asList(wrong, null, "Bearer x", "Basic !!!", "Basic", "Basic "
                + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)))) {
            assertTrue(guards.authenticate(header).failed(), String.valueOf(header));
        }
    }
}
