package io.ecompipeline.observe;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * camel-kafka's client factory, with Micrometer's Kafka client metrics ({@code kafka_consumer_*}: records consumed,
 * rebalances, time since the last poll, ...) bound to every consumer it creates. A consumer re-created under the same
 * client id (reconnect, route reload) replaces the metrics of its predecessor.
 */
public final class MeteredKafkaClientFactory extends DefaultKafkaClientFactory implements AutoCloseable {

    private final Meters meters;
    private final Map<String, KafkaClientMetrics> byClient = new ConcurrentHashMap<>();

    public MeteredKafkaClientFactory(Meters meters) {
        this.meters = meters;
    }

    @Override
    public Consumer getConsumer(Properties props) {
        Consumer consumer = super.getConsumer(props);
        meters.registry().ifPresent(registry -> {
            @SuppressWarnings("unchecked")
            KafkaClientMetrics metrics = new KafkaClientMetrics((Consumer<?, ?>) consumer);
            metrics.bindTo(registry);
            KafkaClientMetrics previous = byClient.put(String.valueOf(props.get(ConsumerConfig.CLIENT_ID_CONFIG)), metrics);
            if (previous != null) {
                previous.close();
            }
        });
        return consumer;
    }

    @Override
    public void close() {
        byClient.values().forEach(KafkaClientMetrics::close);
        byClient.clear();
    }
}
