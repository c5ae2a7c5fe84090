package io.ecompipeline.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real runtime as a separate process ({@code java -jar target/ecom-pipeline.jar}), so tests can send it SIGTERM
 * or SIGKILL like an operator or an orchestrator would. Its log goes to {@code target/it-logs/<name>.log}.
 */
public final class RuntimeProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "ecom-pipeline.jar");
    private static final Path LAUNCHER = Path.of("bin", "ecom-pipeline").toAbsolutePath();

    public static final String API_USER = "operator";
    public static final String API_PASSWORD = "dev-only-password";

    private final String name;
    private final Map<String, String> env;
    private final Path log;
    private final int serverPort = freePort();
    private final int managementPort = freePort();
    private Process process;

    public RuntimeProcess(String name, Map<String, String> env) {
        this.name = name;
        this.env = new HashMap<>(LocalServices.runtimeEnv());
        this.env.put("PIPELINE_DEV_MODE", "true");
        this.env.put("PIPELINE_API_USER", API_USER);
        this.env.put("PIPELINE_API_PASSWORD", API_PASSWORD);
        this.env.put("SERVER_PORT", String.valueOf(serverPort));
        this.env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
        this.env.putAll(env);
        this.log = Path.of("target", "it-logs", name + ".log");
    }

    /** Base URL of the REST API, e.g. http://127.0.0.1:PORT/api. */
    public String api() {
        return "http://127.0.0.1:" + serverPort + "/api";
    }

    /** The fleet's view of one route ({@code GET /api/routes} of this instance), once {@code done} holds for it. */
    public com.fasterxml.jackson.databind.JsonNode awaitRoute(String routeId, String what, Duration timeout,
                                                             java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> done) {
        return Await.until(what, timeout, () -> {
            for (com.fasterxml.jackson.databind.JsonNode r : TestHttp.get(api() + "/routes").json().path("routes")) {
                if (routeId.equals(r.path("id").asText())) {
                    return r;
                }
            }
            return null;
        }, r -> r != null && done.test(r));
    }

    /** Base URL of the management server, e.g. http://127.0.0.1:PORT/observe. */
    public String management() {
        return "http://127.0.0.1:" + managementPort + "/observe";
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public RuntimeProcess start() {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after `mvn package` (use `mvn verify`)");
        }
        try {
            Files.createDirectories(log.getParent());
            // a temp folder of its own: the runtime writes its users file there, and a process that tidies the shared
            // /tmp (another checkout's runtime removing "leftover" users files) must not pull it from under this one
            Path tmp = Files.createDirectories(Path.of("target", "it-tmp", name).toAbsolutePath());
            // started as users start it, through bin/ecom-pipeline (its per-JDK options, e.g. compact headers and no
            // Unsafe warning on stderr on JDK 25), on the JDK under test; the heap stays 1 GB for the adversarial tests
            ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString());
            pb.environment().put("ECOM_PIPELINE_JAVA", javaBin());
            pb.environment().put("ECOM_PIPELINE_JAR", JAR.toAbsolutePath().toString());
            pb.environment().put("JAVA_OPTS_EXTRA", "-Xmx1g -Djava.io.tmpdir=" + tmp);
            pb.environment().putAll(env);
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start runtime " + name, e);
        }
        return this;
    }

    /** Waits until the log has {@code text}; fails early if the process died. */
    public void awaitLog(String text, Duration timeout) {
        Await.until(name + " log line \"" + text + "\"", timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; log tail:\n" + tail(40));
            }
            return logText().contains(text);
        }, found -> found);
    }

    /** Start-up takes ~15 s on an idle machine; the shared 2-core machine at a load of 20 needed over 100 s. */
    public void awaitStarted() {
        awaitStarted(Duration.ofSeconds(240));
    }

    /** For tests that start several runtimes at once on a busy machine. */
    public void awaitStarted(Duration timeout) {
        awaitLog("started in", timeout);
    }

    /** The id this runtime joined the fleet with (pipeline.instances), from its log (the last start); empty before. */
    public String instanceId() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Joined the fleet as instance ([^;\\s]+)").matcher(logText());
        String id = "";
        while (m.find()) {
            id = m.group(1);
        }
        return id;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, then waits for a graceful exit; returns the exit code. */
    public int terminate(Duration timeout) {
        process.destroy();
        return waitFor(timeout);
    }

    /** Waits for the process to exit on its own (e.g. a refused start-up); returns the exit code. */
    public int waitForExit(Duration timeout) {
        return waitFor(timeout);
    }

    /** SIGKILL: no shutdown hooks, no flush. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    private int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not exit within " + timeout.toSeconds() + "s; log tail:\n" + tail(40));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    public String tail(int lines) {
        String[] all = logText().split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
            sb.append(all[i]).append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
        }
    }

    /**
     * The JVM the runtime under test runs on: IT_RUNTIME_JAVA when set (scripts/test.sh sets it to the java
     * bin/ecom-pipeline picks, so the tests run the product on the JDK users get), else this test JVM's own.
     */
    private static String javaBin() {
        String chosen = System.getenv("IT_RUNTIME_JAVA");
        if (chosen != null && !chosen.isBlank()) {
            return chosen;
        }
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
