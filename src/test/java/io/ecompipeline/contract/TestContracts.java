package io.ecompipeline.contract;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/** Loads contracts the way the application does (Camel resource URIs), with the fixed test clock. */
final class TestContracts {

    /** One unstarted context is enough to resolve classpath: and file: resources. */
    static final CamelContext CAMEL = new DefaultCamelContext();
    static final ContractSchemaLoader SCHEMA_LOADER = new ContractSchemaLoader();

    /** The shipped schema and rules. */
    static final EventContract DEFAULT = withRules(EventContract.DEFAULT_RULES_URI);

    private TestContracts() {
    }

    static EventContract withRules(String rulesUri) {
        return EventContract.load(CAMEL, SCHEMA_LOADER, EventContract.DEFAULT_SCHEMA_URI, rulesUri,
                EventContract.DEFAULT_MAX_PAYLOAD_BYTES, TestEvents.CLOCK);
    }
}
