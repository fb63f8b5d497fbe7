package org.borderwatch.alert;

import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.OpenConnections;
import org.borderwatch.auth.Role;
import org.borderwatch.auth.Sharing;
import org.borderwatch.auth.Visibility;
import org.borderwatch.bus.Addresses;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.BoundedSocket;
import org.borderwatch.http.Responses;
import org.borderwatch.ops.Drain;
import org.borderwatch.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * {@code WS /ws/alerts?types=enter,exit&geofenceId=…&unitId=…&since=<alert id>}: every matching alert as a JSON text
 * frame. With {@code since}, the alerts detected after that one come first, in the order they were detected, then the
 * live ones: the socket listens before the backlog is read and holds live alerts back until the backlog is sent,
 * dropping those the backlog already had, so a reconnecting client misses none and sees none twice. A stopping node
 * closes every socket with 1001 (going away); the client resumes with {@code since} on whichever node answers.
 */
public final class AlertSockets {

    private static final Logger LOG = LoggerFactory.getLogger(AlertSockets.class);
    /** Close code for a socket whose token or user was revoked: policy violation; the app signs in again. */
    private static final short REVOKED = 1008;
    private static final short TRY_AGAIN_LATER = 1013;
    /** Backlog alerts read per query; the next page waits until the client has taken this one. */
    static final int BACKLOG_PAGE = 500;
    private static final long DRAIN_WAIT_MS = 50;
    /** How long ids sent from the backlog are remembered: a live copy of one is published within milliseconds. */
    private static final long BACKLOG_MEMORY_MS = 30_000;

    private final Vertx vertx;
    private final Pool pool;
    private final Metrics metrics;
    private final Sharing sharing;
    private final Drain drain;
    // Alerts cannot be coalesced: BoundedSocket closes a subscriber that stops reading rather than buffer for it.
    private final Map<BoundedSocket, Subscriber> sockets = new HashMap<>();
    private OpenConnections open;

    public AlertSockets(Vertx vertx, Pool pool, Metrics metrics, Sharing sharing, Drain drain) {
        this.vertx = vertx;
        this.drain = drain;
        this.pool = pool;
        this.sharing = sharing;
        this.metrics = metrics;
    }

    public void mount(Router router) {
        open = OpenConnections.listen(vertx);
        vertx.eventBus().<JsonObject>consumer(Addresses.ALERTS, msg -> {
            String frame = msg.body().encode();
            sockets.values().forEach(subscriber -> subscriber.live(msg.body(), frame));
        });
        router.get("/ws/alerts").handler(AuthApi.require(Role.VIEWER)).handler(this::upgrade);
        drain.onBegin(vertx.getOrCreateContext(), () -> List.copyOf(sockets.keySet()).forEach(socket -> socket.close(
                Drain.GOING_AWAY, "server stopping")));
    }

    private void upgrade(RoutingContext ctx) {
        String[] types = AlertApi.types(ctx.request().getParam("types"), "types");
        Set<String> wanted = types == null ? null : new HashSet<>(Arrays.asList(types));
        String fence = ctx.request().getParam("geofenceId");
        String unit = ctx.request().getParam("unitId");
        String since = ctx.request().getParam("since");
        if (since != null && since.isBlank()) {
            since = null;
        }
        if (since != null) {
            try {
                UUID.fromString(since);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("since must be an alert id", "since");
            }
        }
        Visibility visibility = sharing.visibility(AuthApi.principal(ctx));
        String session = AuthApi.sessionId(ctx);
        Predicate<JsonObject> filter = alert -> visibility.seesAlert(alert)
                && (wanted == null || wanted.contains(alert.getString("type")))
                && (fence == null || fence.equals(alert.getString("geofenceId")))
                && (unit == null || unit.equals(alert.getString("unitId"))
                    || (alert.getJsonArray("units") != null && alert.getJsonArray("units").contains(unit)));
        if (since == null) {
            accept(ctx, visibility, session, filter, null);
            return;
        }
        String after = since;
        // The resume point must be an alert this user may see: else a 400 before the upgrade, not a silent gap.
        ctx.request().pause();
        pool.preparedQuery(AlertSql.VISIBLE).execute(Tuple.of(after, visibility.agency())).onComplete(ar -> {
            ctx.request().resume();
            if (ar.failed()) {
                Responses.fail(ctx, ar.cause());
            } else if (ar.result().size() == 0) {
                Responses.fail(ctx, ApiException.badRequest("since names no alert you may see", "since"));
            } else {
                accept(ctx, visibility, session, filter, after);
            }
        });
    }

