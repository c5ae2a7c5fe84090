package io.ecompipeline.wiring;

import java.time.Clock;

import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.contract.ActiveContract;
import io.ecompipeline.contract.EventContract;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

/** The event contract in force: JSON Schema (format assertions on) and business rules, swapped by reloads. */
@Configuration
public class ContractConfiguration implements CamelConfiguration {

    @BindToRegistry("activeContract")
    public ActiveContract activeContract(CamelContext context, PipelineSettings settings) {
        PipelineSettings.Contract c = settings.contract();
        return new ActiveContract(EventContract.load(context, c.schemaUri(), c.rulesUri(), c.maxBytes(), Clock.systemUTC()));
    }
}
