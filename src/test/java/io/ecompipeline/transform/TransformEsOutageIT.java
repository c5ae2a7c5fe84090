package io.ecompipeline.transform;

import static io.ecompipeline.transform.TransformTestSupport.INDEX;
import static io.ecompipeline.transform.TransformTestSupport.assertDocumentsMatch;
import static io.ecompipeline.transform.TransformTestSupport.assertTablesMatch;
import static io.ecompipeline.transform.TransformTestSupport.esPendingHours;
import static io.ecompipeline.transform.TransformTestSupport.hourlyRows;
import static io.ecompipeline.transform.TransformTestSupport.hoursOf;
import static io.ecompipeline.transform.TransformTestSupport.run;
import static io.ecompipeline.transform.TransformTestSupport.runRecord;
import static io.ecompipeline.transform.TransformTestSupport.start;
import static io.ecompipeline.transform.TxEvents.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.ecompipeline.it.LocalStack;
import io.ecompipeline.it.TestEs;
import io.ecompipeline.jobs.JobRun;
import io.ecompipeline.jobs.RunStatus;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Elasticsearch unavailable during a transformation run: the run still commits, its hours stay queued for
 * Elasticsearch, and the next run after Elasticsearch is back leaves the index equal to PostgreSQL. The node is
 * really stopped and started with scripts/local-stack.sh (LOCAL_STACK_SCRIPT when the stack was started from
 * another checkout); "rejecting" is a real write block on the index.
 */
@CamelMainTest(properties = {
        "camel.main.routes-include-pattern="
                + "classpath:routes/error-handling.yaml,classpath:routes/transform.yaml,classpath:routes/index.yaml",
        // the tests call the job registry directly: no credentials, no management server
        "camel.server.authenticationEnabled=false",
        "camel.management.enabled=false",
        "pipeline.transform.cron=0 0 0 1 1 ? 2099",
        "pipeline.gold.cron=0 0 0 1 1 ? 2099",
        "pipeline.index.cron=0 0 0 1 1 ? 2099",
        // a Quartz cluster of its own: this context has only the transform and index routes
        "pipeline.scheduler.name=transform-it",
        // fail fast while the node is down instead of the default 30 s per attempt
        "camel.component.elasticsearch.connection-timeout=2000",
        "camel.component.elasticsearch.socket-timeout=20000"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransformEsOutageIT extends TransformJobsIT {

    @Test
    void elasticsearchStoppedDuringARunIsCaughtUpByTheNextRun() throws Exception {
        LocalStack.requireManaged("elasticsearch");
        LocalDate day = TxEvents.unusedDay();
        Instant from = start(day);
        Instant to = start(day.plusDays(2));
        TxEvents gen = new TxEvents(day.toEpochDay() + 10);
        List<TxEvent> events = gen.spread(at(day, 3, 0, 0), Duration.ofHours(5), 200, 0.2);
        TxEvents.insert(events);
        int hours = hoursOf(events).size();

        try {
            LocalStack.down("elasticsearch");
            assertTrue(!ES.reachable(), "Elasticsearch is down");

            JobRun during = run(jobs, "transform");
            assertEquals(RunStatus.SUCCEEDED, during.status(), () -> "the SQL part does not depend on Elasticsearch: " + during);
            assertEquals("failed", during.result().get("index_status"), () -> "result: " + during.result());
            assertNotNull(during.result().get("index_error"));
            Map<String, Object> record = runRecord(during.id());
            assertEquals("succeeded", record.get("status"));
            assertEquals("failed", record.get("index_status"));
            assertEquals(hours, esPendingHours(from, to), "every hour of the run waits for Elasticsearch");
            assertTablesMatch(events, from, to);

            JobRun index = run(jobs, "index");
            assertEquals(RunStatus.FAILED, index.status(), () -> "the index job fails while the node is down: " + index);
            assertEquals("failed", runRecord(index.id()).get("status"));
            assertEquals(hours, esPendingHours(from, to), "a failed pass loses nothing");
        } finally {
            LocalStack.up("elasticsearch");
        }
        ES.requireUp();

        JobRun after = run(jobs, "transform");
        assertEquals(RunStatus.SUCCEEDED, after.status(), () -> "run: " + after);
        assertEquals("indexed", after.result().get("index_status"), () -> "result: " + after.result());
        assertEquals(0, esPendingHours(from, to));
        assertDocumentsMatch(ES, events, from, to);
        assertDocumentsEqualPostgres(from, to);
    }

    @Test
    void elasticsearchRejectingDocumentsKeepsThemPendingUntilItAcceptsThem() throws Exception {
        LocalDate day = TxEvents.unusedDay();
        Instant from = start(day);
        Instant to = start(day.plusDays(1));
        TxEvents gen = new TxEvents(day.toEpochDay() + 11);
        List<TxEvent> events = gen.spread(at(day, 12, 0, 0), Duration.ofHours(3), 90, 0.2);
        TxEvents.insert(events);
        int hours = hoursOf(events).size();

        // make sure the index exists, then block writes: every bulk item comes back with an error
        assertEquals(RunStatus.SUCCEEDED, run(jobs, "index").status());
        ES.json("PUT", "/" + INDEX + "/_settings", "{\"index.blocks.write\": true}");
        try {
            JobRun rejected = run(jobs, "transform");
            assertEquals(RunStatus.SUCCEEDED, rejected.status());
            assertEquals("failed", rejected.result().get("index_status"), () -> "result: " + rejected.result());
            assertTrue(rejected.result().get("index_error").toString().contains("rejected"), () -> "result: " + rejected.result());
            assertEquals(hours, esPendingHours(from, to));
        } finally {
            ES.json("PUT", "/" + INDEX + "/_settings", "{\"index.blocks.write\": null}");
        }

        JobRun index = run(jobs, "index");
        assertEquals(RunStatus.SUCCEEDED, index.status(), () -> "run: " + index);
        assertEquals(0, esPendingHours(from, to));
        assertDocumentsMatch(ES, events, from, to);
        assertDocumentsEqualPostgres(from, to);
    }

    /** Each marts.hourly_metrics row of [from, to) has its document with the same fields and values, and there are no others. */
    private static void assertDocumentsEqualPostgres(Instant from, Instant to) {
        List<Map<String, Object>> rows = hourlyRows(from, to);
        for (Map<String, Object> r : rows) {
            Instant hour = Expected.instant(r.get("event_hour"));
            TestEs.Doc doc = ES.get(INDEX, hour.toString());
            assertNotNull(doc, "document " + hour);
            TransformTestSupport.assertDocumentIsRow(r, doc.source());
        }
        assertEquals(rows.size(), ES.count(INDEX, from, to));
    }
}
