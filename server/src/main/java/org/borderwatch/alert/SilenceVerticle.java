package org.borderwatch.alert;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.bus.Addresses;
import org.borderwatch.config.Config;
import org.borderwatch.db.Database;
import org.borderwatch.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.LongAdder;

/**
 * Watches for units that went silent: {@code stale} after {@code BW_STALE_SECONDS}, {@code lost} after five times
 * that, each once per silence; many units of one agency and type falling silent together raise one alert naming them
 * ({@code BW_SILENCE_GROUP_MIN}). The database decides, so every node may run this and still each silence alerts once.
 */
public final class SilenceVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(SilenceVerticle.class);
    private static final long CHECK_MS = 1000;

    private final Database database;
    private final int staleSeconds;
    private final int groupMin;
    private final LongAdder alerts;
    private Pool pool;
    private boolean checking;

    public SilenceVerticle(Database database, Config config, Metrics metrics) {
        this.database = database;
        this.staleSeconds = config.staleSeconds();
        this.groupMin = Math.max(2, config.silenceGroupMin());
        this.alerts = metrics.counter("bw_silence_alerts_total", "Stale and lost alerts raised");
    }

    @Override
    public Future<?> start() {
        pool = database.pool(vertx, 1);
        vertx.setPeriodic(CHECK_MS, id -> check());
        return Future.succeededFuture();
    }

    private void check() {
        if (checking) {
            return;
        }
        checking = true;
        pool.preparedQuery(AlertSql.SILENCE).execute(Tuple.of(staleSeconds, groupMin))
                .onSuccess(rows -> rows.forEach(row -> {
                    alerts.increment();
                    vertx.eventBus().publish(Addresses.ALERTS, Alerts.fromRow(row));
                }))
                .onFailure(e -> LOG.warn("silence check failed: {}", e.getMessage()))
                .onComplete(ar -> checking = false);
    }

    @Override
    public Future<?> stop() {
        return pool.close();
    }
}
