package io.ecompipeline.wiring;

import java.time.Duration;

import javax.sql.DataSource;

import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.deadletter.DeadLetterQueries;
import io.ecompipeline.ingest.IngestStats;
import io.ecompipeline.observe.Alerts;
import io.ecompipeline.observe.ConsumerLag;
import io.ecompipeline.observe.ElasticsearchHealthCheck;
import io.ecompipeline.observe.JobMetrics;
import io.ecompipeline.observe.KafkaConnectivity;
import io.ecompipeline.observe.LowStockAlerts;
import io.ecompipeline.observe.MeteredKafkaClientFactory;
import io.ecompipeline.observe.Meters;
import io.ecompipeline.observe.PipelineMetrics;
import io.ecompipeline.observe.PostgresHealthCheck;
import io.ecompipeline.observe.QualityMetrics;
import io.ecompipeline.quality.QualityReport;
import io.ecompipeline.sources.ProductsApiStats;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.component.kafka.KafkaComponent;

/**
 * Alerts (log + webhook, state in PostgreSQL), the pipeline's own metrics (data-quality gauges among them; refreshed by
 * routes/housekeeping.yaml), consumer lag and the readiness checks: PostgreSQL here, Kafka through Camel's consumer
 * check, Elasticsearch unless declared optional.
 */
@Configuration
public class ObserveConfiguration implements CamelConfiguration {

    /** Alert state lives in PostgreSQL (pipeline.alerts): several instances send each alert once. */
    @BindToRegistry("alerts")
    public Alerts alerts(CamelContext context, PipelineSettings settings, DataSource dataSource) {
        return new Alerts(Wiring.closeOnStop(context, context.createProducerTemplate()), settings.alerts().webhookEnabled(),
                dataSource);
    }

    @BindToRegistry("consumerLag")
    public ConsumerLag consumerLag(CamelContext context, PipelineSettings settings) {
        PipelineSettings.Kafka k = settings.kafka();
        return Wiring.closeOnStop(context, new ConsumerLag(k.brokers(), k.topic(), k.groupId(), k.security()));
    }

    @BindToRegistry("meters")
    public Meters meters(CamelContext context) {
        return new Meters(context);
    }

    @BindToRegistry("pipelineMetrics")
    public PipelineMetrics pipelineMetrics(Meters meters, DataSource dataSource, IngestStats ingest,
                                           DeadLetterQueries deadLetters, ConsumerLag lag, ProductsApiStats productsApi) {
        return new PipelineMetrics(meters, dataSource, ingest, deadLetters, lag, productsApi);
    }

    @BindToRegistry("lowStockAlerts")
    public LowStockAlerts lowStockAlerts(DataSource dataSource, Alerts alerts) {
        return new LowStockAlerts(dataSource, alerts);
    }

    @BindToRegistry("qualityMetrics")
    public QualityMetrics qualityMetrics(Meters meters, DataSource dataSource) {
        return new QualityMetrics(meters, dataSource, QualityReport.CHECKS);
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

    /** One log line when the consumers lose Kafka, one when it is back (housekeeping.yaml checks every second). */
    @BindToRegistry("kafkaConnectivity")
    public KafkaConnectivity kafkaConnectivity(MeteredKafkaClientFactory factory, PipelineSettings settings) {
        return new KafkaConnectivity(factory::connections, settings.kafka().brokers(), Duration.ofSeconds(15));
    }

    @BindToRegistry("postgresHealthCheck")
    public PostgresHealthCheck postgresHealthCheck(CamelContext context, DataSource dataSource, PipelineSettings settings) {
        PipelineSettings.Health h = settings.health();
        return Wiring.closeOnStop(context, new PostgresHealthCheck(dataSource, h.timeout(), h.reuseFor()));
    }

    @BindToRegistry("elasticsearchHealthCheck")
    public ElasticsearchHealthCheck elasticsearchHealthCheck(CamelContext context, PipelineSettings settings) {
        PipelineSettings.Health h = settings.health();
        return Wiring.closeOnStop(context, new ElasticsearchHealthCheck(settings.elasticsearch().url(), h.timeout(),
                h.reuseFor(), settings.elasticsearch().healthEnabled()));
    }
}
