package io.ecompipeline.wiring;

import javax.sql.DataSource;

import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.deadletter.DeadLetterQueries;
import io.ecompipeline.ingest.IngestStats;
import io.ecompipeline.observe.Alerts;
import io.ecompipeline.observe.ConsumerLag;
import io.ecompipeline.observe.ElasticsearchHealthCheck;
import io.ecompipeline.observe.JobMetrics;
import io.ecompipeline.observe.MeteredKafkaClientFactory;
import io.ecompipeline.observe.Meters;
import io.ecompipeline.observe.PipelineMetrics;
import io.ecompipeline.observe.PostgresHealthCheck;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.component.kafka.KafkaComponent;

/**
 * Alerts (log + webhook), the pipeline's own metrics (refreshed by routes/housekeeping.yaml), consumer lag and the
 * readiness checks: PostgreSQL here, Kafka through Camel's consumer check, Elasticsearch unless declared optional.
 */
@Configuration
public class ObserveConfiguration implements CamelConfiguration {

    @BindToRegistry("alerts")
    public Alerts alerts(CamelContext context, PipelineSettings settings) {
        return new Alerts(Wiring.closeOnStop(context, context.createProducerTemplate()), settings.alerts().webhookEnabled());
    }

    @BindToRegistry("consumerLag")
    public ConsumerLag consumerLag(CamelContext context, PipelineSettings settings) {
        PipelineSettings.Kafka k = settings.kafka();
        return Wiring.closeOnStop(context, new ConsumerLag(k.brokers(), k.topic(), k.groupId()));
    }

    @BindToRegistry("meters")
    public Meters meters(CamelContext context) {
        return new Meters(context);
    }

    @BindToRegistry("pipelineMetrics")
    public PipelineMetrics pipelineMetrics(Meters meters, DataSource dataSource, IngestStats ingest,
                                           DeadLetterQueries deadLetters, ConsumerLag lag) {
        return new PipelineMetrics(meters, dataSource, ingest, deadLetters, lag);
    }

    @BindToRegistry("jobMetrics")
    public JobMetrics jobMetrics(Meters meters, DataSource dataSource) {
        return new JobMetrics(meters, dataSource);
    }

    /** Every Kafka consumer the kafka component creates reports its client metrics ({@code kafka_consumer_*}). */
    @BindToRegistry("meteredKafkaClientFactory")
    public MeteredKafkaClientFactory meteredKafkaClientFactory(CamelContext context, Meters meters) {
        MeteredKafkaClientFactory factory = Wiring.closeOnStop(context, new MeteredKafkaClientFactory(meters));
        context.getComponent("kafka", KafkaComponent.class).setKafkaClientFactory(factory);
        return factory;
    }

    @BindToRegistry("postgresHealthCheck")
    public PostgresHealthCheck postgresHealthCheck(DataSource dataSource) {
        return new PostgresHealthCheck(dataSource);
    }

    @BindToRegistry("elasticsearchHealthCheck")
    public ElasticsearchHealthCheck elasticsearchHealthCheck(PipelineSettings settings) {
        return new ElasticsearchHealthCheck(settings.elasticsearch().url(), settings.elasticsearch().healthEnabled());
    }
}
