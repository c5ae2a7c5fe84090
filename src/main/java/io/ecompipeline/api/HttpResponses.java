package io.ecompipeline.api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.apache.camel.Exchange;

/**
 * JSON responses with an explicit status code for the REST endpoints. Errors are RFC 9457 problem details
 * ({@code application/problem+json}: type, title, status, detail, instance), the same shape the HTTP servers' own errors
 * have (HttpServerGuards), so a client parses one error format whatever answered.
 */
public final class HttpResponses {

    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";
    /** The problem type of an error that the status code says all about (RFC 9457, section 4.2.1). */
    public static final String ABOUT_BLANK = "about:blank";

    private final ObjectMapper json;

    public HttpResponses(ObjectMapper json) {
        this.json = json;
    }

    public void ok(Exchange exchange, Object body) {
        respond(exchange, 200, body);
    }

    public void respond(Exchange exchange, int status, Object body) {
        respond(exchange, status, body, JSON);
    }

    private void respond(Exchange exchange, int status, Object body, String contentType) {
        // platform-http turns the message headers into response headers, and the request's query parameters are
        // among them: never echo them (a %00 in one made Vert.x refuse the response, a 500)
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        try {
            exchange.getMessage().setBody(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise response", e);
        }
    }

    /** A problem the status code says all about; {@code detail} says what was wrong with this request. */
    public void problem(Exchange exchange, int status, String detail) {
        problem(exchange, status, ABOUT_BLANK, detail, Map.of());
    }

    /** A problem of a named {@code type} with extension members (e.g. {@code running}: the job already running). */
    public void problem(Exchange exchange, int status, String type, String detail, Map<String, Object> extensions) {
        Map<String, Object> body = problemBody(status, type, detail, requestPath(exchange));
        body.putAll(extensions);
        respond(exchange, status, body, PROBLEM_JSON);
    }

    /** The members of RFC 9457; {@code title} is the status code's reason phrase for about:blank (section 4.2.1). */
    public static Map<String, Object> problemBody(int status, String type, String detail, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title(status, type));
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        return body;
    }

    static String title(int status, String type) {
        String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
        return switch (type) {
            case JOB_ALREADY_RUNNING -> "A run of this job type is already running";
            case REDELIVERY_ALREADY_RUNNING -> "A redelivery is already running";
            default -> reason;
        };
    }

    /** 409 of POST /api/jobs/{type}: member {@code running} holds the run (Airflow's DAGs follow it). */
    public static final String JOB_ALREADY_RUNNING = "urn:ecom-pipeline:problem:job-already-running";
    /** 409 of a redelivery request while one runs: members {@code running} and {@code madeDue}. */
    public static final String REDELIVERY_ALREADY_RUNNING = "urn:ecom-pipeline:problem:redelivery-already-running";

    /** The request's path (RFC 9457 {@code instance}): read before {@link #respond} drops the request headers. */
    static String requestPath(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        if (path == null) {
            return null;
        }
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    public static String header(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * A text parameter that goes to PostgreSQL: null when absent; {@link IllegalArgumentException} (a 400) when it
     * holds NUL or an unpaired surrogate, which PostgreSQL refuses in text and jsonb (that would be a 500).
     */
    public static String text(Exchange exchange, String name) {
        // checked before trimming: String.trim() takes NUL for white space, and "%00" would become "no filter"
        String value = exchange.getMessage().getHeader(name, String.class);
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                i++;
            } else if (c == 0 || Character.isSurrogate(c)) {
                throw new IllegalArgumentException(name + " must not contain NUL (%00) or unpaired surrogate characters");
            }
        }
        return value.isBlank() ? null : value.trim();
    }
}
