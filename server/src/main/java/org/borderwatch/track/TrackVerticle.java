package org.borderwatch.track;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.Times;
import org.borderwatch.alert.Alerts;
import org.borderwatch.bus.Addresses;
import org.borderwatch.config.Config;
import org.borderwatch.db.Database;
import org.borderwatch.geofence.Crossing;
import org.borderwatch.geofence.Crossings;
import org.borderwatch.geofence.Geofence;
import org.borderwatch.geofence.GeofenceStore;
import org.borderwatch.geofence.Membership;
import org.borderwatch.geofence.UnitFences;
import org.borderwatch.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private final Config config;
    private final LongAdder storedCounter;
    private final LongAdder batchCounter;
    private final LongAdder alertCounter;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final ArrayDeque<String> changedFences = new ArrayDeque<>();
    private final Map<String, UnitFences> state = new HashMap<>();
    private final Map<String, Geofence> fences = new HashMap<>();
    private final Set<String> dirty = new HashSet<>();
    private final BatchTuples tuples = new BatchTuples();
    private Pool pool;
    private int queued;
    private boolean flushing;

    private record Pending(List<Position> positions, Message<PositionBatch> message) {
    }

    /** What one commit decided, applied to memory and announced only once the transaction is durable. */
    private record Outcome(Map<String, UnitFences> staged, Map<String, Position> newest, List<JsonObject> alerts) {
    }

    public TrackVerticle(Database database, UnitRegistry units, Config config, Metrics metrics) {
        this.database = database;
        this.units = units;
        this.config = config;
        this.storedCounter = metrics.counter("bw_positions_committed_total", "Positions committed to PostGIS");
        this.batchCounter = metrics.counter("bw_batches_committed_total", "Group commits");
        this.alertCounter = metrics.counter("bw_geofence_alerts_total", "Enter, exit and dwell alerts raised");
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
            String id = change.getString("id");
            fences.remove(id);
            state.values().forEach(unit -> unit.inside().remove(id));
        } else {
            Geofence fence = Geofence.fromFeature(change.getJsonObject("feature"));
            fences.put(fence.id(), fence);
            changedFences.add(fence.id());
            flush();
        }
    }

    private void onSubmit(Message<PositionBatch> message) {
        List<Position> positions = message.body().positions();
        if (queued + positions.size() > config.queueMaxPositions()) {
            message.fail(OVERLOADED, "ingest queue is full, retry shortly");
            return;
        }
        queue.add(new Pending(positions, message));
        queued += positions.size();
        flush();
    }

    /** Runs the next piece of work — a fence re-baseline, else a group commit — unless one is in flight. */
    private void flush() {
        if (flushing || (queue.isEmpty() && changedFences.isEmpty())) {
            return;
        }
        flushing = true;
        Future<Void> work;
        if (!changedFences.isEmpty()) {
            work = reloadDirty().compose(v -> rebaseline(changedFences.poll()));
        } else {
            List<Pending> taken = take();
            work = reloadDirty().compose(v -> commit(taken)).onFailure(e -> {
                LOG.error("group commit of {} requests failed; they get 500 and may retry", taken.size(), e);
                taken.forEach(p -> p.positions().forEach(pos -> dirty.add(pos.unitId())));
                taken.forEach(p -> p.message().fail(500, "could not store positions"));
            });
        }
        work.onComplete(ar -> {
            flushing = false;
            flush();
        });
    }

    private List<Pending> take() {
        List<Pending> taken = new ArrayList<>();
        int count = 0;
        while (!queue.isEmpty()
                && (taken.isEmpty() || count + queue.peek().positions().size() <= config.batchMaxPositions())) {
            Pending next = queue.poll();
            taken.add(next);
            count += next.positions().size();
        }
        queued -= count;
        return taken;
    }

    private Future<Void> commit(List<Pending> taken) {
        List<Position> batch = uniqueInTimeOrder(taken);
        Map<String, UnitFences> staged = new HashMap<>();
        boolean[] newer = new boolean[batch.size()];
        boolean[] evaluate = new boolean[batch.size()];
        double[] margin = new double[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Position p = batch.get(i);
            UnitFences unit = staged.computeIfAbsent(p.unitId(), id -> state.getOrDefault(id, UnitFences.empty())
                    .copy());
            newer[i] = unit.isNewer(p.time());
            // A fix vaguer than the configured accuracy is kept and shown, but decides no geofence state.
            evaluate[i] = newer[i] && config.geofencesEnabled()
                    && (p.accuracy() == null || p.accuracy() <= config.geofenceMaxAccuracyMeters());
            margin[i] = p.accuracy() == null ? 0 : p.accuracy();
        }
        double reach = fences.values().stream().mapToDouble(Geofence::marginMeters).max().orElse(0);
        return pool.withTransaction(conn -> conn.preparedQuery(TrackSql.STORE_AND_CLASSIFY)
                        .execute(tuples.store(batch, evaluate, margin, reach))
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
        Map<Integer, Row> verdicts = new HashMap<>();
        stored.forEach(row -> verdicts.put(row.getInteger("idx"), row));
        Map<String, Position> newest = new LinkedHashMap<>();
        List<Crossing> crossings = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Row verdict = verdicts.get(i);
            if (verdict == null || !newer[i]) {
                continue; // stored before, or older than the unit's newest fix: kept, never applied
            }
            Position fix = batch.get(i);
            newest.put(fix.unitId(), fix);
            UnitFences unit = staged.get(fix.unitId());
            if (!verdict.getBoolean("evaluated")) {
                unit.advance(fix.time());
                continue;
            }
            Unit known = units.get(fix.unitId());
            crossings.addAll(Crossings.apply(unit, known == null ? null : known.type(), fix,
                    list(verdict.getArrayOfStrings("inside")), list(verdict.getArrayOfStrings("band")), fences));
        }
        staged.keySet().retainAll(newest.keySet());
        return conn.preparedQuery(TrackSql.APPLY).execute(tuples.apply(state, staged, newest, crossings))
                .map(rows -> {
                    List<JsonObject> alerts = new ArrayList<>();
                    rows.forEach(row -> alerts.add(Alerts.fromRow(row)));
                    return new Outcome(staged, newest, alerts);
                });
    }

    private static List<String> list(String[] ids) {
        return ids == null ? List.of() : Arrays.asList(ids);
    }

    /** Re-baselines every unit's membership of a new or edited fence from its last position, raising nothing. */
    private Future<Void> rebaseline(String fenceId) {
        String[] known = state.keySet().toArray(String[]::new);
        return pool.withTransaction(conn -> conn.preparedQuery(TrackSql.CLEAR_FENCE).execute(Tuple.of(fenceId))
                        .compose(v -> conn.preparedQuery(TrackSql.BASELINE_FENCE).execute(Tuple.of(fenceId, (Object) known))))
                .<Void>map(rows -> {
                    state.values().forEach(unit -> unit.inside().remove(fenceId));
                    rows.forEach(row -> state.get(row.getString("unit_id")).inside()
                            .put(fenceId, new Membership(row.getOffsetDateTime("entered_at").toInstant(), false)));
                    return null;
                })
                .recover(e -> {
                    LOG.error("could not re-baseline geofence {}; reloading state", fenceId, e);
                    return loadState(null);
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
                : pool.preparedQuery(TrackSql.LOAD_UNIT_STATE_FOR).execute(Tuple.of((Object) only));
        Future<RowSet<Row>> fenceRows = only == null
                ? pool.query(TrackSql.LOAD_FENCE_STATE).execute()
                : pool.preparedQuery(TrackSql.LOAD_FENCE_STATE_FOR).execute(Tuple.of((Object) only));
        return Future.all(unitRows, fenceRows).map(all -> {
            Map<String, Map<String, Membership>> inside = new HashMap<>();
            fenceRows.result().forEach(r -> inside.computeIfAbsent(r.getString("unit_id"), k -> new HashMap<>())
                    .put(r.getString("geofence_id"), new Membership(r.getOffsetDateTime("entered_at").toInstant(),
                            r.getBoolean("dwell_alerted"))));
            if (only == null) {
                state.clear();
            } else {
                Arrays.stream(only).forEach(state::remove);
            }
            unitRows.result().forEach(r -> state.put(r.getString("unit_id"), new UnitFences(
                    r.getOffsetDateTime("time").toInstant(), inside.getOrDefault(r.getString("unit_id"), Map.of()))));
            return null;
        });
    }
}
