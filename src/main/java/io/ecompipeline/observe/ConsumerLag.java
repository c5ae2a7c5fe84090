package io.ecompipeline.observe;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag of the ingest group: end offset minus committed offset per partition, read with a Kafka admin
 * client when metrics are refreshed (a partition without a commit counts its whole log).
 */
public final class ConsumerLag implements AutoCloseable {

    private final String bootstrap;
    private final String topic;
    private final String group;
    private final Map<String, String> security;
    private Admin admin;

    /** @param security the client security properties (security.protocol, TLS, SASL) the consumer uses too */
    public ConsumerLag(String bootstrap, String topic, String group, Map<String, String> security) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.group = group;
        this.security = security;
    }

    public String topic() {
        return topic;
    }

    public synchronized Map<Integer, Long> lagByPartition() throws Exception {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(security);
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "ecom-pipeline-lag");
            admin = Admin.create(config);
        }
        int partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        Map<Integer, Long> lag = new HashMap<>();
        ends.forEach((tp, end) -> {
            OffsetAndMetadata c = committed.get(tp);
            lag.put(tp.partition(), Math.max(0, end.offset() - (c == null ? 0 : c.offset())));
        });
        return lag;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
