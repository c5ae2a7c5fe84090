/*
 * Inclusive shares of a JFR recording (jdk.ExecutionSample): for each name fragment, the share of all samples with at
 * least one frame whose "Class.method" contains it (e.g. "ssl", "CopyBuffer", "KafkaConsumer.poll"). JfrHotspots
 * lists the ingest path's methods; this answers "how much is X" for any X, libraries included.
 *
 *   java bench/ingest/JfrInclusive.java recording.jfr fragment...
 */
import java.nio.file.Path;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

public class JfrInclusive {

    public static void main(String[] args) throws Exception {
        int total = 0;
        int[] hits = new int[args.length - 1];
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            total++;
            for (int i = 1; i < args.length; i++) {
                for (RecordedFrame f : e.getStackTrace().getFrames()) {
                    if ((f.getMethod().getType().getName() + "." + f.getMethod().getName()).contains(args[i])) {
                        hits[i - 1]++;
                        break;
                    }
                }
            }
        }
        System.out.println(total + " execution samples");
        for (int i = 1; i < args.length; i++) {
            System.out.printf("%6.1f%% %6d  %s%n", total == 0 ? 0.0 : 100.0 * hits[i - 1] / total, hits[i - 1], args[i]);
        }
    }
}
