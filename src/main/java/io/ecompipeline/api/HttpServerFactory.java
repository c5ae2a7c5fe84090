package io.ecompipeline.api;

import java.util.Map;

import io.ecompipeline.config.Credentials;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BasicAuthHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;

/**
 * The REST and management servers of camel-platform-http-main, with basic auth against {@link ApiAuthentication}
 * (credentials in memory) on every path, except the two probes of the management server: {@code <health>/live} and
 * {@code <health>/ready} answer a request without credentials with the status only ({@code {"status":"UP"}} or 503
 * {@code {"status":"DOWN"}}), whatever it asks for, so orchestrators can probe without a secret and learn nothing else.
 * With credentials they answer as Camel does (details per {@code camel.health.exposureLevel}).
 *
 * <p>camel-main takes a {@code MainHttpServerFactory} from the registry before its own; it is bound before the
 * context starts (cli RunCommand), since camel-main creates the servers before it binds configuration classes.
 */
public final class HttpServerFactory extends DefaultMainHttpServerFactory {

    /** Where the OpenAPI document is, under the REST context path (routes/api.yaml, route openapi). */
    public static final String OPENAPI_PATH = "/openapi.json";

    private final Credentials credentials;

    /** @param credentials null when they are invalid: every login fails (start-up stops at the settings anyway) */
    public HttpServerFactory(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Service newHttpServer(CamelContext camelContext, HttpServerConfigurationProperties configuration) {
        Service server = super.newHttpServer(camelContext, configuration);
        if (configuration.isAuthenticationEnabled()) {
            protect(((MainHttpServer) server).getConfiguration().getAuthenticationConfig(),
                    configuration.getAuthenticationRealm(), Map.of(), camelContext, true);
        }
        return server;
    }

    @Override
    public Service newHttpManagementServer(CamelContext camelContext, HttpManagementServerConfigurationProperties configuration) {
        Service server = super.newHttpManagementServer(camelContext, configuration);
        if (configuration.isAuthenticationEnabled()) {
            String health = join(configuration.getPath(), configuration.getHealthPath());
            protect(((ManagementHttpServer) server).getConfiguration().getAuthenticationConfig(),
                    configuration.getAuthenticationRealm(), Map.of(health + "/live", false, health + "/ready", true), camelContext,
                    false);
        }
        return server;
    }

    /** One entry for every path: our handler; a users file or keystore configured for Camel's own is not used. */
    private void protect(AuthenticationConfig config, String realm, Map<String, Boolean> probes, CamelContext camelContext,
                         boolean publicOpenApi) {
        AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
        entry.setPath("/*");
        entry.setAuthenticationProviderFactory(vertx -> new ApiAuthentication(credentials));
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                BasicAuthHandler basic = realm == null ? BasicAuthHandler.create(provider) : BasicAuthHandler.create(provider, realm);
                AuthenticationHandler handler = probes.isEmpty() ? basic : new ProbesWithoutCredentials(basic, probes, camelContext);
                return publicOpenApi ? new OpenApiWithoutCredentials(handler, camelContext) : handler;
            }
        });
        config.getEntries().clear();
        config.getEntries().add(entry);
        config.setEnabled(true);
    }

    static String join(String base, String path) {
        String b = base == null || base.equals("/") ? "" : base.replaceAll("/+$", "");
        String p = path.startsWith("/") ? path : "/" + path;
        return b + p;
    }

    /**
     * Basic auth, but a GET of the OpenAPI document ({@code <rest context path>/openapi.json}) needs no credentials: a
     * client generator or an API gateway reads it before it has any. It says what the API offers, never its data.
     */
    static final class OpenApiWithoutCredentials implements AuthenticationHandler {

        private final AuthenticationHandler next;
        private final CamelContext camelContext;

        OpenApiWithoutCredentials(AuthenticationHandler next, CamelContext camelContext) {
            this.next = next;
            this.camelContext = camelContext;
        }

        @Override
        public void handle(RoutingContext ctx) {
            boolean get = ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD;
            // read at request time: the REST configuration is complete only once the context runs
            String contextPath = camelContext.getRestConfiguration().getContextPath();
            if (get && join(contextPath == null ? "/" : contextPath, OPENAPI_PATH).equals(ctx.normalizedPath())) {
                ctx.next();
            } else {
                next.handle(ctx);
            }
        }
    }

    /** Basic auth, but an anonymous GET of a probe path gets the probe's status and nothing else. */
    static final class ProbesWithoutCredentials implements AuthenticationHandler {

        private final AuthenticationHandler basic;
        private final Map<String, Boolean> readinessByPath;
        private final CamelContext camelContext;

        ProbesWithoutCredentials(AuthenticationHandler basic, Map<String, Boolean> readinessByPath, CamelContext camelContext) {
            this.basic = basic;
            this.readinessByPath = readinessByPath;
            this.camelContext = camelContext;
        }

        @Override
        public void handle(RoutingContext ctx) {
            Boolean readiness = readinessByPath.get(ctx.normalizedPath());
            boolean anonymous = ctx.request().getHeader(HttpHeaders.AUTHORIZATION) == null;
            boolean get = ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD;
            if (readiness == null || !anonymous || !get) {
                basic.handle(ctx);
                return;
            }
            // the checks call PostgreSQL and Elasticsearch: off the event loop
            ctx.vertx().executeBlocking(() -> up(readiness), false).onComplete(result -> {
                boolean up = result.succeeded() && result.result();
                ctx.response().setStatusCode(up ? 200 : 503).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
            });
        }

        private boolean up(boolean readiness) {
            return HealthCheckHelper.isResultsUp(readiness ? HealthCheckHelper.invokeReadiness(camelContext)
                    : HealthCheckHelper.invokeLiveness(camelContext), readiness);
        }
    }
}