    private void accept(RoutingContext ctx, Visibility visibility, String session, Predicate<JsonObject> filter,
                        String since) {
        ctx.request().toWebSocket().onComplete(ar -> {
            if (ar.failed()) {
                Responses.fail(ctx, ar.cause());
                return;
            }
            ServerWebSocket webSocket = ar.result();
            BoundedSocket socket = new BoundedSocket(webSocket, metrics);
            Subscriber subscriber = new Subscriber(socket, filter, visibility, since != null);
            sockets.put(socket, subscriber);
            Runnable forget = open.add(visibility.principal(), session, () -> {
                sockets.remove(socket);
                webSocket.close(REVOKED, "access revoked");
            });
            webSocket.closeHandler(v -> {
                subscriber.closed = true;
                sockets.remove(socket);
                forget.run();
            });
            if (drain.draining()) {
                socket.close(Drain.GOING_AWAY, "server stopping"); // upgraded as the node began to stop
            } else if (since != null) {
                subscriber.page(since);
            }
        });
    }

    /** One socket: live alerts pass its filter; while it catches up from {@code since}, they wait in order. */
    private final class Subscriber {

        private final BoundedSocket socket;
        private final Predicate<JsonObject> filter;
        private final Visibility visibility;
        private List<JsonObject> held;
        private Set<String> sentFromBacklog;
        private boolean closed;

        Subscriber(BoundedSocket socket, Predicate<JsonObject> filter, Visibility visibility, boolean catchingUp) {
            this.socket = socket;
            this.filter = filter;
            this.visibility = visibility;
            this.held = catchingUp ? new ArrayList<>() : null;
            this.sentFromBacklog = catchingUp ? new HashSet<>() : null;
        }

        void live(JsonObject alert, String frame) {
            if (!filter.test(alert)) {
                return;
            }
            if (held != null) {
                held.add(alert);
            } else if (sentFromBacklog == null || !sentFromBacklog.contains(alert.getString("id"))) {
                JsonObject readable = visibility.redact(alert);
                socket.send(readable == alert ? frame : readable.encode());
            }
        }

        /** Sends the alerts after {@code after}, a page at a time, then the held live ones. */
        void page(String after) {
            if (closed) {
                return;
            }
            if (socket.busy()) {
                vertx.setTimer(DRAIN_WAIT_MS, t -> page(after));
                return;
            }
            pool.preparedQuery(AlertSql.AFTER).execute(Tuple.of(after, visibility.agency(), BACKLOG_PAGE)).onComplete(ar -> {
                if (ar.failed()) {
                    LOG.warn("alert backlog failed: {}", ar.cause().getMessage());
                    socket.close(TRY_AGAIN_LATER, "could not read the backlog; reconnect");
                    return;
                }
                String last = null;
                for (Row row : ar.result()) {
                    JsonObject alert = Alerts.fromRow(row);
                    last = alert.getString("id");
                    if (filter.test(alert) && sentFromBacklog.add(last)) {
                        socket.send(alert.encode());
                    }
                }
                if (ar.result().size() == BACKLOG_PAGE) {
                    page(last);
                } else {
                    caughtUp();
                }
            });
        }

        private void caughtUp() {
            List<JsonObject> waiting = held;
            held = null;
            for (JsonObject alert : waiting) {
                if (!sentFromBacklog.contains(alert.getString("id"))) {
                    sentFromBacklog.add(alert.getString("id"));
                    socket.send(alert.encode());
                }
            }
            // A live copy of a backlog alert may still be on its way; after that the ids are no longer needed.
            vertx.setTimer(BACKLOG_MEMORY_MS, t -> sentFromBacklog = null);
        }
    }
}
