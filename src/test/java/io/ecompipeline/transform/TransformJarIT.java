package io.ecompipeline.transform;

import static io.ecompipeline.transform.TransformTestSupport.assertDocumentsMatch;
import static io.ecompipeline.transform.TransformTestSupport.assertTablesMatch;
import static io.ecompipeline.transform.TransformTestSupport.esPendingHours;
import static io.ecompipeline.transform.TransformTestSupport.pendingHours;
import static io.ecompipeline.transform.TransformTestSupport.start;
import static io.ecompipeline.transform.TransformTestSupport.utc;
import static io.ecompipeline.transform.TxEvents.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.ecompipeline.it.Await;
import io.ecompipeline.it.RuntimeProcess;
import io.ecompipeline.it.TestDb;
import io.ecompipeline.it.TestEs;
import org.junit.jupiter.api.Test;

/**
 * The packaged runtime ({@code java -jar target/ecom-pipeline.jar}), twice, with the transform schedule firing
 * every 2 seconds: the SQL files are read from inside the jar, the clustered camel-quartz schedule runs the job once
 * per fire across both instances, and the runs never overlap.
 */
class TransformJarIT {

    private static final TestEs ES = new TestEs();

    @Test
    void scheduledRunsOfTwoInstancesNeverOverlapAndTransformNewEvents() {
        TestDb.count("SELECT 1");
        ES.requireUp();
        LocalDate day = TxEvents.unusedDay();
        Instant from = start(day);
        Instant to = start(day.plusDays(1));
        List<TxEvent> events = new TxEvents(day.toEpochDay() + 20).spread(at(day, 9, 0, 0), Duration.ofHours(3), 120, 0.2);
        TxEvents.insert(events);

        Map<String, String> env = Map.of(
                // only the transformation and indexing routes: no Kafka consumer joins the shared topic
                "CAMEL_MAIN_ROUTESINCLUDEPATTERN", "classpath:routes/transform.yaml,classpath:routes/index.yaml",
                // a Quartz cluster of these two: instances sharing one must run the same scheduled routes
                "PIPELINE_SCHEDULER_NAME", "transform-jar-" + Long.toString(System.nanoTime(), 36),
                "TRANSFORM_CRON", "*/2 * * * * ?",
                "GOLD_CRON", "0 0 0 1 1 ? 2099",
                "INDEX_CRON", "0 0 0 1 1 ? 2099");
        Instant t0 = Instant.now();
        try (RuntimeProcess a = new RuntimeProcess("transform-jar-a", env).start();
             RuntimeProcess b = new RuntimeProcess("transform-jar-b", env).start()) {
            // two JVMs starting at once on a busy machine: a generous wait on the log line
            a.awaitStarted(Duration.ofMinutes(4));
            b.awaitStarted(Duration.ofMinutes(4));
            assertFalse(a.logText().contains("ingest-events"), "only the transform/index routes run");
            Await.until("ten scheduled runs", Duration.ofSeconds(90),
                    () -> TestDb.count("SELECT count(*) FROM pipeline.job_runs WHERE job = 'transform' AND trigger = 'schedule' "
                            + "AND started_at >= ? AND status IN ('succeeded', 'skipped')", utc(t0)),
                    n -> n >= 10);
            Await.until("the test day transformed and indexed", Duration.ofSeconds(30),
                    () -> pendingHours(from, to) + esPendingHours(from, to), n -> n == 0);
        }

        List<Map<String, Object>> runs = TestDb.rows("SELECT run_id, instance, status, started_at, finished_at FROM pipeline.job_runs "
                + "WHERE trigger = 'schedule' AND job = 'transform' AND started_at >= ? ORDER BY started_at", utc(t0));
        Map<String, Object> previous = null;
        int succeeded = 0;
        for (Map<String, Object> run : runs) {
            if (!"succeeded".equals(run.get("status"))) {
                continue;
            }
            if (previous != null) {
                Map<String, Object> before = previous;
                assertFalse(Expected.instant(run.get("started_at")).isBefore(Expected.instant(before.get("finished_at"))),
                        () -> "run " + run + " started before " + before + " finished");
            }
            previous = run;
            succeeded++;
        }
        long skipped = runs.stream().filter(r -> "skipped".equals(r.get("status"))).count();
        // one row per fire of the schedule, whichever instance took it (both share one Quartz cluster)
        assertEquals(TestDb.count("SELECT count(*) FROM pipeline.job_runs WHERE job = 'transform' AND trigger = 'schedule' "
                        + "AND started_at >= ?", utc(t0)),
                TestDb.count("SELECT count(DISTINCT scheduled_for) FROM pipeline.job_runs WHERE job = 'transform' "
                        + "AND trigger = 'schedule' AND started_at >= ?", utc(t0)), "each fire ran once");
        System.out.printf("%d scheduled runs from 2 instances: %d succeeded, %d skipped (the previous run still going)%n",
                runs.size(), succeeded, skipped);
        assertTrue(succeeded >= 2);
        assertTablesMatch(events, from, to);
        assertDocumentsMatch(ES, events, from, to);
        assertEquals(0, esPendingHours(from, to));
    }
}
