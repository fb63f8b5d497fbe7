package org.borderwatch.alert;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.bus.Addresses;
import org.borderwatch.config.Config;
import org.borderwatch.db.Database;
import org.borderwatch.ops.LogLimit;
import org.borderwatch.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.LongAdder;

/**
 * Watches for units that went silent: {@code stale} after {@code BW_STALE_SECONDS}, {@code lost} after five times
 * that, each once per silence; many units of one agency and type falling silent together raise one alert naming them
 * ({@code BW_SILENCE_GROUP_MIN}). It also escalates critical alerts left unacknowledged
 * ({@code BW_ESCALATE_SECONDS}). The database decides, so every node may run this and still each silence alerts once.
 */
public final class SilenceVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(SilenceVerticle.class);
    /** During a database outage every check fails, twice a second: a few lines a minute say so. */
    private final LogLimit failures = new LogLimit(LOG, "silence checks", 6);
    /**
     * At most twice a second. A silence check reads every unit's state (29 ms of PostgreSQL at 10,000 units), so it
     * runs when the next unit falls due rather than on a fixed beat: on a floor whose units report, about once per
     * stale period.
     */
    static final long CHECK_MS = 500;
    /** After a deadline: units whose deadlines fall this close together are judged in one check, as a group. */
    static final long GRACE_MS = 250;

    private final Database database;
    private final int staleSeconds;
    private final int groupMin;
    private final int escalateSeconds;
    private final LongAdder alerts;
    private final LongAdder escalated;
    private final LongAdder checks;
    private Pool pool;
    private Pool escalatePool;
    private boolean escalating;

    public SilenceVerticle(Database database, Config config, Metrics metrics) {
        this.database = database;
        this.staleSeconds = config.staleSeconds();
        this.groupMin = Math.max(2, config.silenceGroupMin());
        this.escalateSeconds = config.escalateSeconds();
        this.alerts = metrics.counter("bw_silence_alerts_total", "Stale and lost alerts raised");
        this.escalated = metrics.counter("bw_escalated_alerts_total",
                "Escalated alerts raised for critical alerts left unacknowledged");
        this.checks = metrics.counter("bw_silence_checks_total",
                "Silence checks run: each when the next unit falls due, at most twice a second");
    }

    @Override
    public Future<?> start() {
        pool = database.pool(vertx, 1);
        vertx.setTimer(CHECK_MS, id -> check());
        if (escalateSeconds > 0) {
            escalatePool = database.pool(vertx, 1);
            vertx.setPeriodic(CHECK_MS, id -> escalate());
        }
        return Future.succeededFuture();
    }

    /** Raises what is due, then sleeps until the next unit can fall due (after a failure, {@link #CHECK_MS}). */
    private void check() {
        checks.increment();
        pool.preparedQuery(AlertSql.SILENCE).execute(Tuple.of(staleSeconds, groupMin))
                .onSuccess(rows -> rows.forEach(row -> {
                    alerts.increment();
                    vertx.eventBus().publish(Addresses.ALERTS, Alerts.fromRow(row));
                }))
                .compose(rows -> pool.preparedQuery(AlertSql.NEXT_SILENCE).execute(Tuple.of(staleSeconds)))
                .map(rows -> nextCheckMs(rows.iterator().next().getDouble(0), staleSeconds))
                .onFailure(e -> failures.warn("silence check failed: {}", LogLimit.clip(e.getMessage())))
                .onComplete(ar -> vertx.setTimer(ar.succeeded() ? ar.result() : CHECK_MS, id -> check()));
    }

    /**
     * When to check next, given the seconds until the next unit falls due (null: no unit can). A unit that reports
     * after this check falls due {@code staleSeconds} from now at the earliest, so that is the longest wait.
     */
    static long nextCheckMs(Double secondsToDue, int staleSeconds) {
        double seconds = secondsToDue == null ? staleSeconds : Math.min(secondsToDue, staleSeconds);
        return Math.max(CHECK_MS, Math.round(seconds * 1000) + GRACE_MS);
    }

    /** On its own timer and connection, so escalations never delay a silence alert. */
    private void escalate() {
        if (escalating) {
            return;
        }
        escalating = true;
        escalatePool.preparedQuery(AlertSql.ESCALATE).execute(Tuple.of(escalateSeconds))
                .onSuccess(rows -> rows.forEach(row -> {
                    escalated.increment();
                    vertx.eventBus().publish(Addresses.ALERTS, Alerts.fromRow(row));
                }))
                .onFailure(e -> failures.warn("escalation check failed: {}", LogLimit.clip(e.getMessage())))
                .onComplete(ar -> escalating = false);
    }

    @Override
    public Future<?> stop() {
        return escalatePool == null ? pool.close() : pool.close().compose(v -> escalatePool.close());
    }
}
