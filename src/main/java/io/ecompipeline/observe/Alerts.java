package io.ecompipeline.observe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts on failed jobs, data-quality breaches and anomalies: a WARN line on the {@code io.ecompipeline.alerts} logger
 * (for log-based alerting), and a JSON POST to {@code ALERT_WEBHOOK_URL} when one is configured (Slack-compatible:
 * {@code text} is what Slack shows; {@code kind}, {@code cause}, {@code status} firing/resolved, {@code at} and
 * {@code details} are for other receivers; README "Alerts"). A failing webhook never fails the pipeline.
 *
 * <p>An alert is about a cause (a kind and what it concerns, e.g. quality / freshness, anomaly / volume, job-failed /
 * redeliver): it fires once when the cause starts and resolves once when it ends, however often the cause is seen in
 * between; repeats are counted and reported with the resolution. The state is an episode row in
 * {@code pipeline.alerts} (at most one open per cause, by a unique index), so of several instances that see the same
 * breach exactly one sends the alert and exactly one the resolution. While PostgreSQL cannot be reached (a failing
 * job is often why), the same rule holds per instance, in memory.
 */
public final class Alerts {

    private static final Logger LOG = LoggerFactory.getLogger("io.ecompipeline.alerts");

    /** An open alert, as {@code GET /api/quality} lists them. */
    public record Open(String kind, String cause, String message, Instant openedAt, Instant lastSeenAt, int repeats) {

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("cause", cause);
            m.put("message", message);
            m.put("openedAt", openedAt.toString());
            m.put("lastSeenAt", lastSeenAt.toString());
            m.put("repeats", repeats);
            return m;
        }
    }

    private record Active(Instant since, String message, int repeats) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProducerTemplate producer;
    private final boolean webhook;
    private final DataSource dataSource;
    /** Causes opened while PostgreSQL was unreachable (this instance only). */
    private final Map<String, Active> offline = new ConcurrentHashMap<>();

    public Alerts(ProducerTemplate producer, boolean webhook, DataSource dataSource) {
        this.producer = producer;
        this.webhook = webhook;
        this.dataSource = dataSource;
    }

    /**
     * The cause is there (again). Opens an episode and sends the alert when none was open; otherwise only counts the
     * repeat. Returns whether this call sent the alert.
     */
    public boolean raise(String kind, String cause, String message, Map<String, Object> details) {
        boolean opened;
        try {
            opened = openInDatabase(kind, cause, message, details);
        } catch (SQLException e) {
            LOG.debug("alert state not in PostgreSQL ({}): deciding in memory", e.getMessage());
            opened = offline.putIfAbsent(key(kind, cause), new Active(Instant.now(), message, 0)) == null;
            if (!opened) {
                offline.computeIfPresent(key(kind, cause), (k, a) -> new Active(a.since(), a.message(), a.repeats() + 1));
            }
        }
        if (!opened) {
            LOG.debug("ALERT {} ({}) still open: {}", kind, cause, message);
            return false;
        }
        LOG.warn("ALERT {}: {}", kind, message);
        send(kind, cause, "firing", message, details);
        return true;
    }

    /**
     * A one-off event whose start the caller has already detected as a transition (a product turning low-stock): sent
     * every time, with no episode to resolve.
     */
    public void announce(String kind, String cause, String message, Map<String, Object> details) {
        LOG.warn("ALERT {}: {}", kind, message);
        send(kind, cause, "firing", message, details);
    }

    /** The cause is gone. Closes its open episode and sends the resolution; returns whether this call sent it. */
    public boolean resolve(String kind, String cause, String message) {
        Active was = offline.remove(key(kind, cause));
        Map<String, Object> closed = null;
        try {
            closed = closeInDatabase(kind, cause, message);
        } catch (SQLException e) {
            LOG.debug("alert state not in PostgreSQL ({}): resolving in memory only", e.getMessage());
        }
        if (closed == null && was != null) {
            closed = Map.of("firstMessage", was.message(), "repeats", was.repeats(),
                    "activeSeconds", Duration.between(was.since(), Instant.now()).toSeconds());
        }
        if (closed == null) {
            return false;
        }
        String text = message + " (after " + closed.get("activeSeconds") + " s, " + closed.get("repeats") + " repeats)";
        LOG.warn("ALERT RESOLVED {}: {}", kind, text);
        send(kind, cause, "resolved", text, closed);
        return true;
    }

    /** Is an episode of this cause open (in PostgreSQL, or in memory while it is unreachable)? */
    public boolean isActive(String kind, String cause) {
        if (offline.containsKey(key(kind, cause))) {
            return true;
        }
        return open().stream().anyMatch(a -> a.kind().equals(kind) && a.cause().equals(cause));
    }

    /** Every open alert, oldest first (read-only; empty when PostgreSQL cannot be reached). */
    public List<Open> open() {
        List<Open> open = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT kind, cause, message, opened_at, last_seen_at, repeats "
                     + "FROM pipeline.alerts WHERE resolved_at IS NULL ORDER BY opened_at, kind, cause");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                open.add(new Open(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5).toInstant(), rs.getInt(6)));
            }
        } catch (SQLException e) {
            LOG.debug("open alerts not read: {}", e.getMessage());
        }
        return open;
    }

    /** One statement decides who opens: the insert wins only when no episode of the cause is open (unique index). */
    private boolean openInDatabase(String kind, String cause, String message, Map<String, Object> details) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO pipeline.alerts AS a (kind, cause, message, details) "
                     + "VALUES (?, ?, ?, ?::jsonb) ON CONFLICT (kind, cause) WHERE resolved_at IS NULL "
                     + "DO UPDATE SET repeats = a.repeats + 1, last_seen_at = now() RETURNING (xmax = 0) AS inserted")) {
            st.setString(1, kind);
            st.setString(2, cause);
            st.setString(3, message);
            st.setString(4, json(details));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Closes the open episode (only one caller can); returns its figures, or null when none was open. */
    private Map<String, Object> closeInDatabase(String kind, String cause, String message) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE pipeline.alerts SET resolved_at = now(), resolution = ? "
                     + "WHERE kind = ? AND cause = ? AND resolved_at IS NULL "
                     + "RETURNING message, repeats, extract(EPOCH FROM resolved_at - opened_at)::bigint")) {
            st.setString(1, message);
            st.setString(2, kind);
            st.setString(3, cause);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> closed = new LinkedHashMap<>();
                closed.put("firstMessage", rs.getString(1));
                closed.put("repeats", rs.getInt(2));
                closed.put("activeSeconds", rs.getLong(3));
                return closed;
            }
        }
    }

    private void send(String kind, String cause, String status, String message, Map<String, Object> details) {
        if (!webhook) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", ("resolved".equals(status) ? ":white_check_mark: " : ":red_circle: ") + "ecom-pipeline " + kind
                + ("resolved".equals(status) ? " resolved: " : ": ") + message);
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

    private static String key(String kind, String cause) {
        return kind + "/" + cause;
    }

    private static String json(Map<String, Object> details) {
        try {
            return JSON.writeValueAsString(details == null ? Map.of() : details);
        } catch (JsonProcessingException e) {
            return "{\"unserializable\": \"" + e.getOriginalMessage().replace("\"", "'") + "\"}";
        }
    }
}
