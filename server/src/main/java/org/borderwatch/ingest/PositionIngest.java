package org.borderwatch.ingest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import org.borderwatch.auth.Principal;
import org.borderwatch.bus.Addresses;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.OverloadedException;
import org.borderwatch.track.Position;
import org.borderwatch.track.PositionBatch;
import org.borderwatch.track.TrackVerticle;
import org.borderwatch.track.UnitRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one door every front end (HTTP, MQTT, OsmAnd, CoT, the simulator) uses: checks who may report which unit, then
 * hands the positions to the track writer and completes once they are durable.
 */
public final class PositionIngest {

    private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(60_000);

    private final Vertx vertx;
    private final UnitRegistry units;

    public PositionIngest(Vertx vertx, UnitRegistry units) {
        this.vertx = vertx;
        this.units = units;
    }

    /** Completes with the number of positions accepted, after the transaction that stored them committed. */
    public Future<Integer> submit(Principal principal, List<Position> positions) {
        Map<String, Integer> firstIndex = new LinkedHashMap<>();
        for (int i = 0; i < positions.size(); i++) {
            String unitId = positions.get(i).unitId();
            if (!principal.mayReport(unitId)) {
                return Future.failedFuture(ApiException.forbidden(principal.role().wireName()
                        + " may not report unit " + unitId));
            }
            firstIndex.putIfAbsent(unitId, i);
        }
        List<Future<?>> lookups = new ArrayList<>();
        firstIndex.forEach((unitId, index) -> {
            if (units.get(unitId) == null) {
                lookups.add(units.find(unitId).map(unit -> {
                    if (unit == null) {
                        throw ApiException.badRequest("unknown unit " + unitId, "unitId", index);
                    }
                    return unit;
                }));
            }
        });
        Future<?> known = lookups.isEmpty() ? Future.succeededFuture() : Future.all(lookups);
        return known.compose(v -> vertx.eventBus()
                        .<Integer>request(Addresses.TRACK_SUBMIT, new PositionBatch(positions), LOCAL))
                .map(reply -> reply.body())
                .recover(e -> Future.failedFuture(e instanceof ReplyException reply
                        && reply.failureCode() == TrackVerticle.OVERLOADED
                        ? new OverloadedException(reply.getMessage()) : e));
    }
}
