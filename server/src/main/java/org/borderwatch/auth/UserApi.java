package org.borderwatch.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.Times;
import org.borderwatch.audit.Audit;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.Responses;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * {@code /api/v1/users} (admin): create, list and change the users of the admin's agency (every agency's for root).
 * Disabling a user or changing their role or password revokes their tokens at once on every node, and closes their
 * open WebSocket, MQTT and CoT connections; a change that changes nothing revokes nothing. Another agency's user is
 * not found. Hashes never leave the database.
 */
public final class UserApi {

    private static final String USERNAME = "[A-Za-z0-9._@-]{1,64}";
    private static final Set<String> CHANGEABLE = Set.of("role", "password", "disabled");

    private final Vertx vertx;
    private final Pool pool;
    private final AuthService auth;

    public UserApi(Vertx vertx, Pool pool, AuthService auth) {
        this.vertx = vertx;
        this.pool = pool;
        this.auth = auth;
    }

    public void mount(Router router) {
        router.post("/api/v1/users").handler(AuthApi.require(Role.ADMIN)).handler(this::create);
        router.get("/api/v1/users").handler(AuthApi.require(Role.ADMIN)).handler(this::list);
        router.patch("/api/v1/users/:username").handler(AuthApi.require(Role.ADMIN)).handler(this::change);
    }

    private void create(RoutingContext ctx) {
        JsonObject body = AuthApi.jsonBody(ctx);
        String username = AuthApi.stringOrNull(body, "username");
        if (username == null || !username.matches(USERNAME)) {
            throw ApiException.badRequest("username must be 1-64 of letters, digits, . _ @ -", "username");
        }
        String password = PasswordPolicy.check(body.getValue("password"));
        Role role = Role.ofPerson(AuthApi.stringOrNull(body, "role"));
        if (role == null) {
            throw ApiException.badRequest("role must be viewer, operator or admin", "role");
        }
        String agency = Agencies.forNew(AuthApi.principal(ctx), body.getValue("agency"));
        JsonObject created = new JsonObject().put("username", username).put("role", role.wireName())
                .put("agency", agency);
        Responses.reply(ctx, 201, auth.createUser(username, password, role, agency).map(v -> {
            Audit.record(ctx, "user.create", username, null, created.copy().put("disabled", false));
            return created;
        }));
    }

    private void list(RoutingContext ctx) {
        Principal admin = AuthApi.principal(ctx);
        Responses.reply(ctx, 200, pool.preparedQuery(AuthSql.SELECT_USERS)
                .execute(Tuple.of(admin.isRoot() ? null : admin.agency())).map(rows -> {
                    JsonArray users = new JsonArray();
                    rows.forEach(row -> users.add(json(row)));
                    return users;
                }));
    }

    private void change(RoutingContext ctx) {
        String username = ctx.pathParam("username");
        Principal admin = AuthApi.principal(ctx);
        JsonObject body = AuthApi.jsonBody(ctx);
        for (String field : body.fieldNames()) {
            if (!CHANGEABLE.contains(field)) {
                throw ApiException.badRequest("only role, password and disabled can be changed", "body");
            }
        }
        if (body.isEmpty()) {
            throw ApiException.badRequest("give role, password or disabled", "body");
        }
        Role role = null;
        if (body.containsKey("role")) {
            role = Role.ofPerson(AuthApi.stringOrNull(body, "role"));
            if (role == null) {
                throw ApiException.badRequest("role must be viewer, operator or admin", "role");
            }
        }
        String password = body.containsKey("password") ? PasswordPolicy.check(body.getValue("password")) : null;
        Boolean disabled = null;
        if (body.containsKey("disabled")) {
            if (!(body.getValue("disabled") instanceof Boolean flag)) {
                throw ApiException.badRequest("disabled must be true or false", "disabled");
            }
            disabled = flag;
        }
        if (username.equals(admin.name()) && (Boolean.TRUE.equals(disabled) || (role != null && role != Role.ADMIN))) {
            // The last admin of an agency could otherwise lock everyone out of it.
            throw ApiException.forbidden("an admin cannot disable or demote themselves");
        }
        String newRole = role == null ? null : role.wireName();
        Boolean newDisabled = disabled;
        Future<String> hash = password == null ? Future.succeededFuture()
                : vertx.executeBlocking(() -> Secrets.hashPassword(password), false);
        // Microseconds are all PostgreSQL keeps: compare what comes back with what went in.
        Instant revokedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Responses.reply(ctx, 200, hash
                .compose(h -> pool.preparedQuery(AuthSql.UPDATE_USER).execute(Tuple.of(username, newRole, h,
                        newDisabled, OffsetDateTime.ofInstant(revokedAt, ZoneOffset.UTC),
                        admin.isRoot() ? null : admin.agency())))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("user " + username);
                    }
                    Row row = rows.iterator().next();
                    JsonObject after = json(row);
                    OffsetDateTime validAfter = row.getOffsetDateTime("tokens_valid_after");
                    boolean revoked = validAfter != null && validAfter.toInstant().equals(revokedAt);
                    if (revoked || row.getBoolean("disabled") != row.getBoolean("old_disabled")) {
                        auth.userChanged(username, validAfter == null ? 0 : validAfter.toInstant().toEpochMilli(),
                                row.getBoolean("disabled"), revoked);
                    }
                    JsonObject before = new JsonObject().put("role", row.getString("old_role"))
                            .put("disabled", row.getBoolean("old_disabled"));
                    JsonObject changed = new JsonObject().put("role", after.getString("role"))
                            .put("disabled", after.getBoolean("disabled"));
                    if (password != null) {
                        changed.put("passwordChanged", true);
                    }
                    Audit.record(ctx, "user.update", username, before, changed);
                    return after;
                }));
    }

    private static JsonObject json(Row row) {
        return new JsonObject().put("username", row.getString("username")).put("role", row.getString("role"))
                .put("agency", row.getString("agency")).put("disabled", row.getBoolean("disabled"))
                .put("createdAt", Times.format(row.getOffsetDateTime("created_at")));
    }
}
