package org.borderwatch.track;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.Times;
import org.borderwatch.alert.Alerts;
import org.borderwatch.bus.Addresses;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.config.Config;
import org.borderwatch.db.Database;
import org.borderwatch.geofence.Crossing;
import org.borderwatch.geofence.Crossings;
import org.borderwatch.geofence.Geofence;
import org.borderwatch.geofence.GeofenceStore;
import org.borderwatch.geofence.Membership;
import org.borderwatch.geofence.UnitFences;
import org.borderwatch.ops.LogLimit;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * The durable write path. Requests queue here (bounded: a full queue answers 503); while one group commit is in
 * flight the next one gathers, so under load a single transaction carries thousands of positions from many
 * requests. A request is acknowledged only after its transaction committed. The per-unit geofence state lives here,
 * mirrors the database, and changes only with the commit that persisted it.
 */
public final class TrackVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(TrackVerticle.class);
    private final LogLimit outageLog = new LogLimit(LOG, "track writer", 6);
    /** A reply code a requester maps to 503 + Retry-After. */
    public static final int OVERLOADED = 503;
    /** Reply failure code: the request holds a value the database refused; the client's mistake (400). */
    public static final int REFUSED = 400;
    private static final long RETRY_MS = 1_000;
    private static final long IDLE_POLL_MS = 20;
    /** Fences re-baselined in one transaction at most: a bulk import of thousands goes in a few turns. */
    static final int MAX_REBASELINE_FENCES = 500;

    private final Database database;
    private final UnitRegistry units;
    private final Config config;
    private final ClusterView cluster;
    private final LongAdder storedCounter;
    private final LongAdder batchCounter;
    private final LongAdder alertCounter;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Requests of a group commit the database refused for a value in it, committed one at a time to find it. */
    private final ArrayDeque<Pending> isolated = new ArrayDeque<>();
    private final ArrayDeque<String> changedFences = new ArrayDeque<>();
    /** Fences announced as created or edited whose memberships this node has not re-baselined yet. */
    private final Set<String> unsettled = new HashSet<>();
    private final Map<String, UnitFences> state = new HashMap<>();
    private final Map<String, Geofence> fences = new HashMap<>();
    private final BatchTuples tuples = new BatchTuples();
    /** Positions waiting for a commit and the pace of commits, which admission control reads on other threads. */
    private final WriteLoad load;
    private Pool pool;
    /** The verticle is stopping: new requests are answered 503 at once, those queued are still committed. */
    private boolean stopping;
    private boolean flushing;
    /** The last piece of work was a re-baseline: a commit goes next if one waits. */
    private boolean rebaselinedLast;
    /** Newest fence revision announced to this node (V002): fences with a newer one are not known here yet. */
    private long knownRevision;
    /** Each fence in force's newest revision announced to this node (or loaded at start). */
    private final Map<String, Long> fenceRevisions = new HashMap<>();
    /** The two above as a commit passes them on, made again only when they change. */
    private KnownFences knownSnapshot;
    /** Ownership moved while a commit was in flight: forget the remembered state once it is done. */
    private boolean forgetWhenDone;

    /** One request's positions and where to answer: a local batch or a batch forwarded by another node. */
    private record Pending(List<Position> positions, Message<?> message) {
    }

    /** What one commit decided, applied to memory and announced only once the transaction is durable. */
    private record Outcome(Map<String, UnitFences> staged, Map<String, Position> newest, List<JsonObject> alerts) {
    }

    public TrackVerticle(Database database, UnitRegistry units, Config config, ClusterView cluster, Metrics metrics,
                         WriteLoad load) {
        this.database = database;
        this.load = load;
        this.units = units;
        this.config = config;
        this.cluster = cluster;
        this.storedCounter = metrics.counter("bw_positions_committed_total", "Positions committed to PostGIS");
        this.batchCounter = metrics.counter("bw_batches_committed_total", "Group commits");
        this.alertCounter = metrics.counter("bw_geofence_alerts_total", "Enter, exit and dwell alerts raised");
        metrics.gauge("bw_ingest_queue_positions", "Positions waiting for a commit", load::queued);
    }

    @Override
    public Future<?> start() {
        pool = database.pool(vertx, 2);
        vertx.eventBus().<JsonObject>consumer(Addresses.GEOFENCE_CHANGED, msg -> onFenceChange(msg.body()));
        // Units may have moved to or from this node: what it remembers of them may be stale, so forget it all, but
        // not under a commit in flight, which compares its outcome with what it started from.
        vertx.eventBus().localConsumer(Addresses.OWNERSHIP_CHANGED, msg -> {
            if (flushing) {
                forgetWhenDone = true;
            } else {
                state.clear();
            }
        });
        Future<Void> forwarded = cluster.clustered()
                ? vertx.eventBus().<PositionBatch>consumer(Addresses.trackForward(cluster.self()), this::onForward)
                        .completion()
                : Future.succeededFuture();
        return GeofenceStore.loadRules(pool)
                .onSuccess(rules -> {
                    rules.fences().forEach(f -> fences.put(f.id(), f));
                    rules.fences().forEach(f -> fenceRevisions.merge(f.id(), rules.revision(), Math::max));
                    knownRevision = Math.max(knownRevision, rules.revision());
                    knownSnapshot = null;
                })
                .compose(v -> forwarded)
                .compose(v -> vertx.eventBus().<PositionBatch>localConsumer(Addresses.TRACK_SUBMIT,
                        msg -> enqueue(msg.body().positions(), msg)).completion())
                .onSuccess(v -> LOG.info("track writer ready with {} geofences", fences.size()));
    }

    /**
     * Takes no more requests, answering them 503 at once (still listening: another node's forward sent to a consumer
     * that is gone would be dropped unanswered, and its device kept waiting), then commits every request already
     * queued, each waiting for its answer, before the pool closes. The node's doors stop first.
     */
    @Override
    public Future<?> stop() {
        stopping = true;
        if (!flushing && queue.isEmpty() && isolated.isEmpty()) {
            return pool.close();
        }
        Promise<Void> idle = Promise.promise();
        // Not setPeriodic(0, …): Vert.x 5.0 throws when such a timer is cancelled in its first run (see Drain).
        vertx.setPeriodic(IDLE_POLL_MS, id -> {
            if (!flushing && queue.isEmpty() && isolated.isEmpty()) {
                vertx.cancelTimer(id);
                idle.complete();
            }
        });
        return idle.future().compose(v -> pool.close());
    }

    private void onFenceChange(JsonObject change) {
        knownSnapshot = null;
        if ("delete".equals(change.getString("op"))) {
            String id = change.getString("id");
            fences.remove(id);
            fenceRevisions.remove(id);
            state.values().forEach(unit -> unit.inside().remove(id));
            knownRevision = Math.max(knownRevision, change.getLong("revision", 0L));
        } else {
            JsonObject feature = change.getJsonObject("feature");
            Geofence fence = Geofence.fromFeature(feature);
            long revision = feature.getJsonObject("properties").getLong("revision", 0L);
            fences.put(fence.id(), fence);
            fenceRevisions.merge(fence.id(), revision, Math::max);
            unsettled.add(fence.id());
            changedFences.add(fence.id());
            knownRevision = Math.max(knownRevision, revision);
            flush();
        }
    }

    private void onForward(Message<PositionBatch> message) {
        enqueue(message.body().positions(), message);
    }

    private void enqueue(List<Position> positions, Message<?> message) {
        if (stopping) {
            message.fail(OVERLOADED, "the node is stopping, retry shortly");
            return;
        }
        if (load.queued() + positions.size() > config.queueMaxPositions()) {
            message.fail(OVERLOADED, "ingest queue is full, retry shortly");
            return;
        }
        queue.add(new Pending(positions, message));
        load.add(positions.size());
        flush();
    }

    /** Runs the next piece of work — a fence re-baseline, else a group commit — unless one is in flight. */
    private void flush() {
        if (flushing || (queue.isEmpty() && changedFences.isEmpty() && isolated.isEmpty())) {
            return;
        }
        flushing = true;
        Future<Void> work;
        // Re-baselines and commits take turns, so a bulk of fence changes never holds ingest back for long: the
        // fences not settled yet hold their memberships meanwhile (see apply).
        boolean rebaselineNext = !changedFences.isEmpty() && (!rebaselinedLast || (queue.isEmpty()
                && isolated.isEmpty()));
        rebaselinedLast = rebaselineNext;
        if (rebaselineNext) {
            Set<String> fenceIds = new LinkedHashSet<>();
            while (!changedFences.isEmpty() && fenceIds.size() < MAX_REBASELINE_FENCES) {
                fenceIds.add(changedFences.poll());
            }
            work = rebaseline(List.copyOf(fenceIds));
        } else {
            List<Pending> taken = isolated.isEmpty() ? take() : List.of(isolated.poll());
            long started = System.nanoTime();
            work = commit(taken)
                    .onSuccess(v -> load.committed(taken.stream().mapToInt(p -> p.positions().size()).sum(),
                            System.nanoTime() - started))
                    .onFailure(e -> failed(taken, e));
        }
        work.onComplete(ar -> {
            flushing = false;
            if (forgetWhenDone) {
                forgetWhenDone = false;
                state.clear();
            }
            flush();
        });
    }

    /**
     * A group commit failed. An outage: every request gets 503. A value the database refused (a data exception that
     * validation let through): the requests are committed again one by one, so one device's bad value never costs
     * the others their fixes, and the request that holds it gets 400. Anything else: 500, and the devices retry.
     */
    private void failed(List<Pending> taken, Throwable e) {
        taken.forEach(p -> p.positions().forEach(pos -> state.remove(pos.unitId())));
        if (Database.unreachable(e)) {
            // An outage, not a bug: devices retry on 503, and the log gets a line a minute, not one a commit.
            outageLog.warn("group commit of {} requests failed, database unreachable: {}", taken.size(),
                    e.toString());
            taken.forEach(p -> p.message().fail(OVERLOADED, "database unavailable, retry shortly"));
        } else if (e instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22")) {
            if (taken.size() > 1) {
                outageLog.warn("group commit of {} requests refused by the database ({}); committing them one by "
                        + "one", taken.size(), LogLimit.clip(pg.getErrorMessage()));
                isolated.addAll(taken);
            } else {
                outageLog.warn("a request of {} positions refused by the database: {}",
                        taken.get(0).positions().size(), LogLimit.clip(pg.getErrorMessage()));
                taken.get(0).message().fail(REFUSED, "a value was refused by the database: "
                        + LogLimit.clip(pg.getErrorMessage()));
            }
        } else {
            LOG.error("group commit of {} requests failed; they get 500 and may retry", taken.size(), e);
            taken.forEach(p -> p.message().fail(500, "could not store positions"));
        }
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
        load.add(-count);
        return taken;
    }

    private Future<Void> commit(List<Pending> taken) {
        List<Position> batch = uniqueInTimeOrder(taken);
        String[] unitIds = batch.stream().map(Position::unitId).distinct().toArray(String[]::new);
        // The fence versions this commit may apply, fixed before it starts: news arriving meanwhile waits for it.
        if (knownSnapshot == null) {
            knownSnapshot = KnownFences.of(fenceRevisions, knownRevision);
        }
        KnownFences known = knownSnapshot;
        Set<String> notSettled = Set.copyOf(unsettled);
        return pool.withTransaction(conn -> check(conn, unitIds)
                        .compose(v -> storeAndApply(conn, batch, known, notSettled)))
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
     * Makes what this node remembers of the batch's units match the database. Clustered, another node may have
     * owned a unit a moment ago, so every unit's row is locked and its newest time compared. A single node is the
     * only writer, so only units it has not seen yet are read.
     */
    private Future<Void> check(SqlConnection conn, String[] unitIds) {
        String[] checked = cluster.clustered() ? unitIds
                : Arrays.stream(unitIds).filter(id -> !state.containsKey(id)).toArray(String[]::new);
        if (checked.length == 0) {
            return Future.succeededFuture();
        }
        String sql = cluster.clustered() ? TrackSql.LOCK_UNITS : TrackSql.READ_UNITS;
        return conn.preparedQuery(sql).execute(Tuple.of((Object) checked))
                .compose(rows -> refresh(conn, rows, checked));
    }

    /** Reloads the units whose newest time in the database differs from what this node remembers. */
    private Future<Void> refresh(SqlConnection conn, RowSet<Row> current, String[] unitIds) {
        Map<String, Instant> stored = new HashMap<>();
        current.forEach(row -> {
            OffsetDateTime time = row.getOffsetDateTime("time");
            stored.put(row.getString("unit_id"), time == null ? null : time.toInstant());
        });
        List<String> stale = new ArrayList<>();
        for (String id : unitIds) {
            UnitFences known = state.get(id);
            if (known == null || !Objects.equals(known.lastTime(), stored.get(id))) {
                stale.add(id);
            }
        }
        if (stale.isEmpty()) {
            return Future.succeededFuture();
        }
        return conn.preparedQuery(TrackSql.LOAD_FENCE_STATE_FOR)
                .execute(Tuple.of((Object) stale.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Map<String, Membership>> inside = new HashMap<>();
                    rows.forEach(r -> inside.computeIfAbsent(r.getString("unit_id"), k -> new HashMap<>())
                            .put(r.getString("geofence_id"), new Membership(
                                    r.getOffsetDateTime("entered_at").toInstant(), r.getBoolean("dwell_alerted"))));
                    stale.forEach(id -> state.put(id, new UnitFences(stored.get(id),
                            inside.getOrDefault(id, Map.of()))));
                    return null;
                });
    }

    private Future<Outcome> storeAndApply(SqlConnection conn, List<Position> batch, KnownFences known,
                                          Set<String> notSettled) {
        Map<String, UnitFences> staged = new HashMap<>();
        boolean[] newer = new boolean[batch.size()];
        boolean[] evaluate = new boolean[batch.size()];
        double[] margin = new double[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Position p = batch.get(i);
            UnitFences unit = staged.computeIfAbsent(p.unitId(), id -> state.get(id).copy());
            newer[i] = unit.isNewer(p.time());
            // A fix vaguer than the configured accuracy is kept and shown, but decides no geofence state.
            evaluate[i] = newer[i] && config.geofencesEnabled()
                    && (p.accuracy() == null || p.accuracy() <= config.geofenceMaxAccuracyMeters());
            margin[i] = p.accuracy() == null ? 0 : p.accuracy();
        }
        double reach = fences.values().stream().mapToDouble(Geofence::marginMeters).max().orElse(0);
        return conn.preparedQuery(TrackSql.STORE_AND_CLASSIFY)
                .execute(tuples.store(batch, evaluate, margin, reach, known))
                .compose(rows -> apply(conn, batch, newer, rows, staged, notSettled));
    }

    /**
     * Runs the rule logic over the fixes that were stored now and are newer than their unit's last, in time order
     * per unit, then persists the result in the same transaction. Fences this node has not caught up with — changed
     * without its knowing yet, or not re-baselined yet — count as the band for every fix: nothing changes there.
     */
    private Future<Outcome> apply(SqlConnection conn, List<Position> batch, boolean[] newer, RowSet<Row> stored,
                                  Map<String, UnitFences> staged, Set<String> notSettled) {
        Map<Integer, Row> verdicts = new HashMap<>();
        stored.forEach(row -> verdicts.put(row.getInteger("idx"), row));
        Set<String> held = new HashSet<>(notSettled);
        if (stored.size() > 0) {
            held.addAll(list(stored.iterator().next().getArrayOfStrings("unknown")));
        }
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
            List<String> inside = list(verdict.getArrayOfStrings("inside"));
            List<String> band = list(verdict.getArrayOfStrings("band"));
            if (!held.isEmpty()) {
                inside = inside.stream().filter(id -> !held.contains(id)).toList();
                band = new ArrayList<>(band);
                band.addAll(held);
            }
            Unit known = units.get(fix.unitId());
            crossings.addAll(Crossings.apply(unit, known == null ? null : known.type(), fix, inside, band, fences));
        }
        staged.keySet().retainAll(newest.keySet());
        String[] aliveOnly = batch.stream().map(Position::unitId).distinct().filter(id -> !newest.containsKey(id))
                .toArray(String[]::new);
        return conn.preparedQuery(TrackSql.APPLY).execute(tuples.apply(state, staged, newest, crossings, aliveOnly))
                .map(rows -> {
                    List<JsonObject> alerts = new ArrayList<>();
                    rows.forEach(row -> alerts.add(Alerts.fromRow(row)));
                    return new Outcome(staged, newest, alerts);
                });
    }

    private static List<String> list(String[] ids) {
        return ids == null ? List.of() : Arrays.asList(ids);
    }

    /**
     * Re-baselines the memberships of new or edited fences, all in one transaction, for the units this node owns, from
     * their last positions, raising nothing. Until it succeeds the fences hold their memberships still (see
     * {@link #apply}); failed ones are tried again a second later.
     */
    private Future<Void> rebaseline(List<String> fenceIds) {
        String[] owned = units.ids().stream().filter(cluster::owns).toArray(String[]::new);
        Object ids = fenceIds.stream().map(UUID::fromString).toArray(UUID[]::new);
        return pool.withTransaction(conn -> conn.preparedQuery(TrackSql.FORGET_OUTSIDE)
                        .execute(Tuple.of(ids, (Object) owned))
                        .compose(v -> conn.preparedQuery(TrackSql.BASELINE_FENCE)
                                .execute(Tuple.of(ids, (Object) owned))))
                .<Void>mapEmpty()
                .onSuccess(v -> fenceIds.stream().filter(id -> !changedFences.contains(id))
                        .forEach(unsettled::remove))
                .onFailure(e -> {
                    LOG.error("could not re-baseline {} geofences ({}); trying again in {} ms", fenceIds.size(),
                            fenceIds.get(0), RETRY_MS, e);
                    vertx.setTimer(RETRY_MS, t -> {
                        changedFences.addAll(fenceIds);
                        flush();
                    });
                })
                .onComplete(ar -> state.clear());
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
}
