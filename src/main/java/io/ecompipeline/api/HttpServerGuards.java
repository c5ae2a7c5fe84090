package io.ecompipeline.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards on the Vert.x routers of both HTTP servers (REST and management), installed once they run.
 *
 * <ul>
 *   <li>A malformed {@code Authorization: Basic} header (not base64) is an unauthenticated request, answered 401 with
 *       the {@code WWW-Authenticate} challenge. Vert.x's basic-auth handler fails such a request with 400 and, the
 *       servers having no error handler, logs "Unhandled exception in router" with a stack trace at ERROR.</li>
 *   <li>Jolokia answers POST only (405 otherwise). jolokia-access.xml says so too, but Jolokia does not apply its
 *       HTTP-method policy to {@code version}, which answered every GET.</li>
 * </ul>
 */
public final class HttpServerGuards implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerGuards.class);

    private final String challenge;

    public HttpServerGuards(String realm) {
        this.challenge = "Basic realm=\"" + realm + "\"";
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the servers start with the context; their routers exist only then
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        MainHttpServer main = context.hasService(MainHttpServer.class);
        if (main != null) {
            install(main.getRouter());
        }
        ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
        if (management != null && management.getRouter() != null) {
            install(management.getRouter());
            if (management.isJolokiaEnabled()) {
                // order 0: after the authentication handler (the first route, so unauthenticated calls stay 401s),
                // before Jolokia's own route
                String path = management.getJolokiaPath() == null ? "/jolokia" : management.getJolokiaPath();
                management.getRouter().route(path.replaceAll("/?\\*$", "") + "*").order(0).handler(HttpServerGuards::postOnly);
            }
        }
    }

    static void postOnly(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.POST) {
            ctx.next();
        } else {
            ctx.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "POST").end();
        }
    }

    private void install(VertxPlatformHttpRouter router) {
        if (router != null) {
            router.route().failureHandler(this::malformedCredentials);
        }
    }

    void malformedCredentials(RoutingContext ctx) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic", 0, 5);
        if (ctx.statusCode() == 400 && basic && !ctx.response().ended()) {
            LOG.debug("401 for {} {}: malformed Basic credentials from {}", ctx.request().method(), ctx.request().path(),
                    ctx.request().remoteAddress());
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", challenge).end();
        } else {
            ctx.next();
        }
    }
}
