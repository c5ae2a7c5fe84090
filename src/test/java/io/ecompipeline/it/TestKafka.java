package io.ecompipeline.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Test-side Kafka: a fresh topic per test, a producer of raw bytes, and the offsets that prove what was consumed. */
public final class TestKafka implements AutoCloseable {

    private static final int DELIVERY_TIMEOUT_MS = 120_000;

    private final Admin admin = LocalServices.kafkaAdmin();
    private final KafkaProducer<byte[], byte[]> producer;

    public TestKafka() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.KAFKA);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        // Right after a topic is created the broker may answer NOT_LEADER for a partition it has not opened yet.
        // With several batches in flight, a later batch then lands first and the retried one is refused for good
        // (OutOfOrderSequenceException, KRaft race). One in flight keeps idempotent retries in order.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(p);
    }

    public String createTopic(String prefix, int partitions) {
        String topic = prefix + "-" + Long.toString(System.nanoTime(), 36);
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)
                    .configs(Map.of("max.message.bytes", String.valueOf(4 * 1024 * 1024))))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic, e);
        }
        return topic;
    }

    /**
     * Sends every value (null allowed) round-robin over the partitions and waits until all are acknowledged.
     * Returns each record's origin as "partition@offset", in the order of {@code values}.
     */
    public List<String> send(String topic, List<byte[]> values) {
        int partitions = partitions(topic);
        List<Future<RecordMetadata>> acks = new ArrayList<>(values.size());
        int i = 0;
        for (byte[] value : values) {
            acks.add(producer.send(new ProducerRecord<>(topic, i++ % partitions, null, value)));
        }
        producer.flush();
        List<String> origins = new ArrayList<>(values.size());
        for (Future<RecordMetadata> ack : acks) {
            try {
                // as long as the producer's own delivery timeout: it keeps retrying until then
                RecordMetadata md = ack.get(DELIVERY_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
                origins.add(md.partition() + "@" + md.offset());
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                throw new IllegalStateException("send to " + topic + " failed: " + cause, e);
            }
        }
        return origins;
    }

    /**
     * A background producer of {@code total} records at about {@code perSecond}, in chunks of 200: a steady stream,
     * so that a stop or an outage really happens while records keep arriving. Start it with {@code start()}.
     */
    public Thread pacedProducer(String topic, java.util.function.Supplier<byte[]> next, int total, int perSecond) {
        return new Thread(() -> {
            long started = System.nanoTime();
            int sent = 0;
            while (sent < total) {
                List<byte[]> chunk = new ArrayList<>();
                for (int i = 0; i < Math.min(200, total - sent); i++) {
                    chunk.add(next.get());
                }
                send(topic, chunk);
                sent += chunk.size();
                long ahead = started + sent * 1_000_000_000L / perSecond - System.nanoTime();
                if (ahead > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(ahead);
                }
            }
        }, "paced-producer-" + topic);
    }

    /** Every record of the topic from the beginning (a consumer without a group), by key (String); the last value wins. */
    public Map<String, byte[]> readAll(String topic) {
        Properties p = new Properties();
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.KAFKA);
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        Map<String, byte[]> out = new HashMap<>();
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> consumer =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int i = 0; i < partitions(topic); i++) {
                partitions.add(new TopicPartition(topic, i));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<Integer, Long> end = endOffsets(topic);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && partitions.stream()
                    .anyMatch(tp -> consumer.position(tp) < end.getOrDefault(tp.partition(), 0L))) {
                consumer.poll(java.time.Duration.ofMillis(500)).forEach(r -> out.put(r.key(), r.value()));
            }
        }
        return out;
    }

    public int partitions(String topic) {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic).partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<Integer, Long> endOffsets(String topic) {
        try {
            int n = partitions(topic);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < n; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                    admin.listOffsets(request).all().get(15, TimeUnit.SECONDS);
            return result.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Committed offsets of the group on the topic (partitions without a commit are absent). */
    public Map<Integer, Long> committed(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
            Map<Integer, Long> result = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (tp.topic().equals(topic) && om != null) {
                    result.put(tp.partition(), om.offset());
                }
            });
            return result;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean allCommitted(String group, String topic) {
        Map<Integer, Long> end = endOffsets(topic);
        Map<Integer, Long> committed = committed(group, topic);
        return end.entrySet().stream().allMatch(e -> e.getValue() == 0 || e.getValue().equals(committed.get(e.getKey())));
    }

    /**
     * The partitions held by each member of a group whose rebalance has completed (state Stable), by member id; empty
     * while the group is still rebalancing, so that "member listed" is not mistaken for "member assigned".
     */
    public Map<String, Integer> stableAssignment(String group) {
        try {
            ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(group)).all().get(15, TimeUnit.SECONDS)
                    .get(group);
            if (g.state() != ConsumerGroupState.STABLE) {
                return Map.of();
            }
            return g.members().stream().collect(Collectors.toMap(m -> m.consumerId(),
                    m -> m.assignment().topicPartitions().size()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
