package io.ecompipeline.wiring;

import java.time.Duration;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.deadletter.DeadLetterStore;
import io.ecompipeline.ingest.CleanEventsPublisher;
import io.ecompipeline.ingest.IngestBatchProcessor;
import io.ecompipeline.ingest.IngestStats;
import io.ecompipeline.ingest.KafkaBatchCommitter;
import io.ecompipeline.persist.RecordSources;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

/**
 * The ingest step of routes/ingest.yaml and routes/sources.yaml: place a polled batch of any source (rows + dead letters,
 * one transaction), then commit.
 */
@Configuration
public class IngestConfiguration implements CamelConfiguration {

    @BindToRegistry("ingestStats")
    public IngestStats ingestStats() {
        return new IngestStats();
    }

    @BindToRegistry("ingestBatchProcessor")
    public IngestBatchProcessor ingestBatchProcessor(DataSource dataSource, RecordSources sources, DeadLetterStore deadLetters,
                                                     IngestStats stats, ObjectMapper json, PipelineSettings settings) {
        return new IngestBatchProcessor(dataSource, sources, deadLetters, stats, json, settings.runtime().runId());
    }

    /** Accepted events to the clean topic (routes/ingest.yaml publish-clean-events) when CLEAN_EVENTS_ENABLED. */
    @BindToRegistry("cleanEventsPublisher")
    public CleanEventsPublisher cleanEventsPublisher(CamelContext context, PipelineSettings settings) {
        return new CleanEventsPublisher(context, Wiring.closeOnStop(context, context.createProducerTemplate()),
                "direct:publish-clean-events", settings.cleanEvents().enabled());
    }

    @BindToRegistry("kafkaBatchCommitter")
    public KafkaBatchCommitter kafkaBatchCommitter() {
        return new KafkaBatchCommitter(Duration.ofSeconds(30));
    }
}
