package org.borderwatch.track;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.borderwatch.auth.Agencies;
import org.borderwatch.audit.Audit;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.Principal;
import org.borderwatch.auth.Sharing;
import org.borderwatch.auth.Visibility;
import org.borderwatch.auth.Role;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.JsonBodies;
import org.borderwatch.http.Responses;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** {@code /api/v1/units}: create (admin), last-known positions and tracks (everyone signed in). */
public final class UnitApi {

    private final UnitStore store;
    private final UnitRegistry registry;
    private final Sharing sharing;

    public UnitApi(UnitStore store, UnitRegistry registry, Sharing sharing) {
        this.sharing = sharing;
        this.store = store;
        this.registry = registry;
    }

    public void mount(Router router) {
        router.post("/api/v1/units").handler(AuthApi.require(Role.ADMIN)).handler(this::create);
        router.get("/api/v1/units").handler(AuthApi.require(Role.VIEWER))
                .handler(ctx -> Responses.reply(ctx, 200, store.lastKnown(AuthApi.principal(ctx).agency())));
        router.get("/api/v1/units/:id/track").handler(AuthApi.require(Role.VIEWER)).handler(this::track);
        router.post("/api/v1/units/:id/key").handler(AuthApi.require(Role.ADMIN)).handler(this::rotateKey);
        router.patch("/api/v1/units/:id").handler(AuthApi.require(Role.ADMIN)).handler(this::update);
    }

    private void create(RoutingContext ctx) {
        JsonObject body = AuthApi.jsonBody(ctx);
        Object id = body.getValue("id");
        if (!(id instanceof String unitId) || !unitId.matches("[A-Za-z0-9._:-]{1,64}")) {
            throw ApiException.badRequest("id must be 1-64 of letters, digits, . _ : -", "id");
        }
        Object type = body.getValue("type");
        if (!(type instanceof String unitType) || !Unit.TYPES.contains(unitType)) {
            throw ApiException.badRequest("type must be one of " + Unit.TYPES, "type");
        }
        String unitName = JsonBodies.name(body.getValue("name", unitId), "name", JsonBodies.MAX_NAME);
        String agency = Agencies.forNew(AuthApi.principal(ctx), body.getValue("agency"));
        Responses.reply(ctx, 201, store.create(unitId, unitName, unitType, agency).onSuccess(unit -> {
            JsonObject after = unit.copy();
            after.remove("deviceKey");
            Audit.record(ctx, "unit.create", unitId, null, after);
        }));
    }

    /**
     * A new device key for the unit (admin of its agency, or root); the old one is refused from now on, on every node
     * and protocol. A unit the admin cannot see is not found; one shared with its agency is not its to rotate.
     */
    private void rotateKey(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Principal admin = AuthApi.principal(ctx);
        Visibility visibility = sharing.visibility(admin);
        Responses.reply(ctx, 200, registry.find(id).compose(unit -> {
            if (unit == null || !visibility.seesUnit(id)) {
                throw ApiException.notFound("unit " + id);
            }
            if (!admin.isRoot() && !admin.agency().equals(unit.agency())) {
                throw ApiException.forbidden("only the admins of agency " + unit.agency() + " rotate its keys");
            }
            return store.rotateKey(id, admin.isRoot() ? null : admin.agency());
        }).map(key -> {
            if (key == null) {
                throw ApiException.notFound("unit " + id);
            }
            Audit.record(ctx, "unit.key", id, null, null);
            return new JsonObject().put("deviceKey", key);
        }));
    }

    /**
     * Renames a unit or sets its properties (a sensor's kind, coverage and field of view, API.md §10): admin of its
     * agency, or root. A unit the admin cannot see is not found; a shared one is not its to change.
     */
    private void update(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        JsonObject body = AuthApi.jsonBody(ctx);
        String name = body.getValue("name") == null ? null
                : JsonBodies.name(body.getValue("name"), "name", JsonBodies.MAX_NAME);
        Principal admin = AuthApi.principal(ctx);
        Visibility visibility = sharing.visibility(admin);
        Responses.reply(ctx, 200, registry.find(id).compose(unit -> {
            if (unit == null || !visibility.seesUnit(id)) {
                throw ApiException.notFound("unit " + id);
            }
            if (!admin.isRoot() && !admin.agency().equals(unit.agency())) {
                throw ApiException.forbidden("only the admins of agency " + unit.agency() + " change its units");
            }
            boolean setProperties = body.containsKey("properties");
            JsonObject properties = setProperties && body.getValue("properties") != null
                    ? SensorProperties.check(body.getValue("properties"), unit.type()) : null;
            return store.update(id, name, setProperties, properties, admin.isRoot() ? null : admin.agency())
                    .map(after -> {
                        if (after == null) {
                            throw ApiException.notFound("unit " + id);
                        }
                        Audit.record(ctx, "unit.update", id, unit.toJson(), after);
                        return after;
                    });
        }));
    }

    private void track(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Instant to = time(ctx, "to", Instant.now());
        Instant from = time(ctx, "from", to.minus(Duration.ofHours(24)));
        if (from.isAfter(to)) {
            throw ApiException.badRequest("from must not be after to", "from");
        }
        Visibility visibility = sharing.visibility(AuthApi.principal(ctx));
        Responses.reply(ctx, 200, registry.find(id).compose(unit -> {
            // Another agency's unit is not found, the same as one that does not exist (API.md §9).
            if (unit == null || !visibility.seesUnit(id)) {
                throw ApiException.notFound("unit " + id);
            }
            return store.track(id, from, to);
        }));
    }

    private static Instant time(RoutingContext ctx, String param, Instant fallback) {
        String value = ctx.request().getParam(param);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(param + " is not an ISO-8601 time", param);
        }
    }
}
