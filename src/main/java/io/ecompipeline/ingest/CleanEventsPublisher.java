package io.ecompipeline.ingest;

import java.util.ArrayList;
import java.util.List;

import io.ecompipeline.persist.RecordSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * Republishes the accepted events of a placed batch (seed 004's clean topic) through the route
 * {@code publish-clean-events}, keyed by event id. It runs after the batch's transaction committed and before its
 * offsets are committed, so delivery is at least once: a failed publish fails the batch step (retries, then the
 * record-by-record fallback, which publishes again), a crash before the offset commit re-reads and republishes the
 * batch. Only the events source is republished; when switched off this does nothing.
 */
public final class CleanEventsPublisher {

    private final CamelContext context;
    private final ProducerTemplate template;
    private final String routeUri;
    private final boolean enabled;

    public CleanEventsPublisher(CamelContext context, ProducerTemplate template, String routeUri, boolean enabled) {
        this.context = context;
        this.template = template;
        this.routeUri = routeUri;
        this.enabled = enabled;
    }

    /** Route step after {@link IngestBatchProcessor#process} or {@link IngestBatchProcessor#isolate}. */
    public void publish(Exchange batch) throws Exception {
        String source = batch.getProperty(IngestBatchProcessor.SOURCE_PROPERTY, String.class);
        if (!enabled || (source != null && !RecordSource.EVENTS.equals(source))) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<IngestBatchProcessor.Accepted> accepted = batch.getProperty(IngestBatchProcessor.ACCEPTED_PROPERTY, List.class);
        if (accepted == null || accepted.isEmpty()) {
            return;
        }
        List<Message> messages = new ArrayList<>(accepted.size());
        for (IngestBatchProcessor.Accepted a : accepted) {
            Message m = new DefaultMessage(context);
            m.setBody(a.value());
            m.setHeader(KafkaConstants.KEY, a.id());
            messages.add(m);
        }
        Exchange sent = template.send(routeUri, ex -> ex.getMessage().setBody(messages));
        if (sent.getException() != null) {
            throw sent.getException();
        }
    }
}
