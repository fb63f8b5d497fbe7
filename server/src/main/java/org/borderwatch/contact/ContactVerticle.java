package org.borderwatch.contact;

import io.vertx.core.Future;
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
import org.borderwatch.alert.Alerts;
import org.borderwatch.bus.Addresses;
import org.borderwatch.config.Config;
import org.borderwatch.db.Database;
import org.borderwatch.geofence.Schedule;
import org.borderwatch.ops.LogLimit;
import org.borderwatch.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The contacts' write path, as the track writer's for units: reports queue here (bounded: a full queue answers 503,
 * and a feed drops what it cannot hand over); while one group commit is in flight the next gathers, so an ADS-B feed's
 * hundreds of messages a second take a few transactions, never one each. A report is answered once its transaction
 * committed; then the maps are told where the contacts moved, and the contact fences' alerts go out.
 */
public final class ContactVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(ContactVerticle.class);
    /** A reply code the requester maps to 503 + Retry-After. */
    public static final int OVERLOADED = 503;
    /** Reply failure code: the database refused a value of the report (400). */
    public static final int REFUSED = 400;
    /**
     * Most fixes in one commit. The fence evaluation joins a batch's fixes with the fences near its contacts, which
     * grows with the square of the batch: small batches keep a backlog from making each commit slower.
     */
    static final int BATCH_MAX = 1_000;
    private static final long PURGE_INTERVAL_MS = 60_000;
    private static final long RETRY_MS = 1_000;

    private final LogLimit log = new LogLimit(LOG, "contact writer", 6);
    private final Database database;
    private final Config config;
    private final LongAdder committed;
    private final LongAdder alerted;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Reports of a group commit the database refused a value of, committed one at a time to find it. */
    private final ArrayDeque<Pending> isolated = new ArrayDeque<>();
    private final ArrayDeque<String> changedFences = new ArrayDeque<>();
    private Pool pool;
    private int queued;
    private boolean flushing;

    private record Pending(List<Contact> contacts, Message<?> message) {
    }

    public ContactVerticle(Database database, Config config, Metrics metrics) {
        this.database = database;
        this.config = config;
        this.committed = metrics.counter("bw_contacts_committed_total", "Contact fixes committed to PostGIS");
        this.alerted = metrics.counter("bw_contact_alerts_total", "Enter and exit alerts raised by contacts");
        metrics.gauge("bw_contact_queue", "Contact fixes waiting for a commit", () -> queued);
    }

    @Override
    public Future<?> start() {
        pool = database.pool(vertx, 2);
        vertx.eventBus().<JsonObject>consumer(Addresses.GEOFENCE_CHANGED, msg -> {
            String id = msg.body().getString("op").equals("delete") ? msg.body().getString("id")
                    : msg.body().getJsonObject("feature").getString("id");
            changedFences.add(id);
            flush();
        });
        vertx.setPeriodic(PURGE_INTERVAL_MS, id -> purge());
        return vertx.eventBus().<ContactBatch>localConsumer(Addresses.CONTACTS_SUBMIT,
                msg -> enqueue(msg.body().contacts(), msg)).completion();
    }

    @Override
    public Future<?> stop() {
        return pool.close();
    }

    private void enqueue(List<Contact> contacts, Message<?> message) {
        if (queued + contacts.size() > config.contactQueueMax()) {
            message.fail(OVERLOADED, "contact queue is full, retry shortly");
            return;
        }
        queue.add(new Pending(contacts, message));
        queued += contacts.size();
        flush();
    }

    /** Runs the next piece of work, a fence re-baseline, else a group commit, unless one is in flight. */
    private void flush() {
        if (flushing || (queue.isEmpty() && isolated.isEmpty() && changedFences.isEmpty())) {
            return;
        }
        flushing = true;
        Future<Void> work;
        if (!changedFences.isEmpty()) {
            work = rebaseline(changedFences.poll());
        } else {
            List<Pending> taken = isolated.isEmpty() ? take() : List.of(isolated.poll());
            work = commit(taken).onFailure(e -> failed(taken, e));
        }
        work.onComplete(ar -> {
            flushing = false;
            flush();
        });
    }

    private List<Pending> take() {
        List<Pending> taken = new ArrayList<>();
        int count = 0;
        while (!queue.isEmpty() && (taken.isEmpty() || count + queue.peek().contacts().size() <= BATCH_MAX)) {
            Pending next = queue.poll();
            taken.add(next);
            count += next.contacts().size();
        }
        queued -= count;
        return taken;
    }

    private Future<Void> commit(List<Pending> taken) {
        List<Contact> batch = uniqueInOrder(taken);
        return pool.withTransaction(conn -> conn.preparedQuery(ContactSql.LOCK).execute(ContactTuples.lock(batch))
                        .compose(v -> conn.preparedQuery(ContactSql.STORE).execute(ContactTuples.store(batch)))
                        .compose(rows -> raise(conn, rows)))
                .map(outcome -> {
                    taken.forEach(p -> p.message().reply(p.contacts().size()));
                    committed.add(batch.size());
                    alerted.add(outcome.alerts().size());
                    if (!outcome.moved().isEmpty()) {
                        vertx.eventBus().publish(Addresses.LIVE_CONTACTS, outcome.moved());
                    }
                    outcome.alerts().forEach(alert -> vertx.eventBus().publish(Addresses.ALERTS, alert));
                    return null;
                });
    }

    /** What one commit changed, announced once it is durable. */
    private record Outcome(JsonArray moved, List<JsonObject> alerts) {
    }

    /** Raises the alerts of the crossings whose fence rules and schedule say so, in the same transaction. */
    private Future<Outcome> raise(SqlConnection conn, RowSet<Row> rows) {
        JsonArray moved = new JsonArray();
        List<Row> alerting = new ArrayList<>();
        for (Row row : rows) {
            if ("contact".equals(row.getString("what"))) {
                moved.add(ContactStore.wire(row));
            } else if (alerts(row)) {
                alerting.add(row);
            }
        }
        if (alerting.isEmpty()) {
            return Future.succeededFuture(new Outcome(moved, List.of()));
        }
        int n = alerting.size();
        String[] types = new String[n];
        String[] ids = new String[n];
        String[] fences = new String[n];
        String[] names = new String[n];
        String[] severities = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Double[] lat = new Double[n];
        Double[] lon = new Double[n];
        String[] agencies = new String[n];
        for (int i = 0; i < n; i++) {
            Row row = alerting.get(i);
            types[i] = row.getBoolean("inside") ? "enter" : "exit";
            ids[i] = row.getString("id");
            fences[i] = row.getString("fence_id");
            names[i] = row.getString("fence_name");
            severities[i] = row.getString("severity");
            times[i] = row.getOffsetDateTime("time");
            lat[i] = row.getDouble("lat");
            lon[i] = row.getDouble("lon");
            agencies[i] = row.getString("agency");
        }
        return conn.preparedQuery(ContactSql.RAISE)
                .execute(Tuple.tuple(List.of(types, ids, fences, names, severities, times, lat, lon, agencies)))
                .map(raised -> {
                    List<JsonObject> alerts = new ArrayList<>();
                    raised.forEach(row -> alerts.add(Alerts.fromRow(row)));
                    return new Outcome(moved, alerts);
                });
    }

    /** A crossing alerts when its fence's rules ask for that direction and its schedule is on at the fix's time. */
    private static boolean alerts(Row crossing) {
        JsonObject rules = crossing.getJsonObject("rules");
        String type = crossing.getBoolean("inside") ? "enter" : "exit";
        if (rules != null && !rules.getBoolean(type, true)) {
            return false;
        }
        Schedule schedule = Schedule.parse(crossing.getJson("schedule"));
        return schedule == null || schedule.isActive(crossing.getOffsetDateTime("time").toInstant());
    }

    /**
     * A failed commit. An outage: every report gets 503. A value the database refused: the reports are committed
     * again one by one, so one bad report never costs the others theirs, and the one holding it gets 400. Anything
     * else: 500.
     */
    private void failed(List<Pending> taken, Throwable e) {
        if (Database.unreachable(e)) {
            log.warn("contact commit of {} reports failed, database unreachable: {}", taken.size(), e.toString());
            taken.forEach(p -> p.message().fail(OVERLOADED, "database unavailable, retry shortly"));
        } else if (e instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22")) {
            if (taken.size() > 1) {
                isolated.addAll(taken);
            } else {
                log.warn("a report of {} contacts refused by the database: {}", taken.get(0).contacts().size(),
                        LogLimit.clip(pg.getErrorMessage()));
                taken.get(0).message().fail(REFUSED, "a value was refused by the database: "
                        + LogLimit.clip(pg.getErrorMessage()));
            }
        } else {
            log.warn("contact commit of {} reports failed; they get 500", taken.size(), e);
            taken.forEach(p -> p.message().fail(500, "could not store contacts"));
        }
    }

    /**
     * A fence changed: which contacts in the live picture it holds is set from where they are, raising nothing, in
     * turn with the commits. A failure is tried again a second later.
     */
    private Future<Void> rebaseline(String fenceId) {
        return pool.withTransaction(conn -> conn.preparedQuery(ContactSql.FORGET_OUTSIDE).execute(Tuple.of(fenceId))
                        .compose(v -> conn.preparedQuery(ContactSql.BASELINE)
                                .execute(Tuple.of(fenceId, config.contactStaleSeconds() * 5))))
                .<Void>mapEmpty()
                .onFailure(e -> {
                    log.warn("could not re-baseline contacts of geofence {}; trying again in {} ms: {}", fenceId,
                            RETRY_MS, e.toString());
                    vertx.setTimer(RETRY_MS, t -> {
                        changedFences.add(fenceId);
                        flush();
                    });
                });
    }

    /** Old trails and long-silent contacts go; every node may run this, the deletes do not collide. */
    private void purge() {
        pool.preparedQuery(ContactSql.PURGE_POSITIONS).execute(Tuple.of(config.contactRetentionHours()))
                .compose(v -> pool.preparedQuery(ContactSql.PURGE_CONTACTS)
                        .execute(Tuple.of(config.contactRetentionHours())))
                .onFailure(e -> log.warn("contact purge failed: {}", e.toString()));
    }

    /** The batch without repeats of a (contact, time), in contact then time order (the lock order). */
    private static List<Contact> uniqueInOrder(List<Pending> taken) {
        Map<String, Contact> unique = new LinkedHashMap<>();
        for (Pending pending : taken) {
            for (Contact c : pending.contacts()) {
                unique.putIfAbsent(c.id() + '\u0000' + c.time(), c);
            }
        }
        List<Contact> batch = new ArrayList<>(unique.values());
        batch.sort(Comparator.comparing(Contact::id).thenComparing(Contact::time));
        return batch;
    }
}
