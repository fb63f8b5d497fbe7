package org.borderwatch.alert;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.Times;
import org.borderwatch.audit.Audit;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.Role;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.Responses;

import java.util.Arrays;
import java.util.List;

/** {@code /api/v1/webhooks} (admin): alert subscribers that receive every matching alert as a signed POST. */
public final class WebhookApi {

    private static final List<String> STATES = List.of("pending", "delivered", "dead");

    private final Pool pool;
    private final WebhookTargets targets;

    public WebhookApi(Pool pool, WebhookTargets targets) {
        this.targets = targets;
        this.pool = pool;
    }

    public void mount(Router router) {
        router.post("/api/v1/webhooks").handler(AuthApi.require(Role.ADMIN)).handler(this::create);
        router.get("/api/v1/webhooks").handler(AuthApi.require(Role.ADMIN)).handler(ctx ->
                Responses.reply(ctx, 200, pool.preparedQuery(WebhookSql.SELECT_ALL)
                        .execute(Tuple.of(AuthApi.principal(ctx).agency())).map(rows -> {
                    JsonArray hooks = new JsonArray();
                    rows.forEach(row -> hooks.add(toJson(row)));
                    return hooks;
                })));
        router.delete("/api/v1/webhooks/:id").handler(AuthApi.require(Role.ADMIN)).handler(this::delete);
        router.get("/api/v1/webhooks/:id/deliveries").handler(AuthApi.require(Role.ADMIN)).handler(this::deliveries);
    }

    /** A webhook's deliveries, newest first, optionally in one state; another agency's webhook is 404. */
    private void deliveries(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        ApiException.requireUuid(id, "webhook");
        String state = ctx.request().getParam("state");
        if (state != null && !STATES.contains(state)) {
            throw ApiException.badRequest("state must be one of " + String.join(", ", STATES), "state");
        }
        int limit = AlertApi.limit(ctx.request().getParam("limit"));
        Responses.reply(ctx, 200, pool.preparedQuery(WebhookSql.DELIVERIES)
                .execute(Tuple.of(id, AuthApi.principal(ctx).agency(), state, limit)).map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("webhook " + id);
                    }
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> {
                        if (row.getString("alert_id") != null) {
                            list.add(deliveryJson(row));
                        }
                    });
                    return list;
                }));
    }

    private static JsonObject deliveryJson(Row row) {
        String state = row.getOffsetDateTime("delivered_at") != null ? "delivered"
                : row.getOffsetDateTime("dead_at") != null ? "dead" : "pending";
        return new JsonObject().put("alertId", row.getString("alert_id")).put("state", state)
                .put("attempts", row.getInteger("attempts"))
                .put("queuedAt", Times.format(row.getOffsetDateTime("created_at")))
                .put("nextAttemptAt", "pending".equals(state) ? Times.format(row.getOffsetDateTime("next_attempt_at"))
                        : null)
                .put("deliveredAt", time(row, "delivered_at"))
                .put("deadAt", "dead".equals(state) ? time(row, "dead_at") : null)
                .put("lastError", row.getString("last_error"));
    }

    private static String time(Row row, String column) {
        return row.getOffsetDateTime(column) == null ? null : Times.format(row.getOffsetDateTime(column));
    }

    private void create(RoutingContext ctx) {
        JsonObject body = AuthApi.jsonBody(ctx);
        String text = targets.validate(body.getValue("url")).toString();
        Object secret = body.getValue("secret");
        if (!(secret instanceof String key) || key.length() < 8) {
            throw ApiException.badRequest("secret must have at least 8 characters", "secret");
        }
        String[] types = null;
        Object typeList = body.getValue("types");
        if (typeList != null) {
            if (!(typeList instanceof JsonArray array) || array.isEmpty()) {
                throw ApiException.badRequest("types must be a non-empty array of alert types", "types");
            }
            types = AlertApi.types(String.join(",", array.stream().map(String::valueOf).toList()), "types");
        }
        Responses.reply(ctx, 201, pool.preparedQuery(WebhookSql.INSERT)
                .execute(Tuple.of(text, key, types, AuthApi.principal(ctx).agency()))
                .map(rows -> toJson(rows.iterator().next()))
                .onSuccess(hook -> Audit.record(ctx, "webhook.create", hook.getString("id"), null, hook)));
    }

    private void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        ApiException.requireUuid(id, "webhook");
        pool.preparedQuery(WebhookSql.DELETE).execute(Tuple.of(id, AuthApi.principal(ctx).agency()))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        Responses.fail(ctx, ar.cause());
                    } else if (ar.result().rowCount() == 0) {
                        Responses.fail(ctx, ApiException.notFound("webhook " + id));
                    } else {
                        Audit.record(ctx, "webhook.delete", id, null, null);
                        ctx.response().setStatusCode(204).end();
                    }
                });
    }

    private static JsonObject toJson(Row row) {
        String[] types = row.getArrayOfStrings("types");
        return new JsonObject().put("id", row.getString("id")).put("url", row.getString("url"))
                .put("types", types == null ? null : new JsonArray(Arrays.asList((Object[]) types)))
                .put("agency", row.getString("agency"))
                .put("createdAt", Times.format(row.getOffsetDateTime("created_at")));
    }
}
