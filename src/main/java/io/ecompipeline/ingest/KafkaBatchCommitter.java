package io.ecompipeline.ingest;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the Kafka offsets of a batch once its records are durable. Camel's {@code BatchManualCommit} commits only
 * the partition of the batch's last record; a batch spans several partitions, so this commits the highest offset of
 * every partition in it, in one synchronous call on the consumer thread. A failed commit (for instance after a
 * rebalance) is only logged: the rows are already durable and a re-read is deduplicated.
 */
public final class KafkaBatchCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBatchCommitter.class);

    private final Duration timeout;

    public KafkaBatchCommitter(Duration timeout) {
        this.timeout = timeout;
    }

    public void commit(Exchange batch) {
        List<?> exchanges = batch.getMessage().getBody(List.class);
        if (exchanges == null || exchanges.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Consumer<?, ?> consumer = null;
        for (Object item : exchanges) {
            Exchange record = (Exchange) item;
            KafkaManualCommit manual = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (!(manual instanceof DefaultKafkaManualCommit commit)) {
                continue;
            }
            consumer = commit.getCamelExchangePayload().consumer;
            TopicPartition partition = commit.getPartition();
            long next = commit.getRecordOffset() + 1;
            OffsetAndMetadata current = offsets.get(partition);
            if (current == null || current.offset() < next) {
                offsets.put(partition, new OffsetAndMetadata(next));
            }
        }
        if (consumer == null) {
            LOG.warn("Batch has no Kafka manual-commit handles (is allowManualCommit=true on the consumer?); offsets not committed");
            return;
        }
        try {
            consumer.commitSync(offsets, timeout);
        } catch (RuntimeException e) {
            LOG.warn("Offset commit failed for {} ({}); the batch is durable and a re-read is deduplicated",
                    offsets.keySet(), e.getMessage());
        }
    }
}
