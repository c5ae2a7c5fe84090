/*
 * CPU per event of the event contract alone (parse + JSON Schema + business rules), on realistic events from the
 * project's generator (25 % invalid, spread over every defect kind), with no Kafka or PostgreSQL around it:
 *
 *   java -cp target/ecom-pipeline.jar bench/contract/ContractBenchmark.java [events=50000] [reps=15] [seed=17]
 *
 * The events are generated and serialised once; each repetition validates all of them on one thread and reports the
 * thread's CPU time per event (ThreadMXBean, so a busy machine inflates it less than wall time would). The first
 * third of the repetitions warm the JIT and are not reported. Prints one line per measured repetition and a summary
 * line "RESULT {...}" with the median, min and max µs/event and the verdict counts (so two jars can be checked to
 * judge the same events the same way; generator and contract share one fixed clock, so the events are the same). Run it under `flock /work/heavy.lock` and compare jars in the same minutes.
 */

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.ecompipeline.contract.EventContract;
import io.ecompipeline.contract.ValidationResult;
import io.ecompipeline.contract.Violation;
import io.ecompipeline.generate.EventGenerator;
import io.ecompipeline.generate.GeneratedEvent;
import org.apache.camel.impl.DefaultCamelContext;

public class ContractBenchmark {

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 17;
        // one fixed "now" for the generator and the contract, so every run and every jar judges identical events
        // (run contract-ab-20261201T033109Z still used the system clock: its verdict counts varied by < 0.5 % between runs)
        Clock clock = Clock.fixed(java.time.Instant.parse("2026-11-21T10:20:00Z"), java.time.ZoneOffset.UTC);
        EventGenerator generator = new EventGenerator(seed, 0.25, 0.05, 5_000, 500, clock);
        List<byte[]> payloads = new ArrayList<>(events);
        for (GeneratedEvent e : generator.next(events)) {
            payloads.add(e.value());
        }
        EventContract contract;
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            contract = EventContract.load(camel, EventContract.DEFAULT_SCHEMA_URI, EventContract.DEFAULT_RULES_URI,
                    EventContract.DEFAULT_MAX_PAYLOAD_BYTES, clock);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int warmup = Math.max(1, reps / 3);
        double[] measured = new double[reps - warmup];
        Map<String, Integer> verdicts = new TreeMap<>();
        for (int rep = 0; rep < reps; rep++) {
            int valid = 0;
            long violations = 0;
            long cpu0 = mx.getCurrentThreadCpuTime();
            for (byte[] p : payloads) {
                ValidationResult r = contract.validate(p);
                if (r.valid()) {
                    valid++;
                }
                violations += r.violations().size();
            }
            double usPerEvent = (mx.getCurrentThreadCpuTime() - cpu0) / 1e3 / payloads.size();
            if (rep >= warmup) {
                measured[rep - warmup] = usPerEvent;
                System.out.printf("rep %d: %.2f us/event (valid %d, violations %d)%n", rep - warmup + 1, usPerEvent, valid,
                        violations);
            }
            if (rep == reps - 1) {
                for (byte[] p : payloads) {
                    for (Violation v : contract.validate(p).violations()) {
                        verdicts.merge(v.rule(), 1, Integer::sum);
                    }
                }
                verdicts.put("valid", valid);
            }
        }
        double[] sorted = measured.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        System.out.printf("RESULT {\"events\":%d,\"reps\":%d,\"seed\":%d,\"us_per_event_median\":%.2f,\"min\":%.2f,"
                        + "\"max\":%.2f,\"load\":\"%s\",\"verdicts\":\"%s\"}%n", events, measured.length, seed, median,
                sorted[0], sorted[sorted.length - 1], new String(java.nio.file.Files.readAllBytes(
                        java.nio.file.Path.of("/proc/loadavg"))).trim(), verdicts);
    }
}
