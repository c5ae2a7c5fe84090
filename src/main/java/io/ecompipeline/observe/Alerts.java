package io.ecompipeline.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts on failed jobs and data-quality breaches: a WARN line on the {@code io.ecompipeline.alerts} logger (for
 * log-based alerting), and a JSON POST to {@code ALERT_WEBHOOK_URL} (Slack-compatible {@code text} field, plus
 * {@code kind}, {@code cause} and {@code status} firing/resolved) when one is configured. A failing webhook never
 * fails the pipeline.
 *
 * <p>An alert is about a cause (a kind and what it concerns, e.g. job-failed / redeliver): it fires once when the
 * cause starts and resolves once when it ends, however often it recurs in between (a 60 s PostgreSQL outage failed
 * the redelivery job on every poll, and used to raise an alert each time). Repeats are counted and reported with the
 * resolution.
 */
public final class Alerts {

    private static final Logger LOG = LoggerFactory.getLogger("io.ecompipeline.alerts");

    private record Active(Instant since, String message, int repeats) {
    }

    private final ProducerTemplate producer;
    private final boolean webhook;
    private final Map<String, Active> active = new ConcurrentHashMap<>();

    public Alerts(ProducerTemplate producer, boolean webhook) {
        this.producer = producer;
        this.webhook = webhook;
    }

    /**
     * The cause is there (again). Sends the alert when it was not active; otherwise only counts the repeat. Returns
     * whether an alert was sent.
     */
    public boolean raise(String kind, String cause, String message, Map<String, Object> details) {
        String key = kind + "/" + cause;
        Active before = active.putIfAbsent(key, new Active(Instant.now(), message, 0));
        if (before != null) {
            active.computeIfPresent(key, (k, a) -> new Active(a.since(), a.message(), a.repeats() + 1));
            LOG.debug("ALERT {} ({}) still active: {}", kind, cause, message);
            return false;
        }
        LOG.warn("ALERT {}: {}", kind, message);
        send(kind, cause, "firing", message, details);
        return true;
    }

    /**
     * A one-off event whose start the caller has already detected as a transition (a product turning low-stock): sent
     * every time, with no active state to resolve.
     */
    public void announce(String kind, String cause, String message, Map<String, Object> details) {
        LOG.warn("ALERT {}: {}", kind, message);
        send(kind, cause, "firing", message, details);
    }

    /** The cause is gone. Sends the resolution when it was active; returns whether one was sent. */
    public boolean resolve(String kind, String cause, String message) {
        Active was = active.remove(kind + "/" + cause);
        if (was == null) {
            return false;
        }
        long seconds = Duration.between(was.since(), Instant.now()).toSeconds();
        String text = message + " (after " + seconds + " s, " + was.repeats() + " repeats)";
        LOG.warn("ALERT RESOLVED {}: {}", kind, text);
        send(kind, cause, "resolved", text, Map.of("firstMessage", was.message(), "repeats", was.repeats(),
                "activeSeconds", seconds));
        return true;
    }

    public boolean isActive(String kind, String cause) {
        return active.containsKey(kind + "/" + cause);
    }

    private void send(String kind, String cause, String status, String message, Map<String, Object> details) {
        if (!webhook) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", "ecom-pipeline " + kind + (status.equals("resolved") ? " resolved: " : ": ") + message);
        body.put("kind", kind);
        body.put("cause", cause);
        body.put("status", status);
        body.put("at", Instant.now().toString());
        body.put("details", details);
        try {
            producer.asyncSendBody("direct:alert-webhook", body);
        } catch (RuntimeException e) {
            LOG.warn("Alert webhook not called: {}", e.getMessage());
        }
    }
}
