/*
 * Hot methods of a JFR recording (jdk.ExecutionSample): self time by top frame, and inclusive time of the methods
 * that matter on the ingest path, as shares of all samples.
 *
 *   java bench/ingest/JfrHotspots.java recording.jfr [top=25] [thread-filter|-] [method to show call paths of]
 *
 * With -Dshares=ssl,CopyBuffer,KafkaConsumer.poll (name fragments, libraries included) it also prints, per fragment,
 * the share of samples with at least one frame whose Class.method contains it: "how much is X" for any X.
 */

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

public class JfrHotspots {

    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        String threadFilter = args.length > 2 && !args[2].equals("-") ? args[2] : null;
        String callersOf = args.length > 3 ? args[3] : null; // print who calls the top frames matching this
        Map<String, Integer> callers = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        String[] fragments = System.getProperty("shares", "").isEmpty() ? new String[0] : System.getProperty("shares").split(",");
        Map<String, Integer> shares = new HashMap<>();
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            if (threadFilter != null && (thread == null || !thread.contains(threadFilter))) {
                continue;
            }
            total++;
            threads.merge(thread == null ? "?" : thread.replaceAll("[0-9]+", "#"), 1, Integer::sum);
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            self.merge(name(frames.get(0)), 1, Integer::sum);
            if (callersOf != null) {
                for (int i = 0; i < frames.size(); i++) {
                    if (name(frames.get(i)).contains(callersOf)) {
                        StringBuilder path = new StringBuilder();
                        int from = System.getProperty("callees") != null ? Math.max(0, i - 5) : i;
                        for (int j = from; j < Math.min(frames.size(), from + 6); j++) {
                            path.append(j == from ? "" : " <- ").append(name(frames.get(j)).replaceAll("^.*\\.([^.]+\\.[^.]+)$", "$1"));
                        }
                        callers.merge(path.toString(), 1, Integer::sum);
                        break;
                    }
                }
            }
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    inclusive.merge(n, 1, Integer::sum);
                }
            }
            for (String fragment : fragments) {
                if (seen.stream().anyMatch(n -> n.contains(fragment))) {
                    shares.merge(fragment, 1, Integer::sum);
                }
            }
        }
        System.out.printf("%d execution samples%s%n", total, threadFilter == null ? "" : " on threads matching " + threadFilter);
        print("threads", threads, total, 10);
        print("self (top frame)", self, total, top);
        Map<String, Integer> ours = new HashMap<>();
        inclusive.forEach((k, v) -> {
            if (k.startsWith("io.ecompipeline") || k.contains("JsonSchema.validate") || k.contains("KafkaConsumer.poll")
                    || k.contains("CopyManager.copyIn") || k.contains("readTree") || k.contains("toExchange")
                    || k.contains("PgStatement.execute") || k.contains("commitSync") || k.contains("ObjectMapper.writeValueAs")) {
                ours.put(k, v);
            }
        });
        print("inclusive (ingest path)", ours, total, top * 2);
        if (fragments.length > 0) {
            print("shares (samples with a frame containing each fragment)", shares, total, fragments.length);
        }
        if (callersOf != null) {
            print("call paths through " + callersOf, callers, total, top);
        }
    }

    static String name(RecordedFrame f) {
        var m = f.getMethod();
        String type = m.getType().getName();
        return type + "." + m.getName();
    }

    static void print(String title, Map<String, Integer> counts, int total, int n) {
        System.out.println("\n" + title + ":");
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
                .forEach(e -> System.out.printf("  %5.1f%%  %6d  %s%n", 100.0 * e.getValue() / total, e.getValue(), e.getKey()));
    }
}
