package io.ecompipeline.generate;

import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes synthetic events to Kafka: {@code java -cp ecom-pipeline.jar io.ecompipeline.generate.GeneratorMain
 * --count 5000 --invalid 0.25}. Prints what it sent, by kind, so the result can be checked against the pipeline.
 */
public final class GeneratorMain {

    private GeneratorMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        if (opts.containsKey("help")) {
            System.out.println("""
                    usage: GeneratorMain [--count N] [--rate EVENTS_PER_SECOND|0] [--invalid SHARE] [--late SHARE]
                                         [--customers N] [--products N] [--seed N] [--topic T] [--bootstrap HOST:PORT]
                      defaults: count 5000, rate 0 (as fast as possible), invalid 0.25, late 0.05, customers 5000,
                                products 500, seed 42, topic $KAFKA_TOPIC or ecommerce.events,
                                bootstrap $KAFKA_BOOTSTRAP_SERVERS or localhost:9092""");
            return;
        }
        long count = Long.parseLong(opts.getOrDefault("count", "5000"));
        double rate = Double.parseDouble(opts.getOrDefault("rate", "0"));
        String topic = opts.getOrDefault("topic", env("KAFKA_TOPIC", "ecommerce.events"));
        String bootstrap = opts.getOrDefault("bootstrap", env("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"));
        EventGenerator generator = new EventGenerator(Long.parseLong(opts.getOrDefault("seed", "42")),
                Double.parseDouble(opts.getOrDefault("invalid", "0.25")), Double.parseDouble(opts.getOrDefault("late", "0.05")),
                Integer.parseInt(opts.getOrDefault("customers", "5000")), Integer.parseInt(opts.getOrDefault("products", "500")),
                Clock.systemUTC());

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

        Map<String, Long> byKind = new TreeMap<>();
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            for (long i = 0; i < count; i++) {
                if (rate > 0) {
                    long due = started + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                GeneratedEvent event = generator.next();
                byKind.merge(event.valid() ? (event.late() ? "valid (late)" : "valid") : event.kind() + " -> " + event.rule(), 1L, Long::sum);
                producer.send(new ProducerRecord<>(topic, event.eventId(), event.value()), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
                if (failure.get() != null) {
                    break;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            System.err.println("generator: sending to " + topic + " at " + bootstrap + " failed: " + failure.get().getMessage());
            System.exit(1);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("generator: sent %d records to %s in %.1f s (%.0f/s)%n", acked.get(), topic, seconds, acked.get() / seconds);
        byKind.forEach((kind, n) -> System.out.printf("  %-52s %8d%n", kind, n));
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a + " (try --help)");
            }
            String key = a.substring(2);
            if (key.equals("help")) {
                opts.put(key, "");
            } else if (i + 1 < args.length) {
                opts.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("missing value for " + a);
            }
        }
        return opts;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
