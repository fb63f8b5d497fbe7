package org.borderwatch.live;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.auth.Role;
import org.borderwatch.bus.Addresses;
import org.borderwatch.http.Responses;
import org.borderwatch.ops.Metrics;
import org.borderwatch.track.UnitStatus;
import org.borderwatch.track.UnitStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code WS /ws/live}: a snapshot, then positions coalesced per client at most every 100 ms, plus alerts, geofence
 * changes and status changes as they happen. Runs on the HTTP verticle's event loop; one event-bus consumer per
 * address serves every socket of the node.
 */
public final class LiveHub {

    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);
    static final long FRAME_INTERVAL_MS = 100;
    private static final long STATUS_INTERVAL_MS = 1000;

    private final Vertx vertx;
    private final UnitStore units;
    private final int staleSeconds;
    private final Metrics metrics;
    private final Map<String, JsonObject> latest = new HashMap<>();
    private final Set<LiveClient> clients = new HashSet<>();

    public LiveHub(Vertx vertx, UnitStore units, int staleSeconds, Metrics metrics) {
        this.vertx = vertx;
        this.units = units;
        this.staleSeconds = staleSeconds;
        this.metrics = metrics;
        metrics.gauge("bw_live_clients", "Maps connected to /ws/live on this node", clients::size);
    }

    /** Loads the last-known positions and subscribes to the node's streams; call on the HTTP verticle's context. */
    public Future<Void> start() {
        vertx.eventBus().<JsonArray>consumer(Addresses.LIVE_POSITIONS, msg -> onPositions(msg.body()));
        vertx.eventBus().<JsonObject>consumer(Addresses.ALERTS,
                msg -> broadcast(new JsonObject().put("type", "alert").put("alert", msg.body())));
        vertx.eventBus().<JsonObject>consumer(Addresses.GEOFENCE_CHANGED,
                msg -> {
                    JsonObject frame = msg.body().copy().put("type", "geofence");
                    frame.remove("revision"); // the track writers' business, not the map's
                    broadcast(frame);
                });
        vertx.setPeriodic(FRAME_INTERVAL_MS, id -> clients.forEach(LiveClient::flush));
        vertx.setPeriodic(STATUS_INTERVAL_MS, id -> refreshStatuses());
        return units.lastKnown().map(collection -> {
            for (Object item : collection.getJsonArray("features")) {
                JsonObject feature = (JsonObject) item;
                JsonObject props = feature.getJsonObject("properties");
                JsonArray coordinates = feature.getJsonObject("geometry").getJsonArray("coordinates");
                latest.putIfAbsent(props.getString("id"), new JsonObject()
                        .put("id", props.getString("id"))
                        .put("type", props.getString("type"))
                        .put("lat", coordinates.getDouble(1))
                        .put("lon", coordinates.getDouble(0))
                        .put("time", props.getString("time"))
                        .put("speed", props.getDouble("speed"))
                        .put("heading", props.getDouble("heading"))
                        .put("status", props.getString("status")));
            }
            return null;
        });
    }

    public void mount(Router router) {
        router.get("/ws/live").handler(AuthApi.require(Role.VIEWER)).handler(this::upgrade);
    }

    private void upgrade(RoutingContext ctx) {
        ctx.request().toWebSocket().onComplete(ar -> {
            if (ar.failed()) {
                Responses.fail(ctx, ar.cause());
                return;
            }
            ServerWebSocket socket = ar.result();
            LiveClient client = new LiveClient(socket, metrics);
            clients.add(client);
            socket.closeHandler(v -> clients.remove(client));
            socket.exceptionHandler(e -> LOG.debug("live socket error: {}", e.getMessage()));
            socket.textMessageHandler(text -> onClientMessage(client, text));
            sendSnapshot(client);
        });
    }

    private void onClientMessage(LiveClient client, String text) {
        try {
            JsonObject message = new JsonObject(text);
            if ("subscribe".equals(message.getString("type"))) {
                client.bbox(bbox(message.getValue("bbox")));
                sendSnapshot(client);
            }
        } catch (IllegalArgumentException e) {
            client.send(new JsonObject().put("type", "error").put("error", e.getMessage()).put("field", "bbox"));
        } catch (DecodeException | ClassCastException e) {
            client.send(new JsonObject().put("type", "error").put("error", "expected {\"type\":\"subscribe\","
                    + "\"bbox\":[w,s,e,n]}"));
        }
    }

    /** The client's bbox, or null for everything; anything but four numbers is an IllegalArgumentException. */
    private static double[] bbox(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonArray box) || box.size() != 4) {
            throw new IllegalArgumentException("bbox must be [w,s,e,n], four numbers");
        }
        double[] values = new double[4];
        for (int i = 0; i < 4; i++) {
            if (!(box.getValue(i) instanceof Number number)) {
                throw new IllegalArgumentException("bbox must be [w,s,e,n], four numbers");
            }
            values[i] = number.doubleValue();
        }
        return values;
    }

    private void sendSnapshot(LiveClient client) {
        JsonArray visible = new JsonArray();
        latest.values().stream().filter(client::sees).forEach(visible::add);
        client.send(new JsonObject().put("type", "snapshot").put("units", visible));
    }

    private void onPositions(JsonArray positions) {
        Instant now = Instant.now();
        for (Object item : positions) {
            JsonObject unit = ((JsonObject) item).copy();
            JsonObject before = latest.get(unit.getString("id"));
            if (before != null && before.getString("time").compareTo(unit.getString("time")) >= 0) {
                continue;
            }
            String status = UnitStatus.of(Instant.parse(unit.getString("time")), now, staleSeconds).wireName();
            unit.put("status", status);
            latest.put(unit.getString("id"), unit);
            if (before != null && !status.equals(before.getString("status"))) {
                broadcastStatus(unit, status);
            }
            clients.forEach(c -> c.offer(unit));
        }
    }

    private void refreshStatuses() {
        Instant now = Instant.now();
        for (JsonObject unit : latest.values()) {
            String status = UnitStatus.of(Instant.parse(unit.getString("time")), now, staleSeconds).wireName();
            if (!status.equals(unit.getString("status"))) {
                unit.put("status", status);
                broadcastStatus(unit, status);
            }
        }
    }

    private void broadcastStatus(JsonObject unit, String status) {
        JsonObject frame = new JsonObject().put("type", "status").put("unitId", unit.getString("id"))
                .put("status", status);
        clients.stream().filter(c -> c.sees(unit)).forEach(c -> c.send(frame));
    }

    private void broadcast(JsonObject frame) {
        clients.forEach(c -> c.send(frame));
    }
}
