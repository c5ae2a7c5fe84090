package io.ecompipeline.transform;

import static io.ecompipeline.transform.TransformTestSupport.INDEX;
import static io.ecompipeline.transform.TransformTestSupport.assertDocument;
import static io.ecompipeline.transform.TransformTestSupport.assertDocumentsMatch;
import static io.ecompipeline.transform.TransformTestSupport.assertGoldMatch;
import static io.ecompipeline.transform.TransformTestSupport.assertNoDocument;
import static io.ecompipeline.transform.TransformTestSupport.assertTablesMatch;
import static io.ecompipeline.transform.TransformTestSupport.esPendingHours;
import static io.ecompipeline.transform.TransformTestSupport.hoursOf;
import static io.ecompipeline.transform.TransformTestSupport.onlyHours;
import static io.ecompipeline.transform.TransformTestSupport.pendingHours;
import static io.ecompipeline.transform.TransformTestSupport.recordedHours;
import static io.ecompipeline.transform.TransformTestSupport.run;
import static io.ecompipeline.transform.TransformTestSupport.runRecord;
import static io.ecompipeline.transform.TransformTestSupport.set;
import static io.ecompipeline.transform.TransformTestSupport.snapshot;
import static io.ecompipeline.transform.TransformTestSupport.start;
import static io.ecompipeline.transform.TransformTestSupport.utc;
import static io.ecompipeline.transform.TxEvents.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.ecompipeline.db.AdvisoryLocks;
import io.ecompipeline.it.Await;
import io.ecompipeline.it.LocalServices;
import io.ecompipeline.it.TestDb;
import io.ecompipeline.it.TestEs;
import io.ecompipeline.jobs.JobAlreadyRunningException;
import io.ecompipeline.jobs.JobRun;
import io.ecompipeline.jobs.RunStatus;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The transform and index jobs of the real configuration (TransformConfiguration, routes/transform.yaml and
 * routes/index.yaml) against the real PostgreSQL and Elasticsearch. Every test owns a random day in 2019-2021 (no
 * other rows on it or next to it) and asserts only on that day.
 */
