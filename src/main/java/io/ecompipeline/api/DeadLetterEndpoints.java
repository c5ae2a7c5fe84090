package io.ecompipeline.api;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ecompipeline.deadletter.DeadLetterQueries;
import io.ecompipeline.jobs.JobAlreadyRunningException;
import io.ecompipeline.jobs.JobRegistry;
import org.apache.camel.Exchange;

/** REST operations on the dead-letter store: list, inspect, summary, redeliver (all due or by id), park, discard. */
public final class DeadLetterEndpoints {

    public static final String REDELIVER_JOB = "redeliver";

    private final DeadLetterQueries queries;
    private final JobRegistry jobs;
    private final HttpResponses http;

    public DeadLetterEndpoints(DeadLetterQueries queries, JobRegistry jobs, HttpResponses http) {
        this.queries = queries;
        this.jobs = jobs;
        this.http = http;
    }

    public void list(Exchange exchange) throws SQLException {
        String status = HttpResponses.header(exchange, "status");
        if (status != null && !DeadLetterQueries.STATUSES.contains(status)) {
            http.problem(exchange, 400, "status must be one of " + DeadLetterQueries.STATUSES);
            return;
        }
        try {
            DeadLetterQueries.Filter filter = new DeadLetterQueries.Filter(status, HttpResponses.text(exchange, "rule"),
                    HttpResponses.text(exchange, "errorClass"), instant(exchange, "since"), instant(exchange, "until"),
                    intParam(exchange, "limit", 100, 1, 1000), intParam(exchange, "offset", 0, 0, Integer.MAX_VALUE));
            Map<String, Object> body = new LinkedHashMap<>();
            List<Map<String, Object>> entries = queries.list(filter);
            body.put("count", entries.size());
            body.put("entries", entries);
            http.ok(exchange, body);
        } catch (IllegalArgumentException e) {
            http.problem(exchange, 400, e.getMessage());
        }
    }

    public void get(Exchange exchange) throws SQLException {
        Long id = id(exchange);
        if (id == null) {
            return;
        }
        queries.get(id).ifPresentOrElse(entry -> http.ok(exchange, entry),
                () -> http.problem(exchange, 404, "no dead letter with id " + id));
    }

    public void summary(Exchange exchange) throws SQLException {
        http.ok(exchange, queries.summary());
    }

    /** Redelivers all due entries now, or only {@code ids} (query parameter, comma-separated), made due first. */
    public void redeliver(Exchange exchange) throws SQLException {
        List<Long> ids = new ArrayList<>();
        String single = HttpResponses.header(exchange, "id");
        String many = HttpResponses.header(exchange, "ids");
        try {
            if (single != null) {
                ids.add(Long.parseLong(single));
            }
            if (many != null) {
                for (String part : many.split(",")) {
                    if (!part.isBlank()) {
                        ids.add(Long.parseLong(part.trim()));
                    }
                }
            }
        } catch (NumberFormatException e) {
            http.problem(exchange, 400, "ids must be numbers: " + e.getMessage());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (!ids.isEmpty()) {
            List<Long> due = queries.makeDue(ids);
            body.put("madeDue", due);
            if (due.isEmpty()) {
                http.problem(exchange, 409, "none of " + ids + " is waiting or parked");
                return;
            }
        }
        try {
            body.put("job", JobRunView.of(jobs.start(REDELIVER_JOB, "http")));
            http.respond(exchange, 202, body);
        } catch (JobAlreadyRunningException e) {
            // the running pass picks up what was just made due, or the next scheduled one does
            Map<String, Object> extensions = new LinkedHashMap<>();
            extensions.put("madeDue", body.getOrDefault("madeDue", List.of()));
            extensions.put("running", JobRunView.of(e.running()));
            http.problem(exchange, 409, HttpResponses.REDELIVERY_ALREADY_RUNNING,
                    "a redelivery is already running; entries made due are picked up by it or the next pass", extensions);
        }
    }

    public void park(Exchange exchange) throws SQLException {
        Long id = id(exchange);
        if (id == null) {
            return;
        }
        String note;
        try {
            note = HttpResponses.text(exchange, "note");
        } catch (IllegalArgumentException e) {
            http.problem(exchange, 400, e.getMessage());
            return;
        }
        if (queries.park(id, note)) {
            http.ok(exchange, queries.get(id).orElseThrow());
        } else {
            conflictOrMissing(exchange, id, "only a waiting entry can be parked");
        }
    }

    public void discard(Exchange exchange) throws SQLException {
        Long id = id(exchange);
        if (id == null) {
            return;
        }
        String note;
        try {
            note = HttpResponses.text(exchange, "note");
        } catch (IllegalArgumentException e) {
            http.problem(exchange, 400, e.getMessage());
            return;
        }
        if (queries.discard(id, note)) {
            http.ok(exchange, queries.get(id).orElseThrow());
        } else {
            conflictOrMissing(exchange, id, "only a waiting or parked entry can be discarded");
        }
    }

    private void conflictOrMissing(Exchange exchange, long id, String rule) throws SQLException {
        var entry = queries.get(id);
        if (entry.isEmpty()) {
            http.problem(exchange, 404, "no dead letter with id " + id);
        } else {
            http.problem(exchange, 409, rule + "; entry " + id + " is " + entry.get().get("status"));
        }
    }

    private Long id(Exchange exchange) {
        String raw = HttpResponses.header(exchange, "id");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException | NullPointerException e) {
            http.problem(exchange, 400, "id must be a number, got '" + raw + "'");
            return null;
        }
    }

    /** Instants a filter may use: what PostgreSQL's timestamptz and the ISO form with a 4-digit year both hold. */
    static final Instant FIRST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LAST_INSTANT = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private static Instant instant(Exchange exchange, String name) {
        String raw = HttpResponses.header(exchange, name);
        Instant value;
        try {
            value = raw == null ? null : Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-11-21T10:00:00Z");
        }
        if (value != null && (value.isBefore(FIRST_INSTANT) || value.isAfter(LAST_INSTANT))) {
            throw new IllegalArgumentException(name + " must be between " + FIRST_INSTANT + " and 9999-12-31T23:59:59Z, got " + raw);
        }
        return value;
    }

    private static int intParam(Exchange exchange, String name, int fallback, int min, int max) {
        String raw = HttpResponses.header(exchange, name);
        if (raw == null) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw);
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number");
        }
    }
}
