package io.ecompipeline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.db.Database;
import io.ecompipeline.it.Await;
import io.ecompipeline.it.LocalServices;
import io.ecompipeline.it.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job registry on the real run table: two registries (two instances) share it, so a run started on one is
 * "already running" for the other and readable from it; failures and skipped fires are rows too; runs of an instance
 * that stopped heartbeating are closed as abandoned; old runs are purged. Job names are unique per test run, so rows of
 * earlier runs never count.
 */
class JobRegistryIT {

    private static HikariDataSource dataSource;
    private static RunRecords records;
    private final String suffix = Long.toString(System.nanoTime(), 36);

    @BeforeAll
    static void database() {
        PipelineSettings.Database db = new PipelineSettings.Database(LocalServices.PG_URL, LocalServices.PG_USER,
                LocalServices.PG_PASSWORD, 4, Duration.ofSeconds(5), Duration.ofSeconds(30), "classpath:sql/migrations", "", "", "");
        dataSource = Database.createPool(db);
        Database.migrate(dataSource, db);
        records = new RunRecords(dataSource, new ObjectMapper().findAndRegisterModules());
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Test
    void aRunIsRunningForTheWholeFleetAndReadableFromAnyInstance() throws Exception {
        String slow = "slow-" + suffix;
        String broken = "broken-" + suffix;
        CountDownLatch release = new CountDownLatch(1);
        List<JobRun> finishedOnA = new CopyOnWriteArrayList<>();
        List<JobRun> finishedOnB = new CopyOnWriteArrayList<>();
        try (JobRegistry a = new JobRegistry(records, finishedOnA::add); JobRegistry b = new JobRegistry(records, finishedOnB::add)) {
            for (JobRegistry r : List.of(a, b)) {
                r.register(slow, run -> {
                    release.await(30, TimeUnit.SECONDS);
                    return Map.of("done", true, "trigger", run.trigger());
                });
                r.register(broken, run -> {
                    throw new IllegalStateException("boom");
                });
            }
            JobRun first = a.start(slow, "http");
            assertEquals(RunStatus.RUNNING, b.get(first.id()).orElseThrow().status(), "the other instance reads the run");
            JobAlreadyRunningException conflict = assertThrows(JobAlreadyRunningException.class, () -> b.start(slow, "http"));
            assertEquals(first.id(), conflict.running().id());

            // a scheduled fire meanwhile: the running run is returned and the fire is a skipped row
            Instant fire = Instant.parse("2030-01-01T00:00:00Z");
            assertEquals(first.id(), b.runScheduled(slow, Date.from(fire)).id());
            List<Map<String, Object>> skipped = TestDb.rows("SELECT status, error FROM pipeline.job_runs WHERE job = ? "
                    + "AND scheduled_for = ?", slow, fire.atOffset(java.time.ZoneOffset.UTC));
            assertEquals(1, skipped.size());
            assertEquals("skipped", skipped.get(0).get("status"));
            assertTrue(skipped.get(0).get("error").toString().contains(first.id()), skipped.toString());
            assertEquals(1, finishedOnB.size(), "the skipped fire is reported by the instance it landed on");
            assertEquals(RunStatus.SKIPPED, finishedOnB.get(0).status());
            assertEquals(fire, finishedOnB.get(0).scheduledFor());

            release.countDown();
            JobRun finished = Await.until("run " + first.id() + " finished", Duration.ofSeconds(30),
                    () -> get(b, first.id()), r -> !r.running());
            assertEquals(RunStatus.SUCCEEDED, finished.status());
            assertEquals(Map.of("done", true, "trigger", "http"), finished.result());
            assertEquals(Instance.ID, finished.instance());
            assertFalse(finished.finishedAt().isBefore(finished.startedAt()));

            JobRun failed = b.runNow(broken, "test");
            assertEquals(RunStatus.FAILED, failed.status());
            assertTrue(failed.error().contains("boom"), failed.error());
            JobRun failedOnA = a.runNow(broken, "test");
            // each registry reports the runs it finished, and only those
            assertEquals(List.of(first.id() + "=succeeded", failedOnA.id() + "=failed"),
                    Await.until("a's listener told of both runs", Duration.ofSeconds(10),
                            () -> finishedOnA.stream().map(r -> r.id() + "=" + r.status()).toList(), l -> l.size() >= 2));
            assertEquals(failed.id() + "=failed", finishedOnB.get(1).id() + "=" + finishedOnB.get(1).status());
            assertEquals(2, finishedOnB.size());

            assertEquals(List.of(failedOnA.id(), failed.id()), a.recent(broken, 10).stream().map(JobRun::id).toList());
            assertThrows(IllegalArgumentException.class, () -> a.start("unknown-" + suffix, "http"));
        }
    }

    @Test
    void runsOfAnInstanceThatStoppedHeartbeatingAreAbandonedAndOldRunsPurged() throws Exception {
        String job = "orphan-" + suffix;
        String lost = "lost-instance-" + suffix;
        String live = "live-instance-" + suffix;
        TestDb.execute("INSERT INTO pipeline.instances (instance_id, host, pid, heartbeat_at) VALUES (?, 'h', 1, "
                + "now() - interval '5 minutes'), (?, 'h', 2, now())", lost, live);
        TestDb.execute("INSERT INTO pipeline.job_runs (run_id, job, trigger, instance, status) VALUES (?, ?, 'test', ?, 'running')",
                job + "-1", job, lost);
        TestDb.execute("INSERT INTO pipeline.job_runs (run_id, job, trigger, instance, status) VALUES (?, ?, 'test', ?, 'running')",
                job + "-live", job + "-other", live);

        List<JobRun> abandoned = records.abandonRunsOfLostInstances(Duration.ofMinutes(1));
        assertTrue(abandoned.stream().anyMatch(r -> r.id().equals(job + "-1")), abandoned.toString());
        assertFalse(abandoned.stream().anyMatch(r -> r.id().equals(job + "-live")), "a live instance's run stays running");
        JobRun run = records.find(job + "-1").orElseThrow();
        assertEquals(RunStatus.ABANDONED, run.status());
        assertTrue(run.error().contains(lost) && run.error().contains("missed its heartbeats"), run.error());
        assertEquals(RunStatus.RUNNING, records.find(job + "-live").orElseThrow().status());

        // the job is free again: a new run can start
        try (JobRegistry registry = new JobRegistry(records, r -> { })) {
            registry.register(job, r -> Map.of());
            assertEquals(RunStatus.SUCCEEDED, registry.runNow(job, "test").status());
        }

        // purge: finished runs older than the retention go, running ones stay whatever their age
        TestDb.execute("UPDATE pipeline.job_runs SET started_at = now() - interval '40 days', finished_at = now() - interval '40 days' "
                + "WHERE run_id = ?", job + "-1");
        TestDb.execute("UPDATE pipeline.job_runs SET started_at = now() - interval '40 days' WHERE run_id = ?", job + "-live");
        assertTrue(records.purge(Duration.ofDays(30)) >= 1);
        assertTrue(records.find(job + "-1").isEmpty());
        assertEquals(RunStatus.RUNNING, records.find(job + "-live").orElseThrow().status());
        records.finish(job + "-live", RunStatus.SUCCEEDED, Map.of(), null);
        assertNull(records.find(job + "-live").orElseThrow().error());
        // the made-up instances would show in GET /api/routes of runtimes on this database for an hour
        TestDb.execute("DELETE FROM pipeline.instances WHERE instance_id IN (?, ?)", lost, live);
    }

    private static JobRun get(JobRegistry registry, String id) {
        try {
            return registry.get(id).orElseThrow();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
