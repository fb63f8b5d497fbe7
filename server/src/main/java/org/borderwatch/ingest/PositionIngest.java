package org.borderwatch.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import org.borderwatch.auth.Principal;
import org.borderwatch.auth.Role;
import org.borderwatch.bus.Addresses;
import org.borderwatch.bus.PositionWireCodec;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.UnavailableException;
import org.borderwatch.track.Position;
import org.borderwatch.track.PositionBatch;
import org.borderwatch.track.TrackVerticle;
import org.borderwatch.track.Unit;
import org.borderwatch.track.UnitRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one door every front end (HTTP, MQTT, OsmAnd, CoT, the simulator) uses: checks who may report which unit, then
 * hands each unit's positions to the track writer of the node that owns the unit, and completes once all of them
 * are durable. Use on the context that created it.
 */
public final class PositionIngest {

    private static final Logger LOG = LoggerFactory.getLogger(PositionIngest.class);
    private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(60_000);
    private static final DeliveryOptions FORWARD = new DeliveryOptions().setSendTimeout(20_000)
            .setCodecName(PositionWireCodec.NAME);

    private final Vertx vertx;
    private final UnitRegistry units;
    private final ClusterView cluster;
    /** Forwards waiting for their owner's answer, by owner: failed at once when the owner leaves the cluster. */
    private final Map<String, Set<Promise<Integer>>> forwarding = new HashMap<>();

    public PositionIngest(Vertx vertx, UnitRegistry units, ClusterView cluster) {
        this.vertx = vertx;
        this.units = units;
        this.cluster = cluster;
        if (cluster.clustered()) {
            vertx.eventBus().localConsumer(Addresses.OWNERSHIP_CHANGED, msg -> failForwardsToDeparted());
        }
    }

    /** Completes with the number of positions accepted, after the transactions that stored them committed. */
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
        for (Map.Entry<String, Integer> first : firstIndex.entrySet()) {
            Unit known = units.get(first.getKey());
            if (known == null) {
                lookups.add(units.find(first.getKey()).map(unit -> reportable(principal, unit, first)));
            } else {
                try {
                    reportable(principal, known, first);
                } catch (ApiException e) {
                    return Future.failedFuture(e);
                }
            }
        }
        Future<?> known = lookups.isEmpty() ? Future.succeededFuture() : Future.all(lookups);
        return known.compose(v -> route(positions));
    }

    /** An admin reports the units of its agency (root: all); another agency's unit is as good as unknown. */
    private static Unit reportable(Principal principal, Unit unit, Map.Entry<String, Integer> first) {
        if (unit == null || (principal.role() == Role.ADMIN && !principal.isRoot()
                && !principal.agency().equals(unit.agency()))) {
            throw ApiException.badRequest("unknown unit " + first.getKey(), "unitId", first.getValue());
        }
        return unit;
    }

    private Future<Integer> route(List<Position> positions) {
        Map<String, List<Position>> byOwner = new LinkedHashMap<>();
        // A backfill holds thousands of fixes of a few units: each unit's owner is worked out once.
        Map<String, List<Position>> byUnit = new HashMap<>();
        for (Position p : positions) {
            byUnit.computeIfAbsent(p.unitId(), unit -> byOwner.computeIfAbsent(cluster.owner(unit),
                    node -> new ArrayList<>())).add(p);
        }
        List<Future<Integer>> parts = new ArrayList<>();
        byOwner.forEach((node, part) -> parts.add(node.equals(cluster.self()) ? local(part) : forward(node, part)));
        return Future.all(parts).map(all -> parts.stream().mapToInt(Future::result).sum());
    }

    private Future<Integer> local(List<Position> part) {
        return vertx.eventBus().<Integer>request(Addresses.TRACK_SUBMIT, new PositionBatch(part), LOCAL)
                .map(reply -> reply.body())
                .recover(PositionIngest::retryable);
    }

    /**
     * Hands a part to its owner. A request the owner drops unanswered (it is leaving the cluster and no longer
     * listens) would keep the device waiting for the send timeout; so the answer is 503 as soon as the owner is gone.
     */
    private Future<Integer> forward(String node, List<Position> part) {
        Promise<Integer> answer = Promise.promise();
        Set<Promise<Integer>> pending = forwarding.computeIfAbsent(node, n -> new HashSet<>());
        pending.add(answer);
        send(node, part).onComplete(ar -> {
            pending.remove(answer);
            if (pending.isEmpty()) {
                forwarding.remove(node, pending);
            }
            if (ar.succeeded()) {
                answer.tryComplete(ar.result());
            } else {
                answer.tryFail(ar.cause());
            }
        });
        return answer.future();
    }

    private void failForwardsToDeparted() {
        List<Promise<Integer>> orphans = new ArrayList<>();
        forwarding.entrySet().removeIf(entry -> {
            if (cluster.member(entry.getKey())) {
                return false;
            }
            LOG.debug("{} forwards to departed node {} answered 503", entry.getValue().size(), entry.getKey());
            orphans.addAll(entry.getValue());
            return true;
        });
        orphans.forEach(p -> p.tryFail(new UnavailableException("the unit's owner node left the cluster, retry "
                + "shortly")));
    }

    private Future<Integer> send(String node, List<Position> part) {
        return vertx.eventBus().<Integer>request(Addresses.trackForward(node), new PositionBatch(part), FORWARD)
                .map(reply -> reply.body())
                .recover(e -> {
                    if (e instanceof ReplyException reply && reply.failureCode() == TrackVerticle.REFUSED) {
                        return retryable(e); // the owner stored nothing of a request the database refused: 400
                    }
                    // Gone, slow or full: the device retries, and by then ownership has moved on or freed up.
                    LOG.debug("forward to {} failed: {}", node, e.getMessage());
                    return Future.failedFuture(new UnavailableException("the unit's owner node is unavailable, "
                            + "retry shortly"));
                });
    }

    private static Future<Integer> retryable(Throwable e) {
        if (e instanceof ReplyException reply && reply.failureCode() == TrackVerticle.REFUSED) {
            return Future.failedFuture(ApiException.badRequest(reply.getMessage(), null));
        }
        if (e instanceof ReplyException reply && reply.failureCode() == TrackVerticle.OVERLOADED) {
            return Future.failedFuture(new UnavailableException(reply.getMessage()));
        }
        return Future.failedFuture(e);
    }
}
