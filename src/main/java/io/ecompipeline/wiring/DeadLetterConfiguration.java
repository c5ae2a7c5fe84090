package io.ecompipeline.wiring;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.deadletter.DeadLetterQueries;
import io.ecompipeline.deadletter.DeadLetterRedelivery;
import io.ecompipeline.deadletter.DeadLetterStore;
import io.ecompipeline.deadletter.RedeliveryPolicy;
import io.ecompipeline.persist.RecordSources;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The dead-letter store's read side (API, metrics) and its redelivery (the {@code redeliver} job). */
@Configuration
public class DeadLetterConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterConfiguration.class);

    @BindToRegistry("deadLetterQueries")
    public DeadLetterQueries deadLetterQueries(DataSource dataSource, ObjectMapper json) {
        return new DeadLetterQueries(dataSource, json);
    }

    @BindToRegistry("deadLetterRedelivery")
    public DeadLetterRedelivery deadLetterRedelivery(DataSource dataSource, RecordSources sources, DeadLetterStore store,
                                                     PipelineSettings settings) {
        PipelineSettings.DeadLetters d = settings.deadLetters();
        RedeliveryPolicy policy = new RedeliveryPolicy(d.redeliveryDelay(), d.backoffMultiplier(), d.maxAttempts(), d.batchSize());
        LOG.info("Dead letters are redelivered after {}, x{} per further attempt, parked after {} attempts",
                policy.delay(), policy.backoffMultiplier(), policy.maxAttempts());
        return new DeadLetterRedelivery(dataSource, sources, store, policy, settings.runtime().runId());
    }
}
