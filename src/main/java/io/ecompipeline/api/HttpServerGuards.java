package io.ecompipeline.api;

import java.util.Set;
import java.util.TreeSet;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
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
 *   <li>Every error the REST server answers itself, before or without a REST route (401 of basic auth, 404 of an
 *       unknown path, 405, 400 of a malformed request, 500 of an unhandled failure), is problem details
 *       ({@code application/problem+json}) like the endpoints' own errors, not Vert.x's text or HTML page.</li>
 * </ul>
 */
public final class HttpServerGuards implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerGuards.class);

    private static final String WWW_AUTHENTICATE = "WWW-Authenticate";

    private final String challenge;
    private final String openApiPath;

    /** @param openApiPath where the REST server's OpenAPI document is (named in the detail of a 404) */
    public HttpServerGuards(String realm, String openApiPath) {
        this.challenge = "Basic realm=\"" + realm + "\"";
        this.openApiPath = openApiPath;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the servers start with the context; their routers exist only then
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        MainHttpServer main = context.hasService(MainHttpServer.class);
        if (main != null && main.getRouter() != null) {
            install(main.getRouter(), true);
            // after every REST route (also those added later): what none of them took is a 404 or a 405
            VertxPlatformHttpRouter router = main.getRouter();
            router.route().last().handler(ctx -> noRoute(ctx, router));
        }
        ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
        if (management != null && management.getRouter() != null) {
            install(management.getRouter(), false);
            if (management.isJolokiaEnabled()) {
                // order 0: after the authentication handler (the first route, so unauthenticated calls stay 401s),
                // before Jolokia's own route
                String path = management.getJolokiaPath() == null ? "/jolokia" : management.getJolokiaPath();
                management.getRouter().route(path.replaceAll("/?\\*$", "") + "*").order(0).handler(HttpServerGuards::postOnly);
            }
        }
    }

    /** 405 with the methods the path allows when a REST route has the path, else 404. */
    void noRoute(RoutingContext ctx, Router router) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() != null && route.methods() != null && !route.methods().isEmpty()
                    && pathMatches(route.getPath(), ctx.normalizedPath())) {
                route.methods().forEach(m -> allowed.add(m.name()));
            }
        }
        if (allowed.isEmpty()) {
            problem(ctx, 404);
        } else {
            ctx.response().putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
            problem(ctx, 405);
        }
    }

    /** A Vert.x route path ({@code /api/jobs/:id}) against a request path. */
    static boolean pathMatches(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            boolean parameter = t[i].startsWith(":") && !p[i].isEmpty();
            if (!parameter && !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
    }

    void problem(RoutingContext ctx, int status) {
        if (ctx.response().ended()) {
            return;
        }
        String method = ctx.request().method().name();
        String path = ctx.request().path();
        String detail = switch (status) {
            case 401 -> "credentials missing or wrong: use HTTP Basic with PIPELINE_API_USER and PIPELINE_API_PASSWORD";
            case 404 -> "nothing at " + path + "; the OpenAPI document at " + openApiPath + " lists what there is";
            case 405 -> method + " is not allowed on " + path;
            default -> ctx.failure() == null || ctx.failure().getMessage() == null ? HttpResponseStatus.valueOf(status).reasonPhrase()
                    : ctx.failure().getMessage();
        };
        if (status == 401 && ctx.response().headers().get(WWW_AUTHENTICATE) == null) {
            ctx.response().putHeader(WWW_AUTHENTICATE, challenge);
        }
        if (status >= 500) {
            LOG.warn("{} for {} {}: {}", status, method, path, ctx.failure() == null ? "no detail" : ctx.failure().toString());
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, HttpResponses.PROBLEM_JSON)
                .end(new JsonObject(HttpResponses.problemBody(status, HttpResponses.ABOUT_BLANK, detail, path)).encode());
    }

    static void postOnly(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.POST) {
            ctx.next();
        } else {
            ctx.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "POST").end();
        }
    }

    private void install(VertxPlatformHttpRouter router, boolean problems) {
        if (router != null) {
            router.route().failureHandler(ctx -> failure(ctx, problems));
        }
    }

    /**
     * A request that failed in a handler of the server (authentication, body parsing, an unhandled exception).
     *
     * @param problems answer with problem details (the REST server) or leave it to Vert.x (the management server)
     */
    void failure(RoutingContext ctx, boolean problems) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic", 0, 5);
        if (ctx.statusCode() == 400 && basic && !ctx.response().ended()) {
            LOG.debug("401 for {} {}: malformed Basic credentials from {}", ctx.request().method(), ctx.request().path(),
                    ctx.request().remoteAddress());
            ctx.response().putHeader(WWW_AUTHENTICATE, challenge);
            if (problems) {
                problem(ctx, 401);
            } else {
                ctx.response().setStatusCode(401).end();
            }
        } else if (problems && !ctx.response().ended()) {
            problem(ctx, ctx.statusCode() < 400 ? 500 : ctx.statusCode());
        } else {
            ctx.next();
        }
    }
}
