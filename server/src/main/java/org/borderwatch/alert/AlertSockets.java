package org.borderwatch.alert;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.OpenConnections;
import org.borderwatch.auth.Role;
import org.borderwatch.auth.Sharing;
import org.borderwatch.auth.Visibility;
import org.borderwatch.bus.Addresses;
import org.borderwatch.http.BoundedSocket;
import org.borderwatch.http.Responses;
import org.borderwatch.ops.Metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** {@code WS /ws/alerts?types=enter,exit&geofenceId=…&unitId=…}: every matching alert as a JSON text frame. */
public final class AlertSockets {

    /** Close code for a socket whose token or user was revoked: policy violation; the app signs in again. */
    private static final short REVOKED = 1008;

    private final Vertx vertx;
    private final Metrics metrics;
    private final Sharing sharing;
    // Alerts cannot be coalesced: BoundedSocket closes a subscriber that stops reading rather than buffer for it.
    private final Map<BoundedSocket, Predicate<JsonObject>> sockets = new HashMap<>();
    private OpenConnections open;

    public AlertSockets(Vertx vertx, Metrics metrics, Sharing sharing) {
        this.vertx = vertx;
        this.sharing = sharing;
        this.metrics = metrics;
    }

    public void mount(Router router) {
        open = OpenConnections.listen(vertx);
        vertx.eventBus().<JsonObject>consumer(Addresses.ALERTS, msg -> {
            String frame = msg.body().encode();
            sockets.forEach((socket, filter) -> {
                if (filter.test(msg.body())) {
                    socket.send(frame);
                }
            });
        });
        router.get("/ws/alerts").handler(AuthApi.require(Role.VIEWER)).handler(this::upgrade);
    }

    private void upgrade(RoutingContext ctx) {
        String[] types = AlertApi.types(ctx.request().getParam("types"), "types");
        Set<String> wanted = types == null ? null : new HashSet<>(Arrays.asList(types));
        String fence = ctx.request().getParam("geofenceId");
        String unit = ctx.request().getParam("unitId");
        Visibility visibility = sharing.visibility(AuthApi.principal(ctx));
        String session = AuthApi.sessionId(ctx);
        Predicate<JsonObject> filter = alert -> visibility.seesAlert(alert)
                && (wanted == null || wanted.contains(alert.getString("type")))
                && (fence == null || fence.equals(alert.getString("geofenceId")))
                && (unit == null || unit.equals(alert.getString("unitId")));
        ctx.request().toWebSocket().onComplete(ar -> {
            if (ar.failed()) {
                Responses.fail(ctx, ar.cause());
                return;
            }
            BoundedSocket socket = new BoundedSocket(ar.result(), metrics);
            sockets.put(socket, filter);
            Runnable forget = open.add(visibility.principal(), session, () -> {
                sockets.remove(socket);
                ar.result().close(REVOKED, "access revoked");
            });
            ar.result().closeHandler(v -> {
                sockets.remove(socket);
                forget.run();
            });
        });
    }
}
