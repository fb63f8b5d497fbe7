package org.borderwatch.auth;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.JsonBodies;
import org.borderwatch.http.Responses;

/** {@code POST /api/v1/login}, {@code POST /api/v1/users} and the bearer-token gate in front of everything else. */
public final class AuthApi {

    private static final String PRINCIPAL = "principal";

    private final AuthService auth;

    public AuthApi(AuthService auth) {
        this.auth = auth;
    }

    /** Mounts login (open) and then the token gate on every other {@code /api} and {@code /ws} path. */
    public void mount(Router router) {
        router.post("/api/v1/login").handler(this::login);
        router.route("/api/*").handler(this::authenticate);
        router.route("/ws/*").handler(this::authenticate);
        router.post("/api/v1/users").handler(require(Role.ADMIN)).handler(this::createUser);
    }

    public static Principal principal(RoutingContext ctx) {
        return ctx.get(PRINCIPAL);
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

    private void login(RoutingContext ctx) {
        JsonObject body = jsonBody(ctx);
        Responses.reply(ctx, 200, auth.login(stringOrNull(body, "username"), stringOrNull(body, "password")));
    }

    private void createUser(RoutingContext ctx) {
        JsonObject body = jsonBody(ctx);
        String username = stringOrNull(body, "username");
        String password = stringOrNull(body, "password");
        if (username == null || !username.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw ApiException.badRequest("username must be 1-64 of letters, digits, . _ @ -", "username");
        }
        if (password == null || password.length() < 8) {
            throw ApiException.badRequest("password must have at least 8 characters", "password");
        }
        Role role = Role.ofPerson(stringOrNull(body, "role"));
        if (role == null) {
            throw ApiException.badRequest("role must be viewer, operator or admin", "role");
        }
        String agency = Agencies.forNew(principal(ctx), body.getValue("agency"));
        Responses.reply(ctx, 201, auth.createUser(username, password, role, agency)
                .map(v -> new JsonObject().put("username", username).put("role", role.wireName())
                        .put("agency", agency)));
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
        auth.authenticate(token).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.put(PRINCIPAL, ar.result());
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

    private static String stringOrNull(JsonObject body, String field) {
        return body.getValue(field) instanceof String text ? text : null;
    }
}
