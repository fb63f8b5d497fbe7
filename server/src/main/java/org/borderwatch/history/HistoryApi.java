package org.borderwatch.history;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.Times;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.Role;
import org.borderwatch.auth.Sharing;
import org.borderwatch.auth.Visibility;
import org.borderwatch.config.Config;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.Responses;
import org.borderwatch.ops.LogLimit;
import org.borderwatch.track.UnitRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code /api/v1/history} (API.md §11), for every signed-in user, each seeing only the units its agency may see
 * (API.md §9): an unseen unit named in a request is 404, unseen units' fixes are left out of zone queries and
 * replays. Every request names its time window, at most {@code BW_HISTORY_MAX_DAYS} long. Large answers stream from
 * a cursor ({@link CursorStream}).
 */
public final class HistoryApi {

    /** Most units one track request may name. */
    static final int MAX_UNITS = 100;
    static final double MAX_SIMPLIFY_METERS = 10_000;
    static final double DEFAULT_STOP_SPEED = 1.0;
    static final int DEFAULT_STOP_SECONDS = 300;
    static final int MAX_ZONE_VERTICES = 10_000;
    /**
     * A replay reads this much time per query: 2,000 units at one fix per 24 s make 25,000 fixes, which PostgreSQL
     * sorts in memory (the stream raises work_mem for its transaction: 3.4 MB spilled to disk at the default 4 MB).
     */
    static final Duration REPLAY_SLICE = Duration.ofMinutes(5);

    private final Pool pool;
    private final UnitRegistry registry;
    private final Sharing sharing;
    private final int maxDays;
    private final double gapSeconds;

    public HistoryApi(Pool pool, UnitRegistry registry, Sharing sharing, Config config) {
        this.pool = pool;
        this.registry = registry;
        this.sharing = sharing;
        this.maxDays = config.historyMaxDays();
        this.gapSeconds = config.trackGapSeconds();
    }

    public void mount(Router router) {
        router.get("/api/v1/history/tracks").handler(AuthApi.require(Role.VIEWER)).handler(this::tracks);
        router.post("/api/v1/history/within").handler(AuthApi.require(Role.VIEWER)).handler(this::within);
        router.get("/api/v1/history/replay").handler(AuthApi.require(Role.VIEWER)).handler(this::replay);
        router.get("/api/v1/history/trips").handler(AuthApi.require(Role.VIEWER)).handler(ctx -> motion(ctx, true));
        router.get("/api/v1/history/stops").handler(AuthApi.require(Role.VIEWER)).handler(ctx -> motion(ctx, false));
    }

    /** Tracks of the named units, simplified on request, split at silences, in the format asked for. */
    private void tracks(RoutingContext ctx) {
        Window window = Window.of(ctx.request().getParam("from"), ctx.request().getParam("to"), maxDays);
        List<String> ids = unitIds(ctx.request().getParam("unitIds"));
        double simplify = number(ctx.request().getParam("simplify"), "simplify", 0, 0, MAX_SIMPLIFY_METERS);
        Format format = Format.of(ctx);
        Visibility visibility = sharing.visibility(AuthApi.principal(ctx));
        visible(ids, visibility).onSuccess(v -> {
            Tuple params = Tuple.of(visibility.agency(), ids.toArray(String[]::new), Times.utc(window.from()),
                    Times.utc(window.to()), gapSeconds);
            if (simplify > 0) {
                params.addDouble(simplify);
            }
            String sql = HistorySql.vertices(HistorySql.TRACK_SOURCE, simplify > 0, geoJson(format));
            CursorStream.send(ctx, pool, sql, params, writer(format, ids), attachment("tracks", window, format));
        }).onFailure(e -> Responses.fail(ctx, e));
    }

    /** Which units were inside a zone; in an export format, their fixes inside it as tracks. */
    private void within(RoutingContext ctx) {
        JsonObject body = AuthApi.jsonBody(ctx);
        Window window = Window.of(body.getValue("from"), body.getValue("to"), maxDays);
        String zone = zone(body.getValue("geometry"));
        Format format = Format.of(ctx);
        String viewer = sharing.visibility(AuthApi.principal(ctx)).agency();
        Tuple params = Tuple.of(viewer, zone, Times.utc(window.from()), Times.utc(window.to()));
        Future<Void> checked = inspect(zone);
        if (format == Format.JSON) {
            Responses.reply(ctx, 200, checked.compose(v -> pool.preparedQuery(HistorySql.WITHIN).execute(params))
                    .map(rows -> {
                        JsonArray units = new JsonArray();
                        for (Row row : rows) {
                            units.add(new JsonObject().put("unitId", row.getString("unit_id"))
                                    .put("first", Times.format(row.getOffsetDateTime("first")))
                                    .put("last", Times.format(row.getOffsetDateTime("last")))
                                    .put("fixes", row.getLong("fixes")));
                        }
                        return units;
                    }));
            return;
        }
        String sql = HistorySql.vertices(HistorySql.ZONE_SOURCE, false, geoJson(format));
        checked.onSuccess(v -> CursorStream.send(ctx, pool, sql, params.addDouble(gapSeconds),
                        writer(format, List.of()), attachment("zone", window, format)))
                .onFailure(e -> Responses.fail(ctx, e));
    }

