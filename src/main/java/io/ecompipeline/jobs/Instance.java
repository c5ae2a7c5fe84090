package io.ecompipeline.jobs;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * This runtime process as one instance of the fleet that shares the database: its id is stamped on the job runs it
 * starts, its heartbeats and its route reports. Unique per process start, not per host: a restarted container keeps
 * its host name and often its pid (1), and must not be taken for the process that died.
 */
public final class Instance {

    public static final String HOST = host();
    public static final long PID = ProcessHandle.current().pid();
    /** {@code host#pid-random}, e.g. {@code ecom-pipeline-7c9f#1-3fa2b1}. */
    public static final String ID = HOST + "#" + PID + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);

    private Instance() {
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
