package io.ecompipeline.wiring;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.contract.ActiveContract;
import io.ecompipeline.contract.ContractSchemaLoader;
import io.ecompipeline.contract.SourceContract;
import io.ecompipeline.persist.CampaignWriter;
import io.ecompipeline.persist.InventoryWriter;
import io.ecompipeline.persist.ProductWriter;
import io.ecompipeline.persist.RawEventWriter;
import io.ecompipeline.persist.RecordSource;
import io.ecompipeline.persist.RecordSources;
import io.ecompipeline.persist.RowSink;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every source the runtime places records of: events (the active event contract, raw.events) and products, inventory
 * and campaigns, each with its own contract (schema + rules file) and idempotent writer. Live ingest, the products API
 * poll and dead-letter redelivery look a record's source up here.
 */
@Configuration
public class SourcesConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SourcesConfiguration.class);

    @BindToRegistry("recordSources")
    public RecordSources recordSources(CamelContext context, PipelineSettings settings, ActiveContract events,
                                       RawEventWriter rawEvents) {
        ContractSchemaLoader schemas = new ContractSchemaLoader();
        long maxBytes = settings.contract().maxBytes();
        List<RecordSource<?>> sources = new ArrayList<>();
        sources.add(new RecordSource<>(RecordSource.EVENTS, events::get, rawEvents));
        PipelineSettings.Sources s = settings.sources();
        sources.add(source(context, schemas, s.products(), maxBytes, new ProductWriter(settings.runtime().runId())));
        sources.add(source(context, schemas, s.inventory(), maxBytes, new InventoryWriter(settings.runtime().runId())));
        sources.add(source(context, schemas, s.campaigns(), maxBytes, new CampaignWriter(settings.runtime().runId())));
        RecordSources registry = new RecordSources(sources);
        LOG.info("Record sources: {} (topics {}, {}, {})", registry.names(), s.products().topic(), s.inventory().topic(),
                s.campaigns().topic());
        return registry;
    }

    private static <R> RecordSource<R> source(CamelContext context, ContractSchemaLoader schemas, PipelineSettings.Source s,
                                              long maxBytes, RowSink<R> sink) {
        SourceContract contract = SourceContract.load(context, schemas, s.name(), s.schemaUri(), s.rulesUri(), s.idField(),
                maxBytes, Clock.systemUTC());
        return new RecordSource<>(s.name(), () -> contract, sink);
    }
}
