package org.borderwatch.dispatch;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.alert.Alerts;
import org.borderwatch.bus.Addresses;
import org.borderwatch.db.Database;
import org.borderwatch.ops.LogLimit;
import org.borderwatch.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records when an assigned unit reaches its alert (within {@code BW_ARRIVAL_METERS}): the alert closes, every map is
 * told, and the time from detection to arrival is observed in {@code bw_response_seconds}. Off the ingest path: one
 * cheap statement a second over the assignments still on their way, which every node may run (each arrival is
 * recorded by exactly one).
 */
public final class ArrivalVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(ArrivalVerticle.class);
    private static final long CHECK_MS = 1000;
    /** From a minute to an hour and a half: the span of a patrol's drive to a detection. */
    private static final double[] RESPONSE_BUCKETS = {30, 60, 120, 300, 600, 900, 1800, 3600, 5400};

    private final Database database;
    private final int arrivalMeters;
    private final Metrics.Histogram responses;
    private final LogLimit logs = new LogLimit(LOG, "arrival", 6);
    private Pool pool;
    private boolean checking;

    public ArrivalVerticle(Database database, int arrivalMeters, Metrics metrics) {
        this.database = database;
        this.arrivalMeters = arrivalMeters;
        this.responses = metrics.histogram("bw_response_seconds",
                "Seconds from a detection to the arrival of the unit sent to it", RESPONSE_BUCKETS);
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
        pool.preparedQuery(DispatchSql.ARRIVALS).execute(Tuple.of(arrivalMeters))
                .onSuccess(rows -> {
                    for (Row row : rows) {
                        JsonObject alert = Alerts.fromRow(row);
                        responses.observe(row.getDouble("response_seconds"));
                        LOG.info("unit {} arrived at alert {} {} s after its detection",
                                alert.getString("assignedUnitId"), alert.getString("id"),
                                Math.round(row.getDouble("response_seconds")));
                        vertx.eventBus().publish(Addresses.ALERT_UPDATED, alert);
                        if (row.getBoolean("closed_now")) {
                            vertx.eventBus().publish(Addresses.ALERT_ACKED, new JsonObject()
                                    .put("alertId", alert.getString("id")).put("ackedBy", alert.getString("ackedBy"))
                                    .put("ackedAt", alert.getString("ackedAt"))
                                    .put("comment", alert.getString("comment")).put("alert", alert));
                        }
                    }
                })
                .onFailure(e -> logs.warn("arrival check failed: {}", LogLimit.clip(e)))
                .onComplete(ar -> checking = false);
    }

    @Override
    public Future<?> stop() {
        return pool.close();
    }
}
