package io.ecompipeline.wiring;

import javax.sql.DataSource;

import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.index.HourlyMetricsIndex;
import io.ecompipeline.index.HourlyMetricsIndexer;
import io.ecompipeline.jobs.RunRecords;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

/** Hourly metrics to Elasticsearch (routes/index.yaml): the index with its mapping, and the queue-draining indexer. */
@Configuration
public class IndexConfiguration implements CamelConfiguration {

    /** The route that sends one bulk request through camel-elasticsearch. */
    static final String INDEX_BULK_URI = "direct:index-bulk";

    @BindToRegistry("hourlyMetricsIndex")
    public HourlyMetricsIndex hourlyMetricsIndex(CamelContext context, PipelineSettings settings) {
        return Wiring.closeOnStop(context, new HourlyMetricsIndex(context, settings.elasticsearch().index()));
    }

    @BindToRegistry("hourlyMetricsIndexer")
    public HourlyMetricsIndexer hourlyMetricsIndexer(CamelContext context, DataSource dataSource, RunRecords records,
                                                     HourlyMetricsIndex index, PipelineSettings settings) {
        PipelineSettings.Elasticsearch es = settings.elasticsearch();
        return new HourlyMetricsIndexer(dataSource, records, index, Wiring.closeOnStop(context, context.createProducerTemplate()),
                INDEX_BULK_URI, es.batchSize(), es.lockWait());
    }
}
