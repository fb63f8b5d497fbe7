package org.borderwatch.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.audit.Audit;
import org.borderwatch.bus.Addresses;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.JsonBodies;
import org.borderwatch.http.Responses;
import org.borderwatch.track.Unit;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/agencies} and {@code /api/v1/shares} (API.md §9): root admins create agencies; an agency's admins
 * share its units with another agency, all of them or some types or some units, and take a share back. A change is
 * announced to every node, whose streams follow it at once.
 */
public final class SharingApi {

    private static final int MAX_LIST = 10_000;

    private final Vertx vertx;
    private final Pool pool;
    private final Sharing sharing;

    public SharingApi(Vertx vertx, Pool pool, Sharing sharing) {
        this.vertx = vertx;
        this.pool = pool;
        this.sharing = sharing;
    }

    /** In force on this node before the answer, and on the others as soon as they hear of it. */
    private <T> Future<T> announce(T result) {
        vertx.eventBus().publish(Addresses.SHARES_CHANGED, null);
        return sharing.reload().map(result);
    }

    public void mount(Router router) {
        router.get("/api/v1/agencies").handler(AuthApi.require(Role.VIEWER)).handler(ctx -> Responses.reply(ctx, 200,
                pool.query(SharingSql.SELECT_AGENCIES).execute().map(SharingApi::agencies)));
        router.post("/api/v1/agencies").handler(AuthApi.require(Role.ADMIN)).handler(this::createAgency);
        router.get("/api/v1/shares").handler(AuthApi.require(Role.ADMIN)).handler(this::listShares);
        router.post("/api/v1/shares").handler(AuthApi.require(Role.ADMIN)).handler(this::createShare);
        router.delete("/api/v1/shares/:id").handler(AuthApi.require(Role.ADMIN)).handler(this::deleteShare);
    }

    private void createAgency(RoutingContext ctx) {
        if (!AuthApi.principal(ctx).isRoot()) {
            throw ApiException.forbidden("only root admins create agencies");
        }
        JsonObject body = AuthApi.jsonBody(ctx);
        String id = text(body, "id", Agencies.ID_PATTERN, "id must be 1-64 of a-z, 0-9, . _ - (starting with a "
                + "letter or digit)");
        String name = JsonBodies.name(body.getValue("name"), "name", JsonBodies.MAX_NAME);
        Responses.reply(ctx, 201, pool.preparedQuery(SharingSql.INSERT_AGENCY).execute(Tuple.of(id, name))
                .map(rows -> agencies(rows).getJsonObject(0))
                .onSuccess(agency -> Audit.record(ctx, "agency.create", id, null, agency)));
    }

    private void listShares(RoutingContext ctx) {
        Principal admin = AuthApi.principal(ctx);
        Responses.reply(ctx, 200, pool.preparedQuery(SharingSql.SELECT_SHARES)
                .execute(Tuple.of(admin.isRoot() ? null : admin.agency())).map(rows -> {
                    JsonArray shares = new JsonArray();
                    rows.forEach(row -> shares.add(json(Sharing.share(row))));
                    return shares;
                }));
    }

    private void createShare(RoutingContext ctx) {
        Principal admin = AuthApi.principal(ctx);
        JsonObject body = AuthApi.jsonBody(ctx);
        String from = text(body, "from", Agencies.ID_PATTERN, "from must be an agency id");
        String to = text(body, "to", Agencies.ID_PATTERN, "to must be an agency id");
        if (!admin.isRoot() && !from.equals(admin.agency())) {
            throw ApiException.forbidden("an agency's admins share only its own units");
        }
        if (from.equals(to)) {
            throw ApiException.badRequest("an agency cannot share with itself", "to");
        }
        String[] types = strings(body, "unitTypes");
        if (types != null) {
            for (String type : types) {
                if (!Unit.TYPES.contains(type)) {
                    throw ApiException.badRequest("unitTypes must be of " + Unit.TYPES, "unitTypes");
                }
            }
        }
        String[] ids = strings(body, "unitIds");
        Future<JsonObject> created = pool.preparedQuery(SharingSql.INSERT_SHARE)
                .execute(Tuple.of(from, to, types, ids, admin.name()))
                .map(rows -> json(Sharing.share(rows.iterator().next())))
                .recover(e -> Future.failedFuture(e instanceof PgException pg && "23503".equals(pg.getSqlState())
                        ? ApiException.badRequest("no such agency", String.valueOf(pg.getConstraint())
                                .startsWith("shares_to") ? "to" : "from") : e))
                .compose(this::announce)
                .onSuccess(share -> Audit.record(ctx, "share.create", share.getString("id"), null, share));
        Responses.reply(ctx, 201, created);
    }

    private void deleteShare(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        ApiException.requireUuid(id, "share");
        Principal admin = AuthApi.principal(ctx);
        pool.preparedQuery(SharingSql.DELETE_SHARE).execute(Tuple.of(java.util.UUID.fromString(id),
                        admin.isRoot() ? null : admin.agency()))
                .compose(rows -> rows.size() == 0 ? Future.failedFuture(ApiException.notFound("share " + id))
                        : announce(rows))
                .onSuccess(rows -> {
                    Audit.record(ctx, "share.delete", id, json(Sharing.share(rows.iterator().next())), null);
                    ctx.response().setStatusCode(204).end();
                })
                .onFailure(e -> Responses.fail(ctx, e));
    }

    private static JsonArray agencies(RowSet<Row> rows) {
        JsonArray agencies = new JsonArray();
        rows.forEach(row -> agencies.add(new JsonObject().put("id", row.getString("id"))
                .put("name", row.getString("name"))));
        return agencies;
    }

    private static JsonObject json(Sharing.Share share) {
        return new JsonObject().put("id", share.id()).put("from", share.from()).put("to", share.to())
                .put("unitTypes", share.unitTypes() == null ? null : new JsonArray(List.copyOf(share.unitTypes())))
                .put("unitIds", share.unitIds() == null ? null : new JsonArray(List.copyOf(share.unitIds())));
    }

    private static String text(JsonObject body, String field, String pattern, String error) {
        if (!(body.getValue(field) instanceof String text) || !text.matches(pattern)) {
            throw ApiException.badRequest(error, field);
        }
        return text;
    }

    /** An optional array of short strings; null when absent. */
    private static String[] strings(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_LIST) {
            throw ApiException.badRequest(field + " must be a non-empty array of at most " + MAX_LIST, field);
        }
        List<String> items = new ArrayList<>();
        for (Object item : array) {
            if (!(item instanceof String text) || !text.matches("[A-Za-z0-9._:-]{1,64}")) {
                throw ApiException.badRequest(field + " must hold ids or type names", field);
            }
            items.add(text);
        }
        return items.toArray(String[]::new);
    }
}
