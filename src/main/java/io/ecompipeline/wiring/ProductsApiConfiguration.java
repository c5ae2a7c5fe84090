package io.ecompipeline.wiring;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.ingest.IngestBatchProcessor;
import io.ecompipeline.sources.ProductsApiMapper;
import io.ecompipeline.sources.ProductsApiPoll;
import io.ecompipeline.sources.ProductsApiStats;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.component.http.HttpComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The products REST API poll of routes/sources.yaml (products-api-poll): its steps, its figures, its HTTP timeouts. */
@Configuration
public class ProductsApiConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ProductsApiConfiguration.class);

    @BindToRegistry("productsApiStats")
    public ProductsApiStats productsApiStats() {
        return new ProductsApiStats();
    }

    @BindToRegistry("productsApiPoll")
    public ProductsApiPoll productsApiPoll(CamelContext context, IngestBatchProcessor ingest, ProductsApiStats stats,
                                           ObjectMapper json, PipelineSettings settings) {
        PipelineSettings.ProductsApi api = settings.productsApi();
        // the component's timeouts (camel-http has no per-endpoint ones): an API that hangs fails the poll in time
        long timeout = api.timeout().toMillis();
        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            http.setConnectTimeout(timeout);
            http.setConnectionRequestTimeout(timeout);
            http.setResponseTimeout(timeout);
            http.setSoTimeout(timeout);
        }
        if (api.enabled()) {
            LOG.info("Products API {} is polled at '{}' ({})", api.url(), api.cron(),
                    api.pageSize() > 0 ? api.pageSize() + " items per page" : "one request per poll");
        }
        return new ProductsApiPoll(ingest, new ProductsApiMapper(json, api.idPrefix(), api.currency()), stats, json, api,
                Clock.systemUTC());
    }
}
