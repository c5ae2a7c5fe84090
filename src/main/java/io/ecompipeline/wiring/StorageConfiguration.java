package io.ecompipeline.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.deadletter.DeadLetterStore;
import io.ecompipeline.persist.RawEventWriter;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;

/** The two idempotent writers every path that places a record uses: rows and dead letters. */
@Configuration
public class StorageConfiguration implements CamelConfiguration {

    @BindToRegistry("rawEventWriter")
    public RawEventWriter rawEventWriter(PipelineSettings settings) {
        return new RawEventWriter(settings.runtime().runId());
    }

    @BindToRegistry("deadLetterStore")
    public DeadLetterStore deadLetterStore(ObjectMapper json, PipelineSettings settings) {
        return new DeadLetterStore(json, settings.runtime().runId(), settings.deadLetters().redeliveryDelay());
    }
}
