package io.ecompipeline.api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/** JSON responses with an explicit status code for the REST endpoints; errors always carry a readable message. */
public final class HttpResponses {

    private final ObjectMapper json;

    public HttpResponses(ObjectMapper json) {
        this.json = json;
    }

    public void ok(Exchange exchange, Object body) {
        respond(exchange, 200, body);
    }

    public void respond(Exchange exchange, int status, Object body) {
        // platform-http turns the message headers into response headers, and the request's query parameters are
        // among them: never echo them (a %00 in one made Vert.x refuse the response, a 500)
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            exchange.getMessage().setBody(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise response", e);
        }
    }

    public void error(Exchange exchange, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        respond(exchange, status, body);
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
