package org.borderwatch.track;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import net.postgis.jdbc.geometry.Point;
import net.postgis.jdbc.geometry.binary.BinaryWriter;
import org.borderwatch.Times;
import org.borderwatch.alert.Alerts;
import org.borderwatch.bus.Addresses;
import org.borderwatch.config.Config;
import org.borderwatch.db.Database;
import org.borderwatch.geofence.Crossing;
import org.borderwatch.geofence.Crossings;
import org.borderwatch.geofence.Geofence;
import org.borderwatch.geofence.GeofenceStore;
import org.borderwatch.geofence.UnitFences;
import org.borderwatch.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The durable write path. Requests queue here (bounded: a full queue answers 503); while one group commit is in
 * flight the next one gathers, so under load a single transaction carries thousands of positions from many
 * requests. A request is acknowledged only after its transaction committed. The per-unit geofence state lives here,
 * mirrors the database, and changes only with the commit that persisted it.
 */
public final class TrackVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(TrackVerticle.class);
    /** A reply code a requester maps to 503 + Retry-After. */
    public static final int OVERLOADED = 503;

    private final Database database;
    private final UnitRegistry units;
    private final int batchMax;
    private final int queueMax;
    private final boolean geofencesEnabled;
    private final LongAdder storedCounter;
    private final LongAdder batchCounter;
    private final LongAdder alertCounter;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Map<String, UnitFences> state = new HashMap<>();
    private final Map<String, Geofence> fences = new HashMap<>();
    private final Set<String> dirty = new HashSet<>();
    private final BinaryWriter wkb = new BinaryWriter();
    private Pool pool;
    private int queued;
    private boolean flushing;

    private record Pending(List<Position> positions, Message<PositionBatch> message) {
    }

    public TrackVerticle(Database database, UnitRegistry units, Config config, Metrics metrics) {
        this.database = database;
        this.units = units;
        this.batchMax = config.batchMaxPositions();
        this.queueMax = config.queueMaxPositions();
        this.geofencesEnabled = config.geofencesEnabled();
        this.storedCounter = metrics.counter("bw_positions_committed_total", "Positions committed to PostGIS");
        this.batchCounter = metrics.counter("bw_batches_committed_total", "Group commits");
        this.alertCounter = metrics.counter("bw_alerts_total", "Alerts raised");
        metrics.gauge("bw_ingest_queue_positions", "Positions waiting for a commit", () -> queued);
    }

    @Override
    public Future<?> start() {
        pool = database.pool(vertx, 2);
        vertx.eventBus().<JsonObject>consumer(Addresses.GEOFENCE_CHANGED, msg -> onFenceChange(msg.body()));
        return GeofenceStore.loadRules(pool)
                .onSuccess(all -> all.forEach(f -> fences.put(f.id(), f)))
                .compose(v -> loadState(null))
                .compose(v -> vertx.eventBus().<PositionBatch>localConsumer(Addresses.TRACK_SUBMIT, this::onSubmit)
                        .completion())
                .onSuccess(v -> LOG.info("track writer ready: {} units with state, {} geofences", state.size(),
                        fences.size()));
    }

    @Override
    public Future<?> stop() {
        return pool.close();
    }

    private void onFenceChange(JsonObject change) {
        if ("delete".equals(change.getString("op"))) {
            fences.remove(change.getString("id"));
        } else {
            Geofence fence = Geofence.fromFeature(change.getJsonObject("feature"));
            fences.put(fence.id(), fence);
        }
    }

    private void onSubmit(Message<PositionBatch> message) {
        List<Position> positions = message.body().positions();
        if (queued + positions.size() > queueMax) {
            message.fail(OVERLOADED, "ingest queue is full, retry shortly");
            return;
        }
        queue.add(new Pending(positions, message));
        queued += positions.size();
        flush();
    }

    private void flush() {
        if (flushing || queue.isEmpty()) {
            return;
        }
        flushing = true;
        List<Pending> taken = new ArrayList<>();
        int count = 0;
        while (!queue.isEmpty() && (taken.isEmpty() || count + queue.peek().positions().size() <= batchMax)) {
            Pending next = queue.poll();
            taken.add(next);
            count += next.positions().size();
        }
        queued -= count;
        reloadDirty()
                .compose(v -> commit(taken))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.error("group commit of {} requests failed; they get 500 and may retry", taken.size(),
                                ar.cause());
                        taken.forEach(p -> p.positions().forEach(pos -> dirty.add(pos.unitId())));
                        taken.forEach(p -> p.message().fail(500, "could not store positions"));
                    }
                    flushing = false;
                    flush();
                });
    }

    /** What one commit decided, applied to memory and announced only once the transaction is durable. */
    private record Outcome(Map<String, UnitFences> staged, Map<String, Position> newest, List<JsonObject> alerts) {
    }

    private Future<Void> commit(List<Pending> taken) {
        List<Position> batch = uniqueInTimeOrder(taken);
        Map<String, UnitFences> staged = new HashMap<>();
        boolean[] newer = new boolean[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Position p = batch.get(i);
            UnitFences unit = staged.computeIfAbsent(p.unitId(), id -> state.getOrDefault(id, UnitFences.empty())
                    .copy());
            newer[i] = unit.isNewer(p.time());
        }
        return pool.withTransaction(conn -> conn.preparedQuery(TrackSql.STORE_AND_CLASSIFY)
                        .execute(storeTuple(batch, newer))
                        .compose(rows -> apply(conn, batch, newer, rows, staged)))
                .map(outcome -> {
                    state.putAll(outcome.staged());
                    taken.forEach(p -> p.message().reply(p.positions().size()));
                    storedCounter.add(batch.size());
                    batchCounter.increment();
                    alertCounter.add(outcome.alerts().size());
                    announce(outcome);
                    return null;
                });
    }

    /**
     * Runs the rule logic over the fixes that were stored now and are newer than their unit's last, in time order
     * per unit, then persists the result in the same transaction.
     */
    private Future<Outcome> apply(SqlConnection conn, List<Position> batch, boolean[] newer, RowSet<Row> stored,
                                  Map<String, UnitFences> staged) {
        Map<Integer, List<String>> insideByIndex = new HashMap<>();
        for (Row row : stored) {
            String[] inside = row.getArrayOfStrings("inside");
            insideByIndex.put(row.getInteger("idx"), inside == null ? List.of() : Arrays.asList(inside));
        }
        Map<String, Position> newest = new LinkedHashMap<>();
        List<Crossing> crossings = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            List<String> inside = insideByIndex.get(i);
            if (inside == null || !newer[i]) {
                continue; // stored before, or older than the unit's newest fix: kept, never applied
            }
            Position fix = batch.get(i);
            newest.put(fix.unitId(), fix);
            if (geofencesEnabled) {
                Unit unit = units.get(fix.unitId());
                crossings.addAll(Crossings.apply(staged.get(fix.unitId()), unit == null ? null : unit.type(), fix,
                        inside, fences));
            } else {
                staged.get(fix.unitId()).advance(fix.time());
            }
        }
        staged.keySet().retainAll(newest.keySet());
        return conn.preparedQuery(TrackSql.APPLY).execute(applyTuple(staged, newest, crossings))
                .map(rows -> {
                    List<JsonObject> alerts = new ArrayList<>();
                    rows.forEach(row -> alerts.add(Alerts.fromRow(row)));
                    return new Outcome(staged, newest, alerts);
                });
    }

    private void announce(Outcome outcome) {
        if (!outcome.newest().isEmpty()) {
            JsonArray live = new JsonArray();
            outcome.newest().values().forEach(p -> live.add(liveUnit(p)));
            vertx.eventBus().publish(Addresses.LIVE_POSITIONS, live);
        }
        outcome.alerts().forEach(alert -> vertx.eventBus().publish(Addresses.ALERTS, alert));
    }

    private JsonObject liveUnit(Position p) {
        Unit unit = units.get(p.unitId());
        return new JsonObject()
                .put("id", p.unitId())
                .put("type", unit == null ? null : unit.type())
                .put("lat", p.lat())
                .put("lon", p.lon())
                .put("time", Times.format(p.time()))
                .put("speed", p.speed())
                .put("heading", p.heading());
    }

    private static List<Position> uniqueInTimeOrder(List<Pending> taken) {
        Map<String, Position> unique = new LinkedHashMap<>();
        for (Pending pending : taken) {
            for (Position p : pending.positions()) {
                unique.putIfAbsent(p.unitId() + '\u0000' + p.time(), p);
            }
        }
        List<Position> batch = new ArrayList<>(unique.values());
        batch.sort(Comparator.comparing(Position::unitId).thenComparing(Position::time));
        return batch;
    }

    private Tuple storeTuple(List<Position> batch, boolean[] newer) {
        int n = batch.size();
        Integer[] idx = new Integer[n];
        String[] unitIds = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Buffer[] geoms = new Buffer[n];
        Double[] alt = new Double[n];
        Double[] speed = new Double[n];
        Double[] heading = new Double[n];
        Double[] accuracy = new Double[n];
        Double[] battery = new Double[n];
        String[] attributes = new String[n];
        Boolean[] eval = new Boolean[n];
        for (int i = 0; i < n; i++) {
            Position p = batch.get(i);
            idx[i] = i;
            unitIds[i] = p.unitId();
            times[i] = Times.utc(p.time());
            Point point = new Point(p.lon(), p.lat());
            point.setSrid(4326);
            geoms[i] = Buffer.buffer(wkb.writeBinary(point));
            alt[i] = p.alt();
            speed[i] = p.speed();
            heading[i] = p.heading();
            accuracy[i] = p.accuracy();
            battery[i] = p.battery();
            attributes[i] = p.attributes() == null ? null : p.attributes().encode();
            eval[i] = newer[i] && geofencesEnabled;
        }
        return Tuple.tuple(List.of(idx, unitIds, times, geoms, alt, speed, heading, accuracy, battery, attributes,
                eval));
    }

    private Tuple applyTuple(Map<String, UnitFences> staged, Map<String, Position> newest, List<Crossing> crossings) {
        List<String> goneUnits = new ArrayList<>();
        List<String> goneFences = new ArrayList<>();
        List<String> cameUnits = new ArrayList<>();
        List<String> cameFences = new ArrayList<>();
        List<OffsetDateTime> cameAt = new ArrayList<>();
        staged.forEach((unitId, after) -> {
            Map<String, Instant> before = state.getOrDefault(unitId, UnitFences.empty()).inside();
            before.keySet().stream().filter(f -> !after.inside().containsKey(f)).forEach(f -> {
                goneUnits.add(unitId);
                goneFences.add(f);
            });
            after.inside().forEach((f, at) -> {
                if (!at.equals(before.get(f))) {
                    cameUnits.add(unitId);
                    cameFences.add(f);
                    cameAt.add(Times.utc(at));
                }
            });
        });
        int n = newest.size();
        String[] ids = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Double[] lat = new Double[n];
        Double[] lon = new Double[n];
        Double[] speed = new Double[n];
        Double[] heading = new Double[n];
        int i = 0;
        for (Position p : newest.values()) {
            ids[i] = p.unitId();
            times[i] = Times.utc(p.time());
            lat[i] = p.lat();
            lon[i] = p.lon();
            speed[i] = p.speed();
            heading[i] = p.heading();
            i++;
        }
        int m = crossings.size();
        String[] types = new String[m];
        String[] alertUnits = new String[m];
        String[] alertFences = new String[m];
        String[] fenceNames = new String[m];
        String[] severities = new String[m];
        OffsetDateTime[] alertTimes = new OffsetDateTime[m];
        Double[] alertLat = new Double[m];
        Double[] alertLon = new Double[m];
        for (int j = 0; j < m; j++) {
            Crossing c = crossings.get(j);
            types[j] = c.type();
            alertUnits[j] = c.position().unitId();
            alertFences[j] = c.fence().id();
            fenceNames[j] = c.fence().name();
            severities[j] = c.fence().severity();
            alertTimes[j] = Times.utc(c.position().time());
            alertLat[j] = c.position().lat();
            alertLon[j] = c.position().lon();
        }
        return Tuple.tuple(List.of(
                goneUnits.toArray(String[]::new), goneFences.toArray(String[]::new),
                cameUnits.toArray(String[]::new), cameFences.toArray(String[]::new),
                cameAt.toArray(OffsetDateTime[]::new),
                ids, times, lat, lon, speed, heading,
                types, alertUnits, alertFences, fenceNames, severities, alertTimes, alertLat, alertLon));
    }

    /** After a failed commit nobody knows what the database holds for those units until it is read back. */
    private Future<Void> reloadDirty() {
        if (dirty.isEmpty()) {
            return Future.succeededFuture();
        }
        String[] ids = dirty.toArray(String[]::new);
        return loadState(ids).onSuccess(v -> dirty.clear());
    }

    private Future<Void> loadState(String[] only) {
        Future<RowSet<Row>> unitRows = only == null
                ? pool.query(TrackSql.LOAD_UNIT_STATE).execute()
                : pool.preparedQuery(TrackSql.LOAD_UNIT_STATE_FOR).execute(Tuple.of(only));
        Future<RowSet<Row>> fenceRows = only == null
                ? pool.query(TrackSql.LOAD_FENCE_STATE).execute()
                : pool.preparedQuery(TrackSql.LOAD_FENCE_STATE_FOR).execute(Tuple.of(only));
        return Future.all(unitRows, fenceRows).map(all -> {
            Map<String, Instant> lastTimes = new HashMap<>();
            Map<String, Map<String, Instant>> inside = new HashMap<>();
            unitRows.result().forEach(r -> lastTimes.put(r.getString("unit_id"),
                    r.getOffsetDateTime("time").toInstant()));
            fenceRows.result().forEach(r -> inside.computeIfAbsent(r.getString("unit_id"), k -> new HashMap<>())
                    .put(r.getString("geofence_id"), r.getOffsetDateTime("entered_at").toInstant()));
            if (only != null) {
                Arrays.stream(only).forEach(state::remove);
            }
            lastTimes.forEach((unit, time) ->
                    state.put(unit, new UnitFences(time, inside.getOrDefault(unit, Map.of()))));
            return null;
        });
    }
}
