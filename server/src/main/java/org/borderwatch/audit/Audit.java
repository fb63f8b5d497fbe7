package org.borderwatch.audit;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.Principal;
import org.borderwatch.ops.LogLimit;
import org.borderwatch.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes the audit log (API.md §3): each API calls {@link #record} once its change has succeeded. The entry is written
 * in the background: the user's answer never waits for it and never fails because of it; an entry that cannot be
 * written is counted and logged (rate-limited). Passwords, tokens, device keys and webhook secrets are never passed
 * in. Mounted in front of the API routes, so every request carries the node's instance.
 */
public final class Audit implements Handler<RoutingContext> {

    /** Every action the log records; {@code GET /api/v1/audit?action=} takes one of these. */
    public static final Set<String> ACTIONS = Set.of("login", "login.failed", "logout", "user.create", "user.update",
            "unit.create", "unit.key", "agency.create", "share.create", "share.delete", "geofence.create",
            "geofence.update", "geofence.delete", "webhook.create", "webhook.delete", "alert.ack", "alert.assign",
            "unit.update");

    /** Who acted: a principal's name and agency, or for a failed login the name it gave. */
    public record Actor(String name, String agency) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);
    private static final String KEY = "bw.audit";
    /** Entries being written at once; beyond this (a database far behind) new ones are dropped and counted. */
    static final int MAX_IN_FLIGHT = 1000;
    /** A before or after state larger than this (a geofence of many vertices) keeps its properties only. */
    static final int MAX_STATE_CHARS = 64 * 1024;

    private final Pool pool;
    private final LogLimit logs = new LogLimit(LOG, "audit", 10);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder lost;

    public Audit(Pool pool, Metrics metrics) {
        this.pool = pool;
        this.lost = metrics.counter("bw_audit_lost_total", "Audit entries that could not be written");
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.put(KEY, this);
        ctx.next();
    }

    public static Actor actor(String name, String agency) {
        return new Actor(name, agency);
    }

    /** Records that the request's principal did {@code action} to {@code target}, going from {@code before}. */
    public static void record(RoutingContext ctx, String action, String target, Object before, Object after) {
        Principal principal = AuthApi.principal(ctx);
        record(ctx, principal == null ? actor(null, null) : actor(principal.name(), principal.agency()), action,
                target, before, after);
    }

    /** Records an action of {@code actor}, for a request that has no principal yet (a login). */
    public static void record(RoutingContext ctx, Actor actor, String action, String target, Object before,
                              Object after) {
        Audit audit = ctx.get(KEY);
        if (audit == null) {
            throw new IllegalStateException("Audit is not mounted in front of " + ctx.request().path());
        }
        audit.write(actor, action, target, AuthApi.address(ctx), bounded(before), bounded(after));
    }

    private void write(Actor actor, String action, String target, String address, Object before, Object after) {
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            lost.increment();
            logs.warn("audit entry {} on {} dropped: {} entries are still being written", action,
                    LogLimit.clip(target), MAX_IN_FLIGHT);
            return;
        }
        pool.preparedQuery(AuditSql.INSERT)
                .execute(Tuple.of(actor.name(), actor.agency(), action, target, address, before, after))
                .onComplete(ar -> {
                    inFlight.decrementAndGet();
                    if (ar.failed()) {
                        lost.increment();
                        logs.warn("audit entry {} on {} not written: {}", action, LogLimit.clip(target),
                                LogLimit.clip(ar.cause().getMessage()));
                    }
                });
    }

    /** A state as stored: JSON as it is when small, else its properties (a feature's) or a note of its size. */
    static Object bounded(Object state) {
        if (!(state instanceof JsonObject json)) {
            return state;
        }
        int chars = json.encode().length();
        if (chars <= MAX_STATE_CHARS) {
            return json;
        }
        JsonObject cut = new JsonObject().put("truncated", true).put("chars", chars);
        if (json.getValue("properties") instanceof JsonObject properties
                && properties.encode().length() <= MAX_STATE_CHARS) {
            cut.put("id", json.getValue("id")).put("properties", properties);
        }
        return cut;
    }
}
