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
 * client id (reconnect, route reload) replaces the metrics of its predecessor. It also knows how many broker
 * connections the current consumers hold ({@link #connections()}, for {@link KafkaConnectivity}).
 */
public final class MeteredKafkaClientFactory extends DefaultKafkaClientFactory implements AutoCloseable {

    private final Meters meters;
    private final Map<String, KafkaClientMetrics> byClient = new ConcurrentHashMap<>();
    private final Map<String, Consumer<?, ?>> consumers = new ConcurrentHashMap<>();

    public MeteredKafkaClientFactory(Meters meters) {
        this.meters = meters;
    }

    @Override
    public Consumer getConsumer(Properties props) {
        Consumer consumer = super.getConsumer(props);
        consumers.put(String.valueOf(props.get(ConsumerConfig.CLIENT_ID_CONFIG)), consumer);
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

    /**
     * Open broker connections of the current consumers (their {@code connection-count} metric), or -1 before the
     * first consumer exists.
     */
    public int connections() {
        if (consumers.isEmpty()) {
            return -1;
        }
        int total = 0;
        for (Consumer<?, ?> consumer : consumers.values()) {
            try {
                for (var metric : consumer.metrics().entrySet()) {
                    if (metric.getKey().name().equals("connection-count") && metric.getKey().group().equals("consumer-metrics")
                            && metric.getValue().metricValue() instanceof Number n) {
                        total += n.intValue();
                    }
                }
            } catch (RuntimeException closedMeanwhile) {
                // a consumer closed by a reconnect or a stop: its successor counts
            }
        }
        return total;
    }

    @Override
    public void close() {
        consumers.clear();
        byClient.values().forEach(KafkaClientMetrics::close);
        byClient.clear();
    }
}
