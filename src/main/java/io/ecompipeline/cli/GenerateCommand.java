package io.ecompipeline.cli;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.ecompipeline.generate.CampaignGenerator;
import io.ecompipeline.generate.CampaignTouches;
import io.ecompipeline.generate.EventGenerator;
import io.ecompipeline.generate.EventPublisher;
import io.ecompipeline.generate.EventReplay;
import io.ecompipeline.generate.EventSource;
import io.ecompipeline.generate.GeneratedEvent;
import io.ecompipeline.generate.InventoryGenerator;
import io.ecompipeline.generate.ProductGenerator;
import io.ecompipeline.generate.PurchaseTally;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ecom-pipeline generate}: publishes synthetic events (a share of them invalid, some late) to Kafka; with
 * {@code --with-sources} also the products, inventory and campaigns topics, consistent with the events.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Publish synthetic e-commerce events to Kafka, a configurable share of them invalid.",
            "With --with-sources also the products catalog (the events' product ids), campaigns with daily spend (a share of "
                + "the events carries their campaign_id), and stock snapshots before and after the events' paid purchases; "
                + "the same share of each is invalid."})
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

    @Option(names = "--with-sources", description = "also publish products, campaigns and inventory (see above)")
    boolean withSources;

    @Option(names = "--campaign-share", defaultValue = "0.2",
            description = "with --with-sources: share of events that carry a campaign_id (default: ${DEFAULT-VALUE})")
    double campaignShare;

    @Option(names = "--products-topic", defaultValue = "${env:PRODUCTS_TOPIC:-ecommerce.products}",
            description = "products topic (default: $PRODUCTS_TOPIC or ecommerce.products)")
    String productsTopic;

    @Option(names = "--inventory-topic", defaultValue = "${env:INVENTORY_TOPIC:-ecommerce.inventory}",
            description = "inventory topic (default: $INVENTORY_TOPIC or ecommerce.inventory)")
    String inventoryTopic;

    @Option(names = "--campaigns-topic", defaultValue = "${env:CAMPAIGNS_TOPIC:-ecommerce.campaigns}",
            description = "campaigns topic (default: $CAMPAIGNS_TOPIC or ecommerce.campaigns)")
    String campaignsTopic;

    @Option(names = "--distinct", defaultValue = "0",
            description = {"generate N distinct events once and replay them, each with a fresh event id and its event time "
                + "moved on: a cheap load generator for benchmarks; 0 = generate every event (default: ${DEFAULT-VALUE})"})
    int distinct;

    @Option(names = "--progress-seconds", defaultValue = "5", description = "progress line interval, 0 = none (default: ${DEFAULT-VALUE})")
    int progressSeconds;

    @Override
    public Integer call() throws Exception {
        validate();
        Clock clock = Clock.systemUTC();
        EventGenerator generator = new EventGenerator(seed, invalid, late, customers, products, clock, days);
        EventPublisher publisher = new EventPublisher(bootstrap, topic, System.out, progressSeconds * 1000L);
        try {
            InventoryGenerator inventory = null;
            if (withSources) {
                ProductGenerator catalog = new ProductGenerator(seed + 1, invalid, products, clock);
                CampaignGenerator campaigns = new CampaignGenerator(seed + 2, invalid, clock);
                inventory = new InventoryGenerator(seed + 3, invalid, catalog.catalogSize(), clock);
                send(publisher, "products", productsTopic, catalog.records());
                send(publisher, "campaigns", campaignsTopic, campaigns.records());
                send(publisher, "inventory (opening stock)", inventoryTopic, inventory.opening());
                generator.withCampaigns(new CampaignTouches(campaigns.campaigns(), campaignShare, seed + 4));
            }
            PurchaseTally tally = new PurchaseTally();
            EventSource source = distinct > 0 ? new EventReplay(generator, distinct, seed ^ 0x5DEECE66DL, clock) : generator;
            EventPublisher.Report report = publisher.publish(source, count, rate, tally);
            System.out.printf("generator: sent %d records to %s in %.1f s (%.0f/s), CPU %.1f s (%.2f of one core)%s%n",
                    report.sent(), topic, report.seconds(), report.sent() / Math.max(report.seconds(), 1e-9), report.cpuSeconds(),
                    report.cpuSeconds() / Math.max(report.seconds(), 1e-9),
                    distinct > 0 ? ", " + distinct + " distinct events replayed" : "");
            report.byKind().forEach((kind, n) -> System.out.printf("  %-52s %8d%n", kind, n));
            if (inventory != null) {
                send(publisher, "inventory (after the paid purchases)", inventoryTopic, inventory.after(tally.unitsByProduct()));
            }
            return 0;
        } catch (IllegalStateException e) {
            System.err.println("ecom-pipeline generate: " + e.getMessage());
            return 1;
        }
    }

    private static void send(EventPublisher publisher, String what, String toTopic, List<GeneratedEvent> records) {
        Map<String, Long> byKind = publisher.sendAll(toTopic, records);
        System.out.printf("generator: sent %d %s records to %s%n", records.size(), what, toTopic);
        byKind.forEach((kind, n) -> System.out.printf("  %-52s %8d%n", kind, n));
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
        if (campaignShare < 0 || campaignShare > 1) {
            problems.append("--campaign-share must be between 0 and 1; ");
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
        if (distinct < 0) {
            problems.append("--distinct must be 0 or more; ");
        }
        if (distinct > 0 && withSources) {
            problems.append("--distinct replays events and cannot be combined with --with-sources; ");
        }
        if (progressSeconds < 0) {
            problems.append("--progress-seconds must be 0 or more; ");
        }
        if (!problems.isEmpty()) {
            throw new ParameterException(spec.commandLine(), problems.substring(0, problems.length() - 2));
        }
    }
}
