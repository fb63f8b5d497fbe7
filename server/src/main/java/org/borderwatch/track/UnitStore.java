package org.borderwatch.track;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.Times;
import org.borderwatch.auth.Secrets;
import org.borderwatch.auth.Sessions;
import org.borderwatch.bus.Addresses;

import java.time.Instant;
import java.time.OffsetDateTime;

/** Units in the database: creation with a one-time device key, last-known positions, tracks. */
public final class UnitStore {

    /** Most vertices one track request returns. */
    static final int TRACK_LIMIT = 100_000;

    private final Vertx vertx;
    private final Pool pool;
    private final UnitRegistry registry;
    private final int staleSeconds;

    public UnitStore(Vertx vertx, Pool pool, UnitRegistry registry, int staleSeconds) {
        this.vertx = vertx;
        this.pool = pool;
        this.registry = registry;
        this.staleSeconds = staleSeconds;
    }

    /** Creates a unit and returns it with its device key, the only time the key is ever shown. */
    public Future<JsonObject> create(String id, String name, String type, String agency) {
        return save(UnitSql.INSERT, id, name, type, agency);
    }

    /** Creates the unit or replaces its key: for units whose devices this server runs itself (the simulator). */
    public Future<JsonObject> createOrRekey(String id, String name, String type, String agency) {
        return save(UnitSql.UPSERT_KEY, id, name, type, agency);
    }

    private Future<JsonObject> save(String sql, String id, String name, String type, String agency) {
        String key = Secrets.newDeviceKey();
        Unit unit = new Unit(id, name, type, Secrets.sha256(key), agency);
        return pool.preparedQuery(sql).execute(Tuple.of(id, name, type, unit.deviceKeyHash(), agency)).map(v -> {
            registry.put(unit);
            vertx.eventBus().publish(Addresses.UNIT_CHANGED, unit.toBusJson());
            return unit.toJson().put("deviceKey", key);
        });
    }

    /**
     * Gives the unit a new device key when agency {@code admin} administers it (null: root), and returns the key, the
     * only time it is shown, or null when there is no such unit of that agency. The old key is forgotten here and on
     * every node, and every open connection that signed in with it is closed.
     */
    public Future<String> rotateKey(String id, String admin) {
        String key = Secrets.newDeviceKey();
        return pool.preparedQuery(UnitSql.ROTATE_KEY).execute(Tuple.of(id, Secrets.sha256(key), admin)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            Unit unit = UnitRegistry.unit(row);
            String oldHash = row.getString("old_hash");
            registry.retire(oldHash);
            registry.put(unit);
            vertx.eventBus().publish(Addresses.UNIT_CHANGED, unit.toBusJson().put("retiredKeyHash", oldHash));
            vertx.eventBus().publish(Addresses.REVOKED, Sessions.deviceRevoked(id));
            return key;
        });
    }

    /** Every unit's last-known position as a GeoJSON FeatureCollection. */
    public Future<JsonObject> lastKnown() {
        return lastKnown(null);
    }

    /** The last-known positions of the units agency {@code viewer} may see. */
    public Future<JsonObject> lastKnown(String viewer) {
        return pool.preparedQuery(UnitSql.LAST_KNOWN).execute(Tuple.of(viewer)).map(rows -> {
            Instant now = Instant.now();
            JsonArray features = new JsonArray();
            for (Row row : rows) {
                Instant time = row.getOffsetDateTime("time").toInstant();
                features.add(new JsonObject()
                        .put("type", "Feature")
                        .put("id", row.getString("id"))
                        .put("geometry", point(row.getDouble("lon"), row.getDouble("lat")))
                        .put("properties", new JsonObject()
                                .put("id", row.getString("id"))
                                .put("name", row.getString("name"))
                                .put("type", row.getString("type"))
                                .put("agency", row.getString("agency"))
                                .put("time", Times.format(time))
                                .put("speed", row.getDouble("speed"))
                                .put("heading", row.getDouble("heading"))
                                .put("alt", row.getDouble("alt"))
                                .put("accuracy", row.getDouble("accuracy"))
                                .put("battery", row.getDouble("battery"))
                                .put("attributes", attributes(row))
                                .put("status", UnitStatus.of(time, now, staleSeconds).wireName())
                                .put("sensor", sensor(row.getValue("properties")))));
            }
            return new JsonObject().put("type", "FeatureCollection").put("features", features);
        });
    }

    /**
     * Renames the unit and/or replaces its properties ({@code properties} null: unchanged) when agency {@code admin}
     * administers it (null: root); the unit as the API shows it, or null when there is no such unit of that agency.
     */
    public Future<JsonObject> update(String id, String name, boolean setProperties, JsonObject properties,
                                     String admin) {
        return pool.preparedQuery(UnitSql.UPDATE)
                .execute(Tuple.of(id, name, setProperties, properties, admin))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    Unit unit = UnitRegistry.unit(row);
                    registry.put(unit);
                    vertx.eventBus().publish(Addresses.UNIT_CHANGED, unit.toBusJson());
                    Object stored = row.getValue("properties");
                    return unit.toJson().put("properties", stored instanceof JsonObject json ? json : null);
                });
    }

    /** A unit's {@code properties.sensor} (API.md §10), or null. */
    private static JsonObject sensor(Object properties) {
        return properties instanceof JsonObject json ? json.getJsonObject("sensor") : null;
    }

    /**
     * The unit's positions between {@code from} and {@code to} as one LineString: {@code times} has one entry per
     * vertex, and each other per-fix field an array in step with it, null where a fix had no value.
     */
    public Future<JsonObject> track(String unitId, Instant from, Instant to) {
        return pool.preparedQuery(UnitSql.TRACK)
                .execute(Tuple.of(unitId, Times.utc(from), Times.utc(to), TRACK_LIMIT))
                .map(rows -> {
                    JsonArray coordinates = new JsonArray();
                    JsonObject properties = new JsonObject().put("unitId", unitId);
                    JsonArray times = array(properties, "times");
                    JsonArray speeds = array(properties, "speeds");
                    JsonArray headings = array(properties, "headings");
                    JsonArray alts = array(properties, "alts");
                    JsonArray accuracies = array(properties, "accuracies");
                    JsonArray batteries = array(properties, "batteries");
                    JsonArray attributes = array(properties, "attributes");
                    for (Row row : rows) {
                        coordinates.add(new JsonArray().add(row.getDouble("lon")).add(row.getDouble("lat")));
                        OffsetDateTime time = row.getOffsetDateTime("time");
                        times.add(Times.format(time));
                        speeds.add(row.getDouble("speed"));
                        headings.add(row.getDouble("heading"));
                        alts.add(row.getDouble("alt"));
                        accuracies.add(row.getDouble("accuracy"));
                        batteries.add(row.getDouble("battery"));
                        attributes.add(attributes(row));
                    }
                    return new JsonObject()
                            .put("type", "Feature")
                            .put("id", unitId)
                            .put("geometry", new JsonObject().put("type", "LineString").put("coordinates", coordinates))
                            .put("properties", properties);
                });
    }

    private static JsonArray array(JsonObject properties, String name) {
        JsonArray array = new JsonArray();
        properties.put(name, array);
        return array;
    }

    /** A fix's attributes as stored (always an object, see PositionParser), or null when it had none. */
    private static JsonObject attributes(Row row) {
        return row.getValue("attributes") instanceof JsonObject attributes ? attributes : null;
    }

    private static JsonObject point(double lon, double lat) {
        return new JsonObject().put("type", "Point").put("coordinates", new JsonArray().add(lon).add(lat));
    }
}
