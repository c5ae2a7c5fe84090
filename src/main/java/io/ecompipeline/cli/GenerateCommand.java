package io.ecompipeline.cli;

import java.time.Clock;
import java.util.concurrent.Callable;

import io.ecompipeline.generate.EventGenerator;
import io.ecompipeline.generate.EventPublisher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ecom-pipeline generate}: publishes synthetic events (a share of them invalid, some late) to Kafka. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publish synthetic e-commerce events to Kafka, a configurable share of them invalid.")
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--count", defaultValue = "5000", description = "events to send (default: ${DEFAULT-VALUE})")
    long count;

    @Option(names = "--rate", defaultValue = "0", description = "events per second, 0 = as fast as possible (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--invalid", defaultValue = "0.25", description = "share of invalid events, 0..1 (default: ${DEFAULT-VALUE})")
    double invalid;

    @Option(names = "--late", defaultValue = "0.05", description = "share of late events, 0..1 (default: ${DEFAULT-VALUE})")
    double late;

    @Option(names = "--customers", defaultValue = "5000", description = "distinct customers (default: ${DEFAULT-VALUE})")
    int customers;

    @Option(names = "--products", defaultValue = "500", description = "distinct products (default: ${DEFAULT-VALUE})")
    int products;

    @Option(names = "--seed", defaultValue = "42", description = "same seed, same events (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--days", defaultValue = "0",
            description = "spread event times over the N days before now; 0 = now, live (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--topic", defaultValue = "${env:KAFKA_TOPIC:-ecommerce.events}",
            description = "topic (default: $KAFKA_TOPIC or ecommerce.events)")
    String topic;

    @Option(names = "--bootstrap", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or localhost:9092)")
    String bootstrap;

    @Option(names = "--progress-seconds", defaultValue = "5", description = "progress line interval, 0 = none (default: ${DEFAULT-VALUE})")
    int progressSeconds;

    @Override
    public Integer call() throws Exception {
        validate();
        EventGenerator generator = new EventGenerator(seed, invalid, late, customers, products, Clock.systemUTC(), days);
        EventPublisher publisher = new EventPublisher(bootstrap, topic, System.out, progressSeconds * 1000L);
        try {
            EventPublisher.Report report = publisher.publish(generator, count, rate);
            System.out.printf("generator: sent %d records to %s in %.1f s (%.0f/s)%n", report.sent(), topic, report.seconds(),
                    report.sent() / Math.max(report.seconds(), 1e-9));
            report.byKind().forEach((kind, n) -> System.out.printf("  %-52s %8d%n", kind, n));
            return 0;
        } catch (IllegalStateException e) {
            System.err.println("ecom-pipeline generate: " + e.getMessage());
            return 1;
        }
    }

    private void validate() {
        StringBuilder problems = new StringBuilder();
        if (count < 0) {
            problems.append("--count must be 0 or more; ");
        }
        if (rate < 0) {
            problems.append("--rate must be 0 or more; ");
        }
        if (invalid < 0 || invalid > 1) {
            problems.append("--invalid must be between 0 and 1; ");
        }
        if (late < 0 || late > 1) {
            problems.append("--late must be between 0 and 1; ");
        }
        if (customers < 1 || products < 1) {
            problems.append("--customers and --products must be at least 1; ");
        }
        if (days < 0 || days > 3650) {
            problems.append("--days must be between 0 and 3650; ");
        }
        if (progressSeconds < 0) {
            problems.append("--progress-seconds must be 0 or more; ");
        }
        if (!problems.isEmpty()) {
            throw new ParameterException(spec.commandLine(), problems.substring(0, problems.length() - 2));
        }
    }
}
