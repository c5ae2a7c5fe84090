package io.ecompipeline.api;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.ecompipeline.jobs.JobAlreadyRunningException;
import io.ecompipeline.jobs.JobRegistry;
import io.ecompipeline.jobs.JobRun;
import org.apache.camel.Exchange;

/**
 * REST triggers for jobs: start one (202, or a 409 problem whose member {@code running} is the run of that type that is
 * running anywhere in the fleet), read a run, list
 * recent runs. Runs are rows of pipeline.job_runs: any instance answers for a run of any other.
 */
public final class JobEndpoints {

    private static final int DEFAULT_LIMIT = 50;

    private final JobRegistry jobs;
    private final HttpResponses http;

    public JobEndpoints(JobRegistry jobs, HttpResponses http) {
        this.jobs = jobs;
        this.http = http;
    }

    public void start(Exchange exchange) throws SQLException {
        // the path parameter is {id} (routes/api.yaml): the job's type
        String type = HttpResponses.header(exchange, "id");
        if (type == null || !jobs.knows(type)) {
            http.problem(exchange, 404, "unknown job type '" + type + "'; known: " + jobs.types());
            return;
        }
        try {
            http.respond(exchange, 202, JobRunView.of(jobs.start(type, "http")));
        } catch (JobAlreadyRunningException e) {
            http.problem(exchange, 409, HttpResponses.JOB_ALREADY_RUNNING, e.getMessage(), Map.of("running", JobRunView.of(e.running())));
        }
    }

    public void get(Exchange exchange) throws SQLException {
        String id = HttpResponses.header(exchange, "id");
        Optional<JobRun> run = id == null ? Optional.empty() : jobs.get(id);
        if (run.isPresent()) {
            http.ok(exchange, JobRunView.of(run.get()));
        } else {
            http.problem(exchange, 404, "no job run with id '" + id + "'");
        }
    }

    /** Query {@code type} (one job) and {@code limit} (1-1000, default 50). */
    public void list(Exchange exchange) throws SQLException {
        String type = HttpResponses.header(exchange, "type");
        String rawLimit = HttpResponses.header(exchange, "limit");
        int limit = DEFAULT_LIMIT;
        if (rawLimit != null) {
            try {
                limit = Integer.parseInt(rawLimit);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1000) {
                http.problem(exchange, 400, "limit must be a whole number between 1 and 1000");
                return;
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("types", jobs.types());
        body.put("runs", JobRunView.of(jobs.recent(type, limit)));
        http.ok(exchange, body);
    }
}
