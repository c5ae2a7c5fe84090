package io.ecompipeline.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts a service of the local stack with {@code scripts/local-stack.sh} — really, not by pointing at a
 * closed port. The script must be the one that started the stack (it keeps the pid files); when the stack was
 * started from another checkout, set LOCAL_STACK_SCRIPT to that checkout's script.
 */
public final class LocalStack {

    private static final String SCRIPT = System.getenv().getOrDefault("LOCAL_STACK_SCRIPT", "scripts/local-stack.sh");

    private LocalStack() {
    }

    /** Fails loudly unless the script reports the service as running (i.e. it can also stop it). */
    public static void requireManaged(String service) {
        String status = run("status");
        boolean running = status.lines().anyMatch(l -> l.startsWith(service + " ") && l.contains(" running"));
        if (!running) {
            throw new IllegalStateException(SCRIPT + " does not manage a running " + service + " (status:\n" + status
                    + "). Start the stack with it, or set LOCAL_STACK_SCRIPT to the local-stack.sh of the checkout that started it.");
        }
    }

    public static void down(String service) {
        run("down", service);
    }

    public static void up(String service) {
        run("up", service);
    }

    private static String run(String... args) {
        try {
            Path out = Files.createTempFile("local-stack", ".log");
            String[] command = new String[args.length + 2];
            command[0] = "bash";
            command[1] = SCRIPT;
            System.arraycopy(args, 0, command, 2, args.length);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroy();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 300 s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + SCRIPT + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
