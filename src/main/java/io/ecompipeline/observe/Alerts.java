package io.ecompipeline.observe;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts on failed jobs and data-quality breaches: always a WARN line on the {@code io.ecompipeline.alerts} logger
 * (for log-based alerting), and a JSON POST to {@code ALERT_WEBHOOK_URL} (Slack-compatible {@code text} field) when
 * one is configured. A failing webhook never fails the pipeline.
 */
public final class Alerts {

    private static final Logger LOG = LoggerFactory.getLogger("io.ecompipeline.alerts");

    private final ProducerTemplate producer;
    private final boolean webhook;

    public Alerts(ProducerTemplate producer, boolean webhook) {
        this.producer = producer;
        this.webhook = webhook;
    }

    public void raise(String kind, String message, Map<String, Object> details) {
        LOG.warn("ALERT {}: {}", kind, message);
        if (!webhook) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", "ecom-pipeline " + kind + ": " + message);
        body.put("kind", kind);
        body.put("at", Instant.now().toString());
        body.put("details", details);
        try {
            producer.asyncSendBody("direct:alert-webhook", body);
        } catch (RuntimeException e) {
            LOG.warn("Alert webhook not called: {}", e.getMessage());
        }
    }
}
