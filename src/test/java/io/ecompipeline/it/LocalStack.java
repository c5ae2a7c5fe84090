package io.ecompipeline.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stops and starts one local service through scripts/local-stack.sh, for tests of outages. */
public final class LocalStack {

    private LocalStack() {
    }

    public static void down(String service) {
        run("down", service);
    }

    public static void up(String service) {
        run("up", service);
    }

    private static void run(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", Path.of("scripts", "local-stack.sh").toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "it-logs", "local-stack.log").toFile()))
                    .start();
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("local-stack.sh " + String.join(" ", args) + " failed (see target/it-logs/local-stack.log)");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
