package org.borderwatch.dispatch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.Times;
import org.borderwatch.alert.Alerts;
import org.borderwatch.auth.Principal;
import org.borderwatch.auth.Role;
import org.borderwatch.auth.Sharing;
import org.borderwatch.bus.Addresses;
import org.borderwatch.config.Config;
import org.borderwatch.http.ApiException;

import java.time.ZoneOffset;
import java.util.Map;

/**
 * Stores detections (API.md §10) from any door: placed at the sensor, along a bearing or where reported; each raises a
 * {@code detection} alert listing the nearest live patrol units with an ETA, or grows the open incident it is close
 * to. Everything of one detection commits together, then the maps, alert streams and webhooks are told.
 */
public final class Detections {

    static final String SEVERITY = "warning";
    /** Below this a unit is standing still or crawling: its ETA assumes its type's usual speed instead. */
    private static final double MOVING_MPS = 1.0;

    private final Vertx vertx;
    private final Pool pool;
    private final Sharing sharing;
    private final Config config;

    public Detections(Vertx vertx, Pool pool, Sharing sharing, Config config) {
        this.vertx = vertx;
        this.pool = pool;
        this.sharing = sharing;
        this.config = config;
    }

    /**
     * Stores {@code detection} reported by {@code who}: the sensor's own key, or an operator (or above) who sees the
     * sensor. Completes with {@code {"id","alertId"}} once durable; a repeat of a stored detection completes the same.
     */
    public Future<JsonObject> store(Principal who, Detection detection) {
        boolean device = who.role() == Role.DEVICE;
        if (device && !detection.sensorId().equals(who.unitId())) {
            return Future.failedFuture(ApiException.forbidden("a sensor reports only its own detections"));
        }
        if (!device && (!who.role().includes(Role.OPERATOR)
                || !sharing.visibility(who).seesUnit(detection.sensorId()))) {
            return Future.failedFuture(!who.role().includes(Role.OPERATOR)
                    ? ApiException.forbidden("reporting a detection takes an operator or the sensor's key")
                    : ApiException.notFound("unit " + detection.sensorId()));
        }
        return pool.withTransaction(conn -> conn.query(DispatchSql.LOCK_INCIDENTS).execute()
                        .compose(v -> conn.preparedQuery(DispatchSql.PLACE).execute(Tuple.tuple()
                                .addString(detection.sensorId())
                                .addOffsetDateTime(detection.time().atOffset(ZoneOffset.UTC))
                                .addDouble(detection.lat()).addDouble(detection.lon())
                                .addDouble(detection.bearing()).addDouble(detection.rangeMeters())
                                .addInteger(config.incidentSeconds()).addInteger(config.incidentMeters())))
                        .compose(rows -> {
                            Row sensor = rows.size() == 0 ? null : rows.iterator().next();
                            if (sensor == null) {
                                throw ApiException.notFound("unit " + detection.sensorId());
                            }
                            if (!"sensor".equals(sensor.getString("type"))) {
                                throw ApiException.badRequest("unit " + detection.sensorId() + " is a "
                                        + sensor.getString("type") + ", not a sensor", "sensorId");
                            }
                            if (sensor.getDouble("lat") == null) {
                                throw ApiException.badRequest("sensor " + detection.sensorId()
                                        + " has no known position: give lat and lon", "lat");
                            }
                            return insert(conn, detection, sensor);
                        }))
                .onSuccess(this::announce)
                .map(Stored::reply);
    }

    /** What one stored detection changed, to be announced once committed; nothing for a repeat. */
    private record Stored(JsonObject detection, JsonObject alert, boolean raised, boolean repeat) {
        JsonObject reply() {
            return new JsonObject().put("id", detection.getString("id"))
                    .put("alertId", detection.getString("alertId"));
        }
    }

