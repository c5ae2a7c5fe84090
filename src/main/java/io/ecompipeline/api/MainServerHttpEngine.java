package io.ecompipeline.api;

import java.util.Map;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * The platform-http engine for the REST API, pinned to the main server's port. Camel's engine finds "the" server by
 * type, and with the management server on its own port there are two, so it falls back to port 8080 and REST routes
 * fail to start on any other port.
 *
 * <p>It also answers a REST route that failed (an exception the endpoint did not turn into a response, e.g.
 * PostgreSQL gone mid-request) with a 500 problem ({@code application/problem+json}) instead of platform-http's
 * plain-text stack trace. The route's error handler has logged the failure with its exchange id by then; the problem
 * names that id. This is the HTTP mapping of a failure, so it sits in the engine: REST DSL verbs cannot name a
 * routeConfiguration, and one without an id would apply to every route that names none (ingest-record-by-record,
 * whose failures must propagate).
 */
public final class MainServerHttpEngine extends VertxPlatformHttpEngine {

    private final int port;
    private final HttpResponses http;

    public MainServerHttpEngine(int port, HttpResponses http) {
        this.port = port;
        this.http = http;
    }

    @Override
    public int getServerPort() {
        return port;
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return super.createConsumer(endpoint, new ProblemOnFailure(processor, http));
    }

    /** Turns a failed exchange into a 500 problem response. */
    static final class ProblemOnFailure extends DelegateAsyncProcessor {

        private final HttpResponses http;

        ProblemOnFailure(Processor processor, HttpResponses http) {
            super(processor);
            this.http = http;
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            return super.process(exchange, doneSync -> {
                toProblem(exchange, http);
                callback.done(doneSync);
            });
        }

        static void toProblem(Exchange exchange, HttpResponses http) {
            Exception failure = exchange.getException();
            if (failure == null) {
                return;
            }
            exchange.setException(null);
            http.problem(exchange, 500, HttpResponses.ABOUT_BLANK, "the request failed on the server ("
                    + failure.getClass().getSimpleName() + "); the runtime's log has it under exchange "
                    + exchange.getExchangeId(), Map.of());
        }
    }
}
