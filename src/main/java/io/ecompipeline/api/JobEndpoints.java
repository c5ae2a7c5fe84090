package io.ecompipeline.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ecompipeline.jobs.JobAlreadyRunningException;
import io.ecompipeline.jobs.JobRegistry;
import org.apache.camel.Exchange;

/** REST triggers for operational jobs: start one (202, or 409 with the running one), read a run, list recent runs. */
public final class JobEndpoints {

    private final JobRegistry jobs;
    private final HttpResponses http;

    public JobEndpoints(JobRegistry jobs, HttpResponses http) {
        this.jobs = jobs;
        this.http = http;
    }

    public void start(Exchange exchange) {
        String type = HttpResponses.header(exchange, "type");
        if (type == null || !jobs.types().contains(type)) {
            http.error(exchange, 404, "unknown job type '" + type + "'; known: " + jobs.types());
            return;
        }
        try {
            http.respond(exchange, 202, jobs.start(type, "http"));
        } catch (JobAlreadyRunningException e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            body.put("status", 409);
            body.put("running", e.running());
            http.respond(exchange, 409, body);
        }
    }

    public void get(Exchange exchange) {
        String id = HttpResponses.header(exchange, "id");
        jobs.get(id == null ? "" : id).ifPresentOrElse(run -> http.ok(exchange, run),
                () -> http.error(exchange, 404, "no job run with id '" + id + "' (runs are kept in memory, 50 per type)"));
    }

    public void list(Exchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("types", jobs.types());
        body.put("runs", jobs.recent(HttpResponses.header(exchange, "type")));
        http.ok(exchange, body);
    }
}
