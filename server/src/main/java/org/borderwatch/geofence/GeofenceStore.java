package org.borderwatch.geofence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.Times;
import org.borderwatch.http.ApiException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Geofences in PostGIS, read and written as GeoJSON Features. */
public final class GeofenceStore {

    /** Ceiling on vertices of one fence: beyond it a single fence would dominate every batch's evaluation. */
    static final int MAX_VERTICES = 100_000;

    private final Pool pool;
    private final double maxAreaSquareKm;

    public GeofenceStore(Pool pool, double maxAreaSquareKm) {
        this.pool = pool;
        this.maxAreaSquareKm = maxAreaSquareKm;
    }

    /**
     * The fences in force and the newest revision of any fence: the version of the geofence set they make up.
     *
     * @param revision newest revision given to a fence, deleted ones included (0 when there never was one)
     */
    public record Rules(List<Geofence> fences, long revision) {
    }

    public static Future<Rules> loadRules(Pool pool) {
        return pool.query(GeofenceSql.SELECT_RULES).execute().map(rows -> {
            List<Geofence> fences = new ArrayList<>();
            long revision = 0;
            for (Row row : rows) {
                revision = row.getLong("latest");
                if (row.getString("id") == null) {
                    continue; // no fence in force: the row carries only the revision
                }
                String[] types = row.getArrayOfStrings("unit_types");
                JsonObject props = new JsonObject()
                        .put("name", row.getString("name"))
                        .put("severity", row.getString("severity"))
                        .put("rules", row.getJsonObject("rules"))
                        .put("unitTypes", types == null ? null : new JsonArray(Arrays.asList((Object[]) types)))
                        .put("marginMeters", row.getDouble("margin_m"))
                        .put("schedule", row.getJson("schedule"))
                        .put("targets", new JsonArray(Arrays.asList((Object[]) row.getArrayOfStrings("targets"))));
                fences.add(Geofence.fromFeature(new JsonObject().put("id", row.getString("id"))
                        .put("properties", props)));
            }
            return new Rules(fences, revision);
        });
    }

    /** Creates a fence of {@code agency}. */
    public Future<JsonObject> create(GeofenceInput input, String agency) {
        return inspect(input)
                .compose(v -> pool.preparedQuery(GeofenceSql.INSERT).execute(tuple(input).addString(agency)
                        .addArrayOfString(input.targets())))
                .compose(rows -> get(rows.iterator().next().getString("id"), agency));
    }