    private Future<Stored> insert(SqlConnection conn, Detection detection, Row sensor) {
        double lat = sensor.getDouble("lat");
        double lon = sensor.getDouble("lon");
        Tuple key = Tuple.of(detection.sensorId(), detection.time().atOffset(ZoneOffset.UTC), detection.kind());
        return conn.preparedQuery(DispatchSql.INSERT_DETECTION).execute(Tuple.tuple()
                        .addString(detection.sensorId())
                        .addOffsetDateTime(detection.time().atOffset(ZoneOffset.UTC))
                        .addString(detection.kind()).addDouble(lat).addDouble(lon)
                        .addDouble(detection.bearing()).addDouble(detection.rangeMeters())
                        .addDouble(detection.confidence())
                        .addValue(detection.attributes()))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        // Already stored: the same answer as the first time, nothing raised again.
                        return conn.preparedQuery(DispatchSql.SELECT_DETECTION).execute(key).map(existing -> {
                            Row row = existing.iterator().next();
                            return new Stored(wire(detection, row.getString("id"), row.getString("alert_id"),
                                    row.getDouble("lat"), row.getDouble("lon")), null, false, true);
                        });
                    }
                    String id = rows.iterator().next().getString("id");
                    String incident = sensor.getString("incident");
                    return nearest(conn, lat, lon, sensor.getString("agency"))
                            .compose(nearest -> incident != null
                                    ? conn.preparedQuery(DispatchSql.GROW)
                                        .execute(Tuple.of(incident, lat, lon, nearest))
                                    : conn.preparedQuery(DispatchSql.RAISE).execute(Tuple.tuple()
                                        .addString(detection.sensorId()).addString(SEVERITY)
                                        .addOffsetDateTime(detection.time().atOffset(ZoneOffset.UTC))
                                        .addDouble(lat).addDouble(lon).addValue(nearest)))
                            .compose(alerts -> {
                                JsonObject alert = alerts.size() == 0 ? null
                                        : Alerts.fromRow(alerts.iterator().next());
                                String alertId = alert == null ? null : alert.getString("id");
                                Stored stored = new Stored(wire(detection, id, alertId, lat, lon), alert,
                                        incident == null, false);
                                return alertId == null ? Future.succeededFuture(stored)
                                        : conn.preparedQuery(DispatchSql.LINK_DETECTION)
                                            .execute(Tuple.of(id, alertId)).map(stored);
                            });
                });
    }

    /** The nearest live patrol units agency {@code agency} may see, with distance and ETA (API.md §10). */
    private Future<JsonArray> nearest(SqlConnection conn, double lat, double lon, String agency) {
        return conn.preparedQuery(DispatchSql.NEAREST)
                .execute(Tuple.of(lat, lon, agency, config.staleSeconds()))
                .map(rows -> {
                    JsonArray nearest = new JsonArray();
                    for (Row row : rows) {
                        double meters = row.getDouble("meters");
                        nearest.add(new JsonObject().put("unitId", row.getString("unit_id"))
                                .put("distanceMeters", Math.round(meters))
                                .put("etaSeconds", eta(meters, row.getDouble("speed"), row.getString("type"),
                                        config.etaKmh())));
                    }
                    return nearest;
                });
    }

    /** Seconds to cover {@code meters} at the unit's reported speed, or its type's usual speed if it barely moves. */
    static long eta(double meters, Double speedMps, String type, Map<String, Double> kmhByType) {
        double mps = speedMps != null && speedMps >= MOVING_MPS ? speedMps
                : kmhByType.getOrDefault(type, 30.0) / 3.6;
        return Math.round(meters / mps);
    }

    private static JsonObject wire(Detection detection, String id, String alertId, double lat, double lon) {
        return new JsonObject().put("id", id).put("sensorId", detection.sensorId())
                .put("time", Times.format(detection.time())).put("kind", detection.kind())
                .put("lat", lat).put("lon", lon).put("bearing", detection.bearing())
                .put("rangeMeters", detection.rangeMeters()).put("confidence", detection.confidence())
                .put("alertId", alertId);
    }

    /** After the commit: maps see the detection; a new incident is an alert, a grown one an update. */
    private void announce(Stored stored) {
        if (stored.repeat()) {
            return; // announced the first time
        }
        vertx.eventBus().publish(Addresses.DETECTIONS, stored.detection());
        if (stored.alert() != null) {
            vertx.eventBus().publish(stored.raised() ? Addresses.ALERTS : Addresses.ALERT_UPDATED, stored.alert());
        }
    }
}
