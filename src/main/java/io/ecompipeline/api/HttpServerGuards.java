package io.ecompipeline.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
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
 *   <li>Every error a server answers itself, before or without a REST route or management handler (401 of basic auth,
 *       404 of an unknown path, 405, 400 of a malformed request, 500 of an unhandled failure), is problem details
 *       ({@code application/problem+json}, written by {@link HttpResponses#problemBody}) like the REST endpoints' own
 *       errors, not Vert.x's text or HTML page. What the handlers answer themselves stays theirs: the health checks'
 *       200/503 JSON that probes and Airflow read, Jolokia's JSON errors (HTTP 200 with the status inside, its
 *       protocol).</li>
 * </ul>
 *
 * <p>camel-platform-http mounts each server's router (the one {@code getRouter()} returns) under the server's path on
 * an outer router, which runs the authentication handlers. A request under the path that no route takes comes back to
 * the mounted router's last route here (404/405, with the methods the path allows); one outside the path (the
 * management server's {@code /observe}) never reaches it, so the outer router's error handlers answer it.
 */
public final class HttpServerGuards implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerGuards.class);

    private static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    /** The statuses Vert.x answers itself, without a handler, so its outer routers get an error handler for each. */
    private static final List<Integer> ROUTER_ERRORS = List.of(400, 401, 403, 404, 405, 406, 413, 415, 500);

    private final String challenge;
    private final String openApiPath;
    private final AuthenticationProvider authentication;

    /**
     * @param openApiPath    where the REST server's OpenAPI document is (named in the detail of a 404)
     * @param authentication the servers' user, for the Jolokia guard (see {@link #postOnly})
     */
    public HttpServerGuards(String realm, String openApiPath, AuthenticationProvider authentication) {
        this.challenge = "Basic realm=\"" + realm + "\"";
        this.openApiPath = openApiPath;
        this.authentication = authentication;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the servers start with the context; their routers exist only then
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        MainHttpServer main = context.hasService(MainHttpServer.class);
        if (main != null && main.getRouter() != null) {
            Supplier<String> index = () -> "the OpenAPI document at " + openApiPath + " lists what there is";
            install(main.getRouter(), index);
        }
        ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
        if (management != null && management.getRouter() != null) {
            Supplier<String> index = () -> "this server answers " + routesOf(management.getRouter(), management.getPath());
            if (management.isJolokiaEnabled()) {
                // order 0: before Jolokia's own route, and so before the authentication handler too (Vert.x numbers
                // routes as they are added, and there is no gap between the two): postOnly checks credentials itself
                management.getRouter().route(relativeJolokiaPath(management) + "*").order(0).handler(this::postOnly);
            }
            install(management.getRouter(), index);
        }
    }

    /**
     * What a mounted router serves, read from its routes when asked (camel-micrometer-prometheus adds its route after
     * the server started): {@code GET /observe/health, POST /observe/jolokia/*, ...}.
     */
    static String routesOf(Router router, String base) {
        Set<String> routes = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() != null && route.methods() != null && !route.methods().isEmpty()) {
                String path = HttpServerFactory.join(base == null ? "/" : base, route.getPath());
                routes.add(String.join("|", route.methods().stream().map(HttpMethod::name).sorted().toList()) + " "
                        + (route.isExactPath() ? path : path.replaceAll("/*$", "") + "/*"));
            }
        }
        return String.join(", ", routes);
    }

    private static String relativeJolokiaPath(ManagementHttpServer management) {
        String path = management.getJolokiaPath() == null ? "/jolokia" : management.getJolokiaPath();
        return path.replaceAll("/?\\*$", "");
    }

    /**
     * Problem details for whatever the server would answer with Vert.x's own text: failures of its handlers, paths no
     * route takes (after every route, also those added later), and on the outer router what never reaches this one.
     *
     * @param index what the server has, named in the detail of a 404
     */
    private void install(VertxPlatformHttpRouter router, Supplier<String> index) {
        router.route().failureHandler(ctx -> failure(ctx, index));
        router.route().last().handler(ctx -> noRoute(ctx, router, index));
        Router outer = outerRouter(router);
        if (outer != null) {
            // replaces camel-platform-http's 401 handler, which only logs
            ROUTER_ERRORS.forEach(status -> outer.errorHandler(status, ctx -> routerError(ctx, status, index)));
        } else {
            LOG.warn("the outer router of HTTP router {} was not found: requests outside its path get Vert.x's own error "
                    + "pages", router.getName());
        }
    }

    /** The router the Vert.x server hands every request to; the router of {@code getRouter()} is mounted on it. */
    private static Router outerRouter(VertxPlatformHttpRouter router) {
        HttpServer server = router.getServer() == null ? null : router.getServer().getServer();
        return server != null && server.requestHandler() instanceof Router outer ? outer : null;
    }

    /** 405 with the methods the path allows when a route has the path (406 when one has it and the method), else 404. */
    void noRoute(RoutingContext ctx, Router router, Supplier<String> index) {
        String path = relativePath(ctx);
        Set<String> allowed = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() != null && route.methods() != null && !route.methods().isEmpty()
                    && pathMatches(route.getPath(), route.isExactPath(), path)) {
                route.methods().forEach(m -> allowed.add(m.name()));
            }
        }
        if (allowed.isEmpty()) {
            problem(ctx, 404, index);
        } else if (allowed.contains(ctx.request().method().name())) {
            // the path and the method have a route, which did not take the request: it produces another media type
            problem(ctx, 406, index);
        } else {
            ctx.response().putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
            problem(ctx, 405, index);
        }
    }

    /** The request's path as the mounted router's routes name it (without the server's path, e.g. {@code /observe}). */
    static String relativePath(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String mount = ctx.mountPoint();
        if (mount == null || mount.isEmpty() || mount.equals("/")) {
            return path;
        }
        String base = mount.replaceAll("/+$", "");
        if (path.equals(base)) {
            return "/";
        }
        return path.startsWith(base + "/") ? path.substring(base.length()) : path;
    }

    /** A Vert.x route path ({@code /api/jobs/:id}) against a request path. */
    static boolean pathMatches(String template, String path) {
        return pathMatches(template, true, path);
    }

    /**
     * A Vert.x route path against a request path.
     *
     * @param exact false for a prefix route ({@code /jolokia/*}, whose path Vert.x keeps as {@code /jolokia/}): it
     *              takes the prefix and everything under it
     */
    static boolean pathMatches(String template, boolean exact, String path) {
        if (!exact) {
            String prefix = template.replaceAll("/+$", "");
            return path.equals(prefix) || path.startsWith(prefix + "/");
        }
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

    void problem(RoutingContext ctx, int status, Supplier<String> index) {
        if (ctx.response().ended()) {
            return;
        }
        String method = ctx.request().method().name();
        String path = ctx.request().path();
        String detail = switch (status) {
            case 401 -> "credentials missing or wrong: use HTTP Basic with PIPELINE_API_USER and PIPELINE_API_PASSWORD";
            case 404 -> "nothing at " + path + "; " + index.get();
            case 405 -> method + " is not allowed on " + path;
            case 406 -> path + " has no representation the Accept header takes (" + ctx.request().getHeader(HttpHeaders.ACCEPT) + ")";
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

    /**
     * Jolokia over POST only: another method is a 405, but only for the servers' user. This runs before the
     * authentication handler, so it checks the credentials itself: a request without valid ones is a 401 as on every
     * other path (a POST goes on to the authentication handler).
     */
    void postOnly(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.POST) {
            ctx.next();
            return;
        }
        authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)).onComplete(user -> {
            if (user.succeeded()) {
                ctx.response().putHeader(HttpHeaders.ALLOW, "POST");
                problem(ctx, 405, () -> "");
            } else {
                problem(ctx, 401, () -> "");
            }
        });
    }

    /** {@code Authorization: Basic base64(user:password)} against the servers' user; anything else fails. */
    Future<User> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Future.failedFuture("no Basic credentials");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture("malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Future.failedFuture("malformed Basic credentials");
        }
        return authentication.authenticate(new UsernamePasswordCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    /** A request that failed in a handler of the server (authentication, body parsing, an unhandled exception). */
    void failure(RoutingContext ctx, Supplier<String> index) {
        if (malformedBasic(ctx, ctx.statusCode())) {
            problem(ctx, 401, index);
        } else if (!ctx.response().ended()) {
            problem(ctx, ctx.statusCode() < 400 ? 500 : ctx.statusCode(), index);
        } else {
            ctx.next();
        }
    }

    /** An error the outer router answers itself (Vert.x's error handler of {@code status}). */
    void routerError(RoutingContext ctx, int status, Supplier<String> index) {
        problem(ctx, malformedBasic(ctx, status) ? 401 : status, index);
    }

    /** Vert.x's basic-auth handler fails a header that is not base64 with 400: that is an unauthenticated request. */
    private boolean malformedBasic(RoutingContext ctx, int status) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic", 0, 5);
        if (status == 400 && basic && !ctx.response().ended()) {
            LOG.debug("401 for {} {}: malformed Basic credentials from {}", ctx.request().method(), ctx.request().path(),
                    ctx.request().remoteAddress());
            return true;
        }
        return false;
    }
}