    /** Changes a fence of {@code agency} (any fence for root); another agency's fence is not found. */
    public Future<JsonObject> update(String id, GeofenceInput input, String agency) {
        checkId(id);
        return inspect(input)
                .compose(v -> pool.preparedQuery(GeofenceSql.UPDATE).execute(tuple(input).addString(id)
                        .addString(agency).addArrayOfString(input.targets())))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("geofence " + id);
                    }
                    return get(id, agency);
                });
    }

    /** Deletes a fence of {@code agency} (any for root); the result is the revision its deletion took. */
    public Future<Long> delete(String id, String agency) {
        checkId(id);
        return pool.preparedQuery(GeofenceSql.DELETE).execute(Tuple.of(id, agency)).map(rows -> {
            Row row = rows.iterator().next();
            if (row.getLong("deleted") == 0) {
                throw ApiException.notFound("geofence " + id);
            }
            return row.getLong("revision");
        });
    }

    /** The fence, when agency {@code viewer} may see it. */
    public Future<JsonObject> get(String id, String viewer) {
        checkId(id);
        return pool.preparedQuery(GeofenceSql.SELECT_ONE).execute(Tuple.of(id, viewer)).map(rows -> {
            if (rows.size() == 0) {
                throw ApiException.notFound("geofence " + id);
            }
            return feature(rows.iterator().next());
        });
    }

    /** The fences agency {@code viewer} may see. */
    public Future<JsonObject> list(String viewer) {
        return pool.preparedQuery(GeofenceSql.SELECT_ALL).execute(Tuple.of(viewer)).map(rows -> {
            JsonArray features = new JsonArray();
            rows.forEach(row -> features.add(feature(row)));
            return new JsonObject().put("type", "FeatureCollection").put("features", features);
        });
    }

    /** Rejects what PostGIS finds invalid (with its reason), oversized or outside WGS 84 before anything is stored. */
    private Future<Void> inspect(GeofenceInput input) {
        return pool.preparedQuery(GeofenceSql.INSPECT)
                .execute(Tuple.of(input.geometry(), input.kind(), input.metres()))
                .recover(e -> Future.failedFuture(e instanceof PgException pg
                        ? ApiException.badRequest("geometry rejected by PostGIS: " + pg.getErrorMessage(), "geometry")
                        : e))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    // An empty geometry is valid to PostGIS but has no extent (ST_XMin is NULL) and fences nothing.
                    if (row.getBoolean("empty")) {
                        throw ApiException.badRequest("geometry has no coordinates", "geometry");
                    }
                    if (!row.getBoolean("valid")) {
                        throw ApiException.badRequest("invalid geometry: " + row.getString("reason"), "geometry");
                    }
                    if (row.getInteger("points") > MAX_VERTICES) {
                        throw ApiException.badRequest("geometry has more than " + MAX_VERTICES + " vertices",
                                "geometry");
                    }
                    if (row.getDouble("xmin") < -180 || row.getDouble("xmax") > 180 || row.getDouble("ymin") < -90
                            || row.getDouble("ymax") > 90) {
                        throw ApiException.badRequest("coordinates must be longitude, latitude in WGS 84",
                                "geometry");
                    }
                    if (row.getDouble("area_m2") / 1e6 > maxAreaSquareKm) {
                        throw ApiException.badRequest("geofence area exceeds " + (long) maxAreaSquareKm + " km²",
                                "geometry");
                    }
                    return null;
                });
    }

    private static Tuple tuple(GeofenceInput input) {
        return Tuple.tuple(List.of(input.geometry(), input.kind()))
                .addDouble(input.metres())
                .addString(input.name())
                .addString(input.severity())
                .addJsonObject(input.rules())
                .addArrayOfString(input.unitTypes())
                .addJsonObject(input.properties())
                .addDouble(input.marginMeters())
                .addJsonObject(input.schedule() == null ? null : input.schedule().toJson());
    }

    private static void checkId(String id) {
        ApiException.requireUuid(id, "geofence");
    }

    static JsonObject feature(Row row) {
        String kind = row.getString("kind");
        JsonObject props = ((JsonObject) row.getJson("properties")).copy()
                .put("name", row.getString("name"))
                .put("severity", row.getString("severity"))
                .put("rules", row.getJson("rules"));
        String[] types = row.getArrayOfStrings("unit_types");
        if (types != null) {
            props.put("unitTypes", new JsonArray(Arrays.asList((Object[]) types)));
        }
        if (!"polygon".equals(kind)) {
            props.put("circle".equals(kind) ? "radiusMeters" : "bufferMeters", row.getDouble("radius_m"))
                    .put("sourceGeometry", new JsonObject(row.getString("source")));
        }
        if (row.getDouble("margin_m") > 0) {
            props.put("marginMeters", row.getDouble("margin_m"));
        }
        if (row.getJson("schedule") != null) {
            props.put("schedule", row.getJson("schedule"));
        }
        props.put("targets", new JsonArray(Arrays.asList((Object[]) row.getArrayOfStrings("targets"))));
        props.put("updatedAt", Times.format(row.getOffsetDateTime("updated_at")));
        props.put("revision", row.getLong("revision"));
        props.put("agency", row.getString("agency"));
        return new JsonObject()
                .put("type", "Feature")
                .put("id", row.getString("id"))
                .put("geometry", new JsonObject(row.getString("area")))
                .put("properties", props);
    }
}
