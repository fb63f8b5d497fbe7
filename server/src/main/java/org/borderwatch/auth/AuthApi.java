package org.borderwatch.auth;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.borderwatch.audit.Audit;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.JsonBodies;
import org.borderwatch.http.Responses;
import org.borderwatch.ops.LogLimit;

/** {@code POST /api/v1/login}, {@code POST /api/v1/logout} and the bearer-token gate in front of everything else. */
public final class AuthApi {

    private static final String SESSION = "session";

    private final AuthService auth;

    public AuthApi(AuthService auth) {
        this.auth = auth;
    }

    /** Mounts login (open), then the token gate on every other {@code /api} and {@code /ws} path, then logout. */
    public void mount(Router router) {
        router.post("/api/v1/login").handler(this::login);
        router.route("/api/*").handler(this::authenticate);
        router.route("/ws/*").handler(this::authenticate);
        router.post("/api/v1/logout").handler(this::logout);
    }

    public static Principal principal(RoutingContext ctx) {
        Session session = ctx.get(SESSION);
        return session == null ? null : session.principal();
    }

    /** The id of the login token the request came with, or null (a device key). */
    public static String sessionId(RoutingContext ctx) {
        Session session = ctx.get(SESSION);
        return session == null ? null : session.id();
    }

    /** Lets the request through only when its principal's role includes {@code role}: 403 otherwise. */
    public static Handler<RoutingContext> require(Role role) {
        return ctx -> {
            Principal principal = principal(ctx);
            if (principal.role().includes(role)) {
                ctx.next();
            } else {
                Responses.fail(ctx, ApiException.forbidden("requires role " + role.wireName()));
            }
        };
    }

    /** The client's address, as throttling and the audit know it. */
    public static String address(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    }

    private void login(RoutingContext ctx) {
        JsonObject body = jsonBody(ctx);
        String username = stringOrNull(body, "username");
        String password = stringOrNull(body, "password");
        auth.login(username, password, address(ctx)).onComplete(ar -> {
            if (ar.succeeded()) {
                Audit.record(ctx, Audit.actor(username, ar.result().getString("agency")), "login", username,
                        null, null);
                Responses.json(ctx, 200, ar.result());
            } else {
                // Only real attempts: a body without a password checks nothing and must not grow the log at no cost.
                if (ar.cause() instanceof AuthService.Refused refused && username != null && password != null) {
                    Audit.record(ctx, Audit.actor(LogLimit.clip(username), refused.agency()), "login.failed",
                            LogLimit.clip(username), null, null);
                }
                Responses.fail(ctx, ar.cause());
            }
        });
    }

    /** Signs the request's login token out on every node; a device key is revoked by rotating it instead. */
    private void logout(RoutingContext ctx) {
        Session session = ctx.get(SESSION);
        if (session.id() == null) {
            throw ApiException.forbidden("a device key is revoked by rotating it (POST /api/v1/units/{id}/key)");
        }
        auth.signOut(session).onComplete(ar -> {
            if (ar.succeeded()) {
                Audit.record(ctx, "logout", session.principal().name(), null, null);
                ctx.response().setStatusCode(204).end();
            } else {
                Responses.fail(ctx, ar.cause());
            }
        });
    }

    private void authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        String token = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        } else if (ctx.request().path().startsWith("/ws/")) {
            // Browsers cannot set headers on a WebSocket handshake.
            token = ctx.request().getParam("access_token");
        }
        auth.session(token).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.put(SESSION, ar.result());
                ctx.next();
            } else {
                Responses.fail(ctx, ar.cause());
            }
        });
    }

    /** The request body as a JSON object, or a 400 naming the body (or the field holding text no column takes). */
    public static JsonObject jsonBody(RoutingContext ctx) {
        return JsonBodies.object(ctx);
    }

    static String stringOrNull(JsonObject body, String field) {
        return body.getValue(field) instanceof String text ? text : null;
    }
}
