package io.ecompipeline.generate;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
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
 * Publishes generated events to Kafka at a given rate (or as fast as possible), keyed by event id, printing progress
 * while it sends and, at the end, what it sent by kind so the result can be checked against the pipeline.
 */
public final class EventPublisher {

    /**
     * What one publishing run sent, and the CPU this process used meanwhile (all its threads: producer, JIT, GC), so a
     * benchmark can say how much of the machine its load generator took.
     */
    public record Report(long sent, double seconds, Map<String, Long> byKind, double cpuSeconds) {
    }

    private final String bootstrap;
    private final String topic;
    private final PrintStream out;
    private final long progressEveryNanos;

    public EventPublisher(String bootstrap, String topic, PrintStream out, long progressEveryMillis) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.out = out;
        this.progressEveryNanos = progressEveryMillis * 1_000_000L;
    }

    /**
     * Sends {@code count} events from {@code generator}; {@code rate} events per second, 0 for as fast as possible.
     *
     * @throws IllegalStateException when Kafka refused a record (naming the topic and the cause)
     */
    public Report publish(EventSource generator, long count, double rate) throws InterruptedException {
        return publish(generator, count, rate, event -> { });
    }

    /** {@link #publish(EventSource, long, double)}, telling {@code onEvent} about every event before it is sent. */
    public Report publish(EventSource generator, long count, double rate, java.util.function.Consumer<GeneratedEvent> onEvent)
            throws InterruptedException {
        Map<String, Long> byKind = new TreeMap<>();
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long cpuBefore = processCpuNanos();
        long started = System.nanoTime();
        long nextProgress = started + progressEveryNanos;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties())) {
            for (long i = 0; i < count && failure.get() == null; i++) {
                if (rate > 0) {
                    long wait = started + (long) (i * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                GeneratedEvent event = generator.next();
                onEvent.accept(event);
                byKind.merge(event.valid() ? (event.late() ? "valid (late)" : "valid") : event.kind() + " -> " + event.rule(),
                        1L, Long::sum);
                producer.send(new ProducerRecord<>(topic, event.eventId(), event.value()), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
                if (progressEveryNanos > 0 && System.nanoTime() >= nextProgress) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    out.printf("generator: %,d of %,d sent (%d%%), %,.0f/s%n", acked.get(), count, acked.get() * 100 / count,
                            acked.get() / seconds);
                    nextProgress += progressEveryNanos;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("sending to " + topic + " at " + bootstrap + " failed: " + failure.get().getMessage(),
                    failure.get());
        }
        return new Report(acked.get(), (System.nanoTime() - started) / 1e9, byKind, (processCpuNanos() - cpuBefore) / 1e9);
    }

    /**
     * Sends {@code records} (keyed by their id) to {@code otherTopic} and waits for every acknowledgement: the records of
     * the other sources (products, inventory, campaigns). Returns how many were sent by kind.
     *
     * @throws IllegalStateException when Kafka refused a record
     */
    public Map<String, Long> sendAll(String otherTopic, java.util.List<GeneratedEvent> records) {
        Map<String, Long> byKind = new TreeMap<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties())) {
            for (GeneratedEvent r : records) {
                byKind.merge(r.valid() ? "valid" : r.kind() + " -> " + r.rule(), 1L, Long::sum);
                producer.send(new ProducerRecord<>(otherTopic, r.eventId(), r.value()), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("sending to " + otherTopic + " at " + bootstrap + " failed: " + failure.get().getMessage(),
                    failure.get());
        }
        return byKind;
    }

    /** CPU time of this JVM so far, or 0 where the platform does not tell. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // fail within a bounded time when the broker is unreachable instead of hanging for minutes
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }
}
