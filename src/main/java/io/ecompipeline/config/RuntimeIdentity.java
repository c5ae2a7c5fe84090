package io.ecompipeline.config;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Who is running: this process's instance id and the run id stamped on every row it writes. Known from the first
 * line the process logs ({@link LogContextData} puts both in every JSON log line), so they live here, before any
 * setting is read: the run id starts as {@code PIPELINE_RUN_ID} (or a new UUID) and the settings confirm it.
 */
public final class RuntimeIdentity {

    public static final String HOST = host();
    public static final long PID = ProcessHandle.current().pid();
    /**
     * {@code host#pid-random}, e.g. {@code ecom-pipeline-7c9f#1-3fa2b1}: unique per process start, not per host (a
     * restarted container keeps its host name and often its pid, 1).
     */
    public static final String INSTANCE_ID = HOST + "#" + PID + "-"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);

    private static volatile UUID runId = initialRunId(System.getenv("PIPELINE_RUN_ID"));

    private RuntimeIdentity() {
    }

    public static UUID runId() {
        return runId;
    }

    /** The run id the settings decided on (the same one unless {@code pipeline.run-id} came from elsewhere). */
    static void runId(UUID decided) {
        runId = decided;
    }

    static UUID initialRunId(String fromEnvironment) {
        try {
            return fromEnvironment == null || fromEnvironment.isBlank() ? UUID.randomUUID() : UUID.fromString(fromEnvironment.trim());
        } catch (IllegalArgumentException e) {
            // the settings report the bad value; until then the lines carry a fresh id
            return UUID.randomUUID();
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // the JVM's own name is pid@host
            String name = ManagementFactory.getRuntimeMXBean().getName();
            return name.contains("@") ? name.substring(name.indexOf('@') + 1) : "unknown-host";
        }
    }
}
