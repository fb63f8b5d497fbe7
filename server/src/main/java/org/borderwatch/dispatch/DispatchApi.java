package org.borderwatch.dispatch;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.alert.Alerts;
import org.borderwatch.audit.Audit;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.Principal;
import org.borderwatch.auth.Role;
import org.borderwatch.auth.Sharing;
import org.borderwatch.auth.Visibility;
import org.borderwatch.bus.Addresses;
import org.borderwatch.config.Config;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.Responses;
import org.borderwatch.ingest.PositionParser;
import org.borderwatch.track.Unit;
import org.borderwatch.track.UnitRegistry;

import java.time.Clock;
import java.util.Set;

/**
 * {@code POST /api/v1/detections} (a sensor's key, or an operator) and {@code POST /api/v1/alerts/{id}/assign}
 * (operator): a detection becomes an incident alert with its nearest patrols; an operator sends one of them, who is
 * told over MQTT and CoT, and the map draws the way (API.md §10).
 */
public final class DispatchApi {

    /** The unit types that can be sent somewhere; sensors and aircraft contacts cannot. */
    static final Set<String> PATROL_TYPES = Set.of("vehicle", "foot", "boat", "drone");

    private final Vertx vertx;
    private final Pool pool;
    private final Detections detections;
    private final UnitRegistry registry;
    private final Sharing sharing;
    private final Config config;
    private final PositionParser parser = new PositionParser(Clock.systemUTC());

    public DispatchApi(Vertx vertx, Pool pool, UnitRegistry registry, Sharing sharing, Config config) {
        this.vertx = vertx;
        this.pool = pool;
        this.registry = registry;
        this.sharing = sharing;
        this.config = config;
        this.detections = new Detections(vertx, pool, sharing, config);
    }

    public void mount(Router router) {
        router.post("/api/v1/detections").handler(this::detect);
        router.post("/api/v1/alerts/:id/assign").handler(AuthApi.require(Role.OPERATOR)).handler(this::assign);
    }

    private void detect(RoutingContext ctx) {
        Principal who = AuthApi.principal(ctx);
        if (who.role() != Role.DEVICE && !who.role().includes(Role.OPERATOR)) {
            throw ApiException.forbidden("reporting a detection takes an operator or the sensor's key");
        }
        Detection detection = Detection.parse(AuthApi.jsonBody(ctx), null, parser);
        Responses.reply(ctx, 202, detections.store(who, detection));
    }

    private void assign(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        ApiException.requireUuid(id, "alert");
        Object value = AuthApi.jsonBody(ctx).getValue("unitId");
        if (!(value instanceof String unitId) || unitId.isBlank() || unitId.length() > 64) {
            throw ApiException.badRequest("unitId must name the unit to send", "unitId");
        }
        Principal who = AuthApi.principal(ctx);
        Visibility visibility = sharing.visibility(who);
        Responses.reply(ctx, 200, registry.find(unitId).compose(unit -> {
            // A unit the operator may not see is unknown, as everywhere (API.md §9).
            if (unit == null || !visibility.seesUnit(unitId)) {
                throw ApiException.notFound("unit " + unitId);
            }
            if (!PATROL_TYPES.contains(unit.type())) {
                throw ApiException.badRequest("a " + unit.type() + " cannot be sent; one of " + PATROL_TYPES,
                        "unitId");
            }
            return pool.preparedQuery(DispatchSql.ASSIGN)
                    .execute(Tuple.of(id, unitId, who.name(), who.agency()))
                    .map(rows -> {
                        if (rows.size() == 0) {
                            throw ApiException.notFound("alert " + id);
                        }
                        Row row = rows.iterator().next();
                        JsonObject alert = Alerts.fromRow(row);
                        Audit.record(ctx, "alert.assign", id, null, new JsonObject().put("unitId", unitId));
                        vertx.eventBus().publish(Addresses.ALERT_UPDATED, alert);
                        vertx.eventBus().publish(Addresses.TASKS, new JsonObject().put("unitId", unitId)
                                .put("task", task(alert, unit, row)));
                        return visibility.redact(alert);
                    });
        }));
    }

    /** What the unit is told: where to go and why, with the distance and ETA from where it last reported. */
    private JsonObject task(JsonObject alert, Unit unit, Row row) {
        JsonObject task = new JsonObject().put("alertId", alert.getString("id"))
                .put("type", alert.getString("type")).put("severity", alert.getString("severity"))
                .put("lat", alert.getDouble("lat")).put("lon", alert.getDouble("lon"))
                .put("detectedAt", alert.getString("detectedAt"))
                .put("assignedBy", alert.getString("assignedBy")).put("assignedAt", alert.getString("assignedAt"));
        Double meters = row.getDouble("meters");
        if (meters != null) {
            task.put("distanceMeters", Math.round(meters))
                    .put("etaSeconds", Detections.eta(meters, row.getDouble("speed"), unit.type(), config.etaKmh()));
        }
        return task;
    }
}