    /**
     * Every fix the viewer may see in the window (and box), in time order, as NDJSON; read in slices of
     * {@link #REPLAY_SLICE}, so a month's replay is never one sort of a month's rows and its first line leaves as
     * soon as the first slice is sorted.
     */
    private void replay(RoutingContext ctx) {
        Window window = Window.of(ctx.request().getParam("from"), ctx.request().getParam("to"), maxDays);
        double[] box = bbox(ctx.request().getParam("bbox"));
        String viewer = sharing.visibility(AuthApi.principal(ctx)).agency();
        List<Tuple> slices = new ArrayList<>();
        // Slices are half-open; the window is inclusive, so the last ends a microsecond (PostgreSQL's step) after it.
        Instant end = window.to().plusNanos(1000);
        for (Instant from = window.from(); from.isBefore(end); from = from.plus(REPLAY_SLICE)) {
            Instant to = from.plus(REPLAY_SLICE).isBefore(end) ? from.plus(REPLAY_SLICE) : end;
            Tuple slice = Tuple.of(viewer, Times.utc(from), Times.utc(to));
            if (box != null) {
                slice.addDouble(box[0]).addDouble(box[1]).addDouble(box[2]).addDouble(box[3]);
            }
            slices.add(slice);
        }
        CursorStream.send(ctx, pool, box == null ? HistorySql.REPLAY_ALL : HistorySql.REPLAY_BOX, slices,
                new ReplayWriter(), null);
    }

    /** Trips ({@code trips}) or stops of one unit, read through a cursor, as a JSON array. */
    private void motion(RoutingContext ctx, boolean trips) {
        String unitId = ctx.request().getParam("unitId");
        if (unitId == null || unitId.isBlank()) {
            throw ApiException.badRequest("unitId is required", "unitId");
        }
        Window window = Window.of(ctx.request().getParam("from"), ctx.request().getParam("to"), maxDays);
        double stopSpeed = number(ctx.request().getParam("stopSpeed"), "stopSpeed", DEFAULT_STOP_SPEED, 0, 100);
        double stopSeconds = number(ctx.request().getParam("stopSeconds"), "stopSeconds", DEFAULT_STOP_SECONDS, 1,
                86_400);
        Motion motion = new Motion(stopSpeed, (long) stopSeconds, (long) gapSeconds);
        Visibility visibility = sharing.visibility(AuthApi.principal(ctx));
        Responses.reply(ctx, 200, visible(List.of(unitId), visibility)
                .compose(v -> pool.withTransaction(conn -> conn.prepare(HistorySql.MOTION).compose(statement -> {
                    Promise<Void> read = Promise.promise();
                    RowStream<Row> rows = statement.createStream(CursorStream.FETCH,
                            Tuple.of(unitId, Times.utc(window.from()), Times.utc(window.to())));
                    rows.exceptionHandler(read::tryFail);
                    rows.endHandler(end -> read.tryComplete());
                    rows.handler(row -> motion.accept(new Motion.Fix(row.getOffsetDateTime("time").toInstant(),
                            row.getDouble("lat"), row.getDouble("lon"), row.getDouble("speed"))));
                    return read.future().eventually(rows::close);
                })))
                .map(v -> {
                    motion.finish();
                    JsonArray answer = new JsonArray();
                    if (trips) {
                        motion.trips().forEach(trip -> answer.add(trip(unitId, trip)));
                    } else {
                        motion.stops().forEach(stop -> answer.add(stop(unitId, stop)));
                    }
                    return answer;
                }));
    }

    private static JsonObject trip(String unitId, Motion.Trip trip) {
        double seconds = (trip.end().toEpochMilli() - trip.start().toEpochMilli()) / 1000.0;
        return new JsonObject().put("unitId", unitId)
                .put("start", Times.format(trip.start()))
                .put("end", Times.format(trip.end()))
                .put("durationSeconds", seconds)
                .put("distanceMeters", round(trip.distanceMeters()))
                .put("maxSpeed", round(trip.maxSpeed()))
                .put("averageSpeed", seconds > 0 ? round(trip.distanceMeters() / seconds) : 0.0)
                .put("startLat", trip.from().lat()).put("startLon", trip.from().lon())
                .put("endLat", trip.to().lat()).put("endLon", trip.to().lon())
                .put("fixes", trip.fixes());
    }

