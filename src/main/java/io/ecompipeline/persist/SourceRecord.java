package io.ecompipeline.persist;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/** One consumed Kafka record: where it came from and its value bytes exactly as received (may be null or empty). */
public record SourceRecord(String topic, int partition, long offset, byte[] value) {

    public String origin() {
        return topic + "/" + partition + "@" + offset;
    }

    /** The records of a batch exchange produced by the Kafka consumer in batching mode. */
    public static List<SourceRecord> fromBatch(Exchange batch) {
        List<?> exchanges = batch.getMessage().getBody(List.class);
        List<SourceRecord> records = new ArrayList<>(exchanges == null ? 0 : exchanges.size());
        if (exchanges != null) {
            for (Object item : exchanges) {
                records.add(fromMessage(((Exchange) item).getMessage()));
            }
        }
        return records;
    }

    public static SourceRecord fromMessage(Message message) {
        Object body = message.getBody();
        byte[] value = body == null ? null
                : body instanceof byte[] bytes ? bytes
                : message.getBody(byte[].class);
        String topic = message.getHeader(KafkaConstants.TOPIC, String.class);
        Integer partition = message.getHeader(KafkaConstants.PARTITION, Integer.class);
        Long offset = message.getHeader(KafkaConstants.OFFSET, Long.class);
        return new SourceRecord(topic == null ? "unknown" : topic, partition == null ? -1 : partition,
                offset == null ? -1L : offset, value);
    }
}
