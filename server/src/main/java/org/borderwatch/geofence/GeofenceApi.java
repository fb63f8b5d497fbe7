package org.borderwatch.geofence;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.borderwatch.audit.Audit;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.Role;
import org.borderwatch.bus.Addresses;
import org.borderwatch.http.Responses;

/** {@code /api/v1/geofences}: read for everyone signed in, written by operators; every change is announced. */
public final class GeofenceApi {

    private final Vertx vertx;
    private final GeofenceStore store;

    public GeofenceApi(Vertx vertx, GeofenceStore store) {
        this.vertx = vertx;
        this.store = store;
    }

    public void mount(Router router) {
        router.get("/api/v1/geofences").handler(AuthApi.require(Role.VIEWER))
                .handler(ctx -> Responses.reply(ctx, 200, store.list(agency(ctx))));
        router.get("/api/v1/geofences/:id").handler(AuthApi.require(Role.VIEWER))
                .handler(ctx -> Responses.reply(ctx, 200, store.get(ctx.pathParam("id"), agency(ctx))));
        router.post("/api/v1/geofences").handler(AuthApi.require(Role.OPERATOR))
                .handler(ctx -> Responses.reply(ctx, 201, announce(store.create(input(ctx), agency(ctx))
                        .onSuccess(fence -> Audit.record(ctx, "geofence.create", fence.getString("id"), null,
                                fence)))));
        router.put("/api/v1/geofences/:id").handler(AuthApi.require(Role.OPERATOR)).handler(this::update);
        router.delete("/api/v1/geofences/:id").handler(AuthApi.require(Role.OPERATOR)).handler(this::delete);
    }

    /** A fence belongs to its creator's agency; what a caller sees and changes follows from its agency. */
    private static String agency(RoutingContext ctx) {
        return AuthApi.principal(ctx).agency();
    }

    private static GeofenceInput input(RoutingContext ctx) {
        return GeofenceInput.parse(AuthApi.jsonBody(ctx));
    }

    private Future<JsonObject> announce(Future<JsonObject> saved) {
        return saved.onSuccess(feature -> vertx.eventBus().publish(Addresses.GEOFENCE_CHANGED,
                new JsonObject().put("op", "upsert").put("feature", feature)));
    }

    private void update(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        GeofenceInput input = input(ctx);
        Responses.reply(ctx, 200, announce(previous(id, agency(ctx))
                .compose(before -> store.update(id, input, agency(ctx))
                        .onSuccess(after -> Audit.record(ctx, "geofence.update", id, before, after)))));
    }

    /** The fence as it is before a change, for the audit; null when it cannot be read (the change then says why). */
    private Future<JsonObject> previous(String id, String agency) {
        return store.get(id, agency).otherwise((JsonObject) null);
    }

    private void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        previous(id, agency(ctx)).compose(before -> store.delete(id, agency(ctx))
                .onSuccess(revision -> Audit.record(ctx, "geofence.delete", id, before, null))).onComplete(ar -> {
            if (ar.succeeded()) {
                vertx.eventBus().publish(Addresses.GEOFENCE_CHANGED,
                        new JsonObject().put("op", "delete").put("id", id).put("revision", ar.result()));
                ctx.response().setStatusCode(204).end();
            } else {
                Responses.fail(ctx, ar.cause());
            }
        });
    }
}