    private static JsonObject stop(String unitId, Motion.Stop stop) {
        return new JsonObject().put("unitId", unitId)
                .put("start", Times.format(stop.start()))
                .put("end", Times.format(stop.end()))
                .put("durationSeconds", (stop.end().toEpochMilli() - stop.start().toEpochMilli()) / 1000.0)
                .put("lat", stop.lat()).put("lon", stop.lon())
                .put("fixes", stop.fixes());
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** Fails with 404 for the first unit that does not exist or that the viewer may not see (API.md §9). */
    private Future<Void> visible(List<String> ids, Visibility visibility) {
        List<Future<?>> found = new ArrayList<>();
        for (String id : ids) {
            found.add(registry.find(id).map(unit -> {
                if (unit == null || !visibility.seesUnit(id)) {
                    throw ApiException.notFound("unit " + LogLimit.clip(id));
                }
                return unit;
            }));
        }
        return Future.all(found).mapEmpty();
    }

    /** The requested unit ids, distinct and in the order the query sorts units (code points). */
    private static List<String> unitIds(String param) {
        if (param == null || param.isBlank()) {
            throw ApiException.badRequest("unitIds is required: unit ids separated by commas", "unitIds");
        }
        TreeSet<String> ids = new TreeSet<>();
        for (String id : param.split(",")) {
            if (id.isBlank()) {
                throw ApiException.badRequest("unitIds has an empty id", "unitIds");
            }
            ids.add(id.trim());
        }
        if (ids.size() > MAX_UNITS) {
            throw ApiException.badRequest("unitIds may name at most " + MAX_UNITS + " units", "unitIds");
        }
        return List.copyOf(ids);
    }

    private static double number(String param, String field, double fallback, double min, double max) {
        if (param == null || param.isBlank()) {
            return fallback;
        }
        double value;
        try {
            value = Double.parseDouble(param.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(field + " must be a number", field);
        }
        if (!(value >= min && value <= max)) {
            throw ApiException.badRequest(field + " must be from " + Text.plain(min) + " to " + Text.plain(max),
                    field);
        }
        return value;
    }

    /** {@code west,south,east,north} in degrees; west greater than east crosses the antimeridian. */
    private static double[] bbox(String param) {
        if (param == null || param.isBlank()) {
            return null;
        }
        String[] parts = param.split(",");
        if (parts.length != 4) {
            throw ApiException.badRequest("bbox must be west,south,east,north in degrees", "bbox");
        }
        double[] box = new double[4];
        for (int i = 0; i < 4; i++) {
            box[i] = number(parts[i], "bbox", 0, i % 2 == 0 ? -180 : -90, i % 2 == 0 ? 180 : 90);
        }
        if (box[1] > box[3]) {
            throw ApiException.badRequest("bbox south must not be north of north", "bbox");
        }
        return box;
    }

    /** The zone as GeoJSON text: a Polygon or MultiPolygon object. PostGIS judges the rest ({@link #inspect}). */
    private static String zone(Object geometry) {
        if (!(geometry instanceof JsonObject object)) {
            throw ApiException.badRequest("geometry is required: a GeoJSON Polygon or MultiPolygon", "geometry");
        }
        Object type = object.getValue("type");
        if (!"Polygon".equals(type) && !"MultiPolygon".equals(type)) {
            throw ApiException.badRequest("geometry must be a GeoJSON Polygon or MultiPolygon", "geometry");
        }
        if (!(object.getValue("coordinates") instanceof JsonArray)) {
            throw ApiException.badRequest("geometry needs coordinates", "geometry");
        }
        return object.encode();
    }

    /** Rejects a zone PostGIS cannot read, finds invalid or empty, or that lies outside WGS 84, with the reason. */
    private Future<Void> inspect(String zone) {
        return pool.preparedQuery(HistorySql.INSPECT_ZONE).execute(Tuple.of(zone))
                .recover(e -> Future.failedFuture(e instanceof PgException pg
                        ? ApiException.badRequest("geometry rejected by PostGIS: "
                                + LogLimit.clip(pg.getErrorMessage()), "geometry")
                        : e))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getBoolean("empty")) {
                        throw ApiException.badRequest("geometry has no coordinates", "geometry");
                    }
                    if (!row.getBoolean("valid")) {
                        throw ApiException.badRequest("invalid geometry: " + row.getString("reason"), "geometry");
                    }
                    if (row.getInteger("points") > MAX_ZONE_VERTICES) {
                        throw ApiException.badRequest("geometry has more than " + MAX_ZONE_VERTICES + " vertices",
                                "geometry");
                    }
                    if (row.getDouble("xmin") < -180 || row.getDouble("xmax") > 180 || row.getDouble("ymin") < -90
                            || row.getDouble("ymax") > 90) {
                        throw ApiException.badRequest("coordinates must be longitude, latitude in WGS 84",
                                "geometry");
                    }
                    return null;
                });
    }

    private static boolean geoJson(Format format) {
        return format == Format.JSON || format == Format.GEOJSON;
    }

    private RowWriter writer(Format format, List<String> requested) {
        return switch (format) {
            case JSON, GEOJSON -> new GeoJsonWriter(registry::get, requested, format.mediaType());
            case GPX -> new GpxWriter(registry::get);
            case KML -> new KmlWriter(registry::get);
            case CSV -> new CsvWriter();
        };
    }

    /** File formats are offered for saving; JSON answers are not. */
    private static String attachment(String what, Window window, Format format) {
        return geoJson(format) ? null : "borderwatch-" + what + "-" + window.fileStem() + "." + format.extension();
    }
}