@CamelMainTest(properties = {
        "camel.main.routes-include-pattern="
                + "classpath:routes/error-handling.yaml,classpath:routes/transform.yaml,classpath:routes/index.yaml",
        // the tests call the job registry directly: no credentials, no management server
        "camel.server.authenticationEnabled=false",
        "camel.management.enabled=false",
        // the schedules exist but never fire during a test; the tests trigger the jobs themselves
        "pipeline.transform.cron=0 0 0 1 1 ? 2099",
        "pipeline.gold.cron=0 0 0 1 1 ? 2099",
        "pipeline.index.cron=0 0 0 1 1 ? 2099",
        // a Quartz cluster of its own: this context has only the transform and index routes
        "pipeline.scheduler.name=transform-it"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransformIT extends TransformJobsIT {

    @Test
    void knownEventsGiveIndependentlyComputedTablesAndDocumentsAndLateEventsReopenOnlyTheirHour() throws Exception {
        LocalDate day = TxEvents.unusedDay();
        Instant from = start(day);
        Instant to = start(day.plusDays(2));
        TxEvents gen = new TxEvents(day.toEpochDay());
        List<TxEvent> events = new ArrayList<>(gen.spread(at(day, 0, 0, 0), Duration.ofHours(4), 300, 0.2));
        events.add(gen.event("PURCHASE", at(day, 1, 10, 0), at(day, 1, 12, 0)));                   // exactly 2 min: on time
        events.add(gen.event("PURCHASE", at(day, 1, 11, 0), at(day, 1, 13, 0).plusMillis(1)));     // 2 min 1 ms: late
        events.add(gen.event("REFUND", at(day, 2, 59, 59), at(day, 3, 0, 0).plusSeconds(200)));     // late, last second of its hour
        events.addAll(gen.spread(at(day.plusDays(1), 5, 0, 0), Duration.ofHours(2), 80, 0.1));      // next day: day-over-day change
        assertEquals(events.size(), TxEvents.insert(events));

        JobRun first = run(jobs, "transform");
        assertEquals(RunStatus.SUCCEEDED, first.status(), () -> "run: " + first);
        assertEquals("indexed", first.result().get("index_status"), () -> "result: " + first.result());
        assertEquals(hoursOf(events), recordedHours(first.id(), from, to));
        Map<String, Object> record = runRecord(first.id());
        assertEquals("succeeded", record.get("status"));
        assertEquals("indexed", record.get("index_status"));
        assertTrue((Long) record.get("rows_affected") > 0);
        assertTablesMatch(events, from, to);
        assertGold(events, from, to, gen);
        assertDocumentsMatch(ES, events, from, to);
        assertEquals(0, pendingHours(from, to));
        assertEquals(0, esPendingHours(from, to));

        // --- late events for an already aggregated hour, a new hour, and an hour with page views only
        Instant h1 = at(day, 1, 0, 0);
        Instant h6 = at(day, 6, 0, 0);
        Instant h7 = at(day, 7, 0, 0);
        Map<String, List<Map<String, Object>>> before = snapshot(from, to);
        Map<Instant, TestEs.Doc> docsBefore = new HashMap<>();
        for (Instant h : hoursOf(events)) {
            docsBefore.put(h, ES.get(INDEX, h.toString()));
        }
        List<TxEvent> more = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Instant t = at(day, 1, 3 + i * 11, 7);
            more.add(gen.event(i % 2 == 0 ? "PURCHASE" : "REFUND", t, t.plus(Duration.ofHours(30))));
        }
        more.add(gen.event("PURCHASE", at(day, 6, 30, 0), at(day, 6, 30, 5)));
        more.add(gen.event("PAGE_VIEW", at(day, 7, 15, 0), at(day, 7, 15, 1)));
        assertEquals(more.size(), TxEvents.insert(more));
        events.addAll(more);

        JobRun second = run(jobs, "transform");
        assertEquals(RunStatus.SUCCEEDED, second.status(), () -> "run: " + second);
        assertEquals(set(h1, h6, h7), recordedHours(second.id(), from, to), "the run recomputes exactly the touched hours");
        assertTablesMatch(events, from, to);
        assertGold(events, from, to, gen);
        assertDocumentsMatch(ES, events, from, to);
        assertNoDocument(ES, h7);

        // every other hour: same rows, and its document was not even re-sent (same _version)
        Set<Instant> untouched = new TreeSet<>(docsBefore.keySet());
        untouched.remove(h1);
        assertEquals(onlyHours(before, untouched), onlyHours(snapshot(from, to), untouched));
        for (Instant h : untouched) {
            assertEquals(docsBefore.get(h).version(), ES.get(INDEX, h.toString()).version(), "version of " + h);
        }
        assertNotEquals(docsBefore.get(h1).version(), ES.get(INDEX, h1.toString()).version());
    }

    @Test
    void runningAgainGivesIdenticalTablesAndDocumentsAndReplaysChangeNothing() throws Exception {
        LocalDate day = TxEvents.unusedDay();
        Instant from = start(day);
        Instant to = start(day.plusDays(2));
        TxEvents gen = new TxEvents(day.toEpochDay() + 1);
        List<TxEvent> events = new ArrayList<>(gen.spread(at(day, 8, 0, 0), Duration.ofHours(20), 400, 0.15));
        assertEquals(events.size(), TxEvents.insert(events));
        assertEquals(RunStatus.SUCCEEDED, run(jobs, "transform").status());
        assertGold(events, from, to, gen);
        Map<String, List<Map<String, Object>>> once = snapshot(from, to);
        List<Map<String, Object>> customersOnce = customerRows(gen.customerPrefix());
        Map<Instant, Map<String, Object>> docsOnce = sources(hoursOf(events));
        long countOnce = ES.count(INDEX, from, to);
        assertTablesMatch(events, from, to);

        // a backfill request recomputes the same hours: identical rows and documents, no extra document
        int requested = ((Number) TestDb.rows("SELECT pipeline.transform_request_hours(?, ?) AS n", utc(from), utc(to))
                .get(0).get("n")).intValue();
        assertEquals(hoursOf(events).size(), requested);
        JobRun again = run(jobs, "transform");
        assertEquals(hoursOf(events), recordedHours(again.id(), from, to));
        JobRun goldAgain = run(jobs, "gold");
        assertEquals(((Number) goldAgain.result().get("days_touched")).intValue() >= 1, true, () -> "gold: " + goldAgain.result());
        assertEquals(once, snapshot(from, to));
        assertEquals(customersOnce, customerRows(gen.customerPrefix()));
        assertEquals(docsOnce, sources(hoursOf(events)));
        assertEquals(countOnce, ES.count(INDEX, from, to));

        // the same events delivered again (a Kafka replay): no new rows, no pending hour, nothing recomputed
        List<TxEvent> replay = events.stream().map(e -> e.redelivered(e.ingestedAt().plusSeconds(3600))).toList();
        assertEquals(0, TxEvents.insert(replay));
        assertEquals(0, pendingHours(from, to));
        JobRun afterReplay = run(jobs, "transform");
        assertEquals(Set.of(), recordedHours(afterReplay.id(), from, to));
        assertEquals(once, snapshot(from, to));

        // events removed from the raw layer (a correction): their hour is recomputed, its document goes if it is empty
        Instant lastHour = ((TreeSet<Instant>) hoursOf(events)).last();
        List<TxEvent> kept = events.stream().filter(e -> !e.hour().equals(lastHour)).toList();
        TestDb.execute("DELETE FROM raw.events WHERE event_time >= ? AND event_time < ?", utc(lastHour), utc(lastHour.plusSeconds(3600)));
        JobRun afterDelete = run(jobs, "transform");
        assertEquals(set(lastHour), recordedHours(afterDelete.id(), from, to));
        assertEquals(1, ((Number) afterDelete.result().get("deleted_docs")).intValue(), () -> "result: " + afterDelete.result());
        assertTablesMatch(kept, from, to);
        assertGold(kept, from, to, gen);
        assertDocumentsMatch(ES, kept, from, to);
        assertNoDocument(ES, lastHour);
    }

    @Test
    void runsNeverOverlapAcrossInstancesNorInProcess() throws Exception {
        LocalDate day = TxEvents.unusedDay();
        Instant from = start(day);
        Instant to = start(day.plusDays(1));
        TxEvents gen = new TxEvents(day.toEpochDay() + 2);
        List<TxEvent> events = gen.spread(at(day, 10, 0, 0), Duration.ofHours(3), 60, 0.2);
        TxEvents.insert(events);

        // another instance holds the transform lock: this run reports skipped and claims nothing
        try (Connection other = LocalServices.postgres(); Statement st = other.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + AdvisoryLocks.NAMESPACE + ", " + AdvisoryLocks.TRANSFORM + ")");
            JobRun skipped = run(jobs, "transform");
            assertEquals(RunStatus.SKIPPED, skipped.status(), () -> "run: " + skipped);
            assertEquals("skipped", skipped.result().get("status"), () -> "result: " + skipped.result());
            assertTrue(skipped.result().get("reason").toString().contains("already running"));
            assertEquals("skipped", runRecord(skipped.id()).get("status"));
            assertEquals(hoursOf(events).size(), pendingHours(from, to), "nothing claimed");
        }

        // in this process: while a run is held up (a table lock), a second trigger is refused with the running run
        try (Connection blocker = LocalServices.postgres(); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE marts.hourly_metrics IN SHARE MODE");
            JobRun running = jobs.start("transform", "test");
            Await.until("run " + running.id() + " recorded as running", Duration.ofSeconds(30),
                    () -> TestDb.rows("SELECT status FROM pipeline.job_runs WHERE run_id = ?", running.id()),
                    rows -> !rows.isEmpty() && "running".equals(rows.get(0).get("status")));
            JobAlreadyRunningException refused = assertThrows(JobAlreadyRunningException.class, () -> jobs.start("transform", "test"));
            assertEquals(running.id(), refused.running().id());
            assertEquals(running.id(), jobs.runScheduled("transform").id(), "a scheduled trigger skips too");
            blocker.rollback();
            JobRun done = Await.until("run " + running.id() + " finished", Duration.ofSeconds(60),
                    () -> TransformTestSupport.find(jobs, running.id()), r -> !r.running());
            assertEquals(RunStatus.SUCCEEDED, done.status(), () -> "run: " + done);
            assertEquals(hoursOf(events), recordedHours(running.id(), from, to));
        }
        assertTablesMatch(events, from, to);
        assertGold(events, from, to, gen);
    }

    @Test
    void indexJobIndexesPendingHoursOnItsOwn() throws Exception {
        LocalDate day = TxEvents.unusedDay();
        Instant from = start(day);
        Instant to = start(day.plusDays(1));
        TxEvents gen = new TxEvents(day.toEpochDay() + 3);
        List<TxEvent> events = gen.spread(at(day, 20, 0, 0), Duration.ofHours(2), 50, 0.3);
        TxEvents.insert(events);
        assertEquals(RunStatus.SUCCEEDED, run(jobs, "transform").status());
        Instant hour = ((TreeSet<Instant>) hoursOf(events)).first();

        // a document lost on the Elasticsearch side, the hour queued again: the index job alone restores it
        ES.json("DELETE", "/" + INDEX + "/_doc/" + hour + "?refresh=true", null);
        TestDb.execute("INSERT INTO pipeline.es_pending_hours (event_hour) VALUES (?) ON CONFLICT DO NOTHING", utc(hour));
        JobRun index = run(jobs, "index");
        assertEquals(RunStatus.SUCCEEDED, index.status(), () -> "run: " + index);
        assertEquals("indexed", index.result().get("index_status"), () -> "result: " + index.result());
        assertTrue(((Number) index.result().get("indexed_docs")).intValue() >= 1);
        assertEquals(0, esPendingHours(from, to));
        assertDocument(hour, Expected.hourly(events).get(hour), ES.get(INDEX, hour.toString()).source());
        Map<String, Object> record = runRecord(index.id());
        assertEquals("index", record.get("job"));
        assertEquals("succeeded", record.get("status"));
    }

    @Test
    void everyTableAndColumnAnAnalystReadsIsCommented() {
        // the layers an analyst queries; pipeline is bookkeeping (tables are commented, columns need not be)
        List<Map<String, Object>> missing = TestDb.rows("SELECT c.relnamespace::regnamespace::text AS schema, "
                + "c.relname AS relation, a.attname AS column_name FROM pg_class c "
                + "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
                + "WHERE c.relnamespace::regnamespace::text IN (?, ?, ?) AND c.relkind IN ('r', 'v') "
                + "AND (obj_description(c.oid, 'pg_class') IS NULL OR col_description(c.oid, a.attnum) IS NULL) "
                + "ORDER BY 1, 2, 3", "raw", "clean", "marts");
        assertEquals(List.of(), missing, "tables, views and columns without COMMENT ON");
        assertTrue(TestDb.count("SELECT count(*) FROM pg_class WHERE relnamespace = 'marts'::regnamespace "
                + "AND relkind = 'r'") >= 9, "the marts are there");
    }

    /** Runs the gold job (it rebuilds what the transform runs queued) and checks the gold tables. */
    private void assertGold(List<TxEvent> events, Instant from, Instant to, TxEvents gen) throws Exception {
        JobRun gold = run(jobs, "gold");
        assertEquals(RunStatus.SUCCEEDED, gold.status(), () -> "gold run: " + gold);
        assertEquals("succeeded", gold.result().get("status"), () -> "gold result: " + gold.result());
        assertEquals("gold", runRecord(gold.id()).get("job"));
        assertGoldMatch(events, from, to, gen.customerPrefix());
    }

    /** Every customer-level gold row of one test's customers. */
    private static List<Map<String, Object>> customerRows(String prefix) {
        List<Map<String, Object>> rows = new ArrayList<>(TestDb.rows("SELECT * FROM marts.customer_tier_history WHERE customer_id LIKE ? "
                + "ORDER BY customer_id, valid_from", prefix + "%"));
        rows.addAll(TestDb.rows("SELECT * FROM marts.customer_rfm WHERE customer_id LIKE ? ORDER BY customer_id", prefix + "%"));
        return rows;
    }

    private static Map<Instant, Map<String, Object>> sources(Set<Instant> hours) {
        Map<Instant, Map<String, Object>> out = new HashMap<>();
        for (Instant h : hours) {
            TestEs.Doc d = ES.get(INDEX, h.toString());
            out.put(h, d == null ? null : d.source());
        }
        return out;
    }
}
