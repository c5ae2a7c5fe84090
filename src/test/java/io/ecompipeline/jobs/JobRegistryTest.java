package io.ecompipeline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class JobRegistryTest {

    @Test
    void aSecondTriggerWhileRunningGetsTheRunningRunAndAFailureIsReported() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (JobRegistry jobs = new JobRegistry()) {
            jobs.register("slow", id -> {
                release.await(10, TimeUnit.SECONDS);
                return Map.of("done", true);
            });
            jobs.register("broken", id -> {
                throw new IllegalStateException("boom");
            });
            JobRun first = jobs.start("slow", "http");
            JobAlreadyRunningException conflict = assertThrows(JobAlreadyRunningException.class, () -> jobs.start("slow", "http"));
            assertEquals(first.id(), conflict.running().id());
            release.countDown();
            JobRun finished = waitFor(jobs, first.id());
            assertEquals(RunStatus.SUCCEEDED, finished.status());
            assertEquals(Map.of("done", true), finished.result());

            JobRun failed = jobs.runNow("broken", "test");
            assertEquals(RunStatus.FAILED, failed.status());
            assertTrue(failed.error().contains("boom"));
            assertThrows(IllegalArgumentException.class, () -> jobs.start("unknown", "http"));
        }
    }

    private static JobRun waitFor(JobRegistry jobs, String id) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            JobRun run = jobs.get(id).orElseThrow();
            if (!run.running()) {
                return run;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("job did not finish");
    }
}
