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
import org.borderwatch.auth.OpenConnections;
import org.borderwatch.auth.Role;
import org.borderwatch.auth.Sharing;
import org.borderwatch.Times;
import org.borderwatch.auth.Visibility;
import org.borderwatch.db.DatabaseProbe;
import org.borderwatch.contact.ContactStore;
import org.borderwatch.feed.Feed;
import org.borderwatch.http.Responses;
import org.borderwatch.ops.Drain;
import org.borderwatch.ops.Metrics;
import org.borderwatch.track.UnitStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code WS /ws/live}: a snapshot, then positions coalesced per client at most every 100 ms, contacts at most every
 * 500 ms, plus alerts, geofence changes and status changes as they happen. Runs on the HTTP verticle's event loop;
 * one event-bus consumer per address serves every socket of the node. When this node loses its database, or gets it
 * back, every map is told with a health frame (a map connecting meanwhile gets one after its snapshot), so the floor
 * sees "degraded" rather than a map that silently stops moving. A stopping node closes every map's socket with 1001
 * (going away), and the map reconnects to whichever node answers.
 */
public final class LiveHub implements Feed.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);
    static final long FRAME_INTERVAL_MS = 100;
    /** Contacts come coalesced less often: ADS-B moves hundreds of them a second, and none of them is ours. */
    static final long CONTACT_FRAME_INTERVAL_MS = 500;
    static final int MAX_CLIENT_MESSAGE_CHARS = 4096;
    static final int MAX_CLIENT_MESSAGES_PER_SECOND = 20;
    /** Close code for a socket whose token or user was revoked: policy violation; the app signs in again. */
    private static final short REVOKED = 1008;

    private final Vertx vertx;
    private final Feed feed;
    private final Metrics metrics;
    private final Sharing sharing;
    private final Drain drain;
    private final DatabaseProbe database;
    private final Set<LiveClient> clients = new HashSet<>();
    private OpenConnections open;

    public LiveHub(Vertx vertx, UnitStore units, int staleSeconds, ContactStore contacts, int contactStaleSeconds,
                   Metrics metrics, Sharing sharing, Drain drain, DatabaseProbe database) {
        this.vertx = vertx;
        this.database = database;
        this.sharing = sharing;
        this.drain = drain;
        this.feed = new Feed(vertx, units, staleSeconds).trackContacts(contacts, contactStaleSeconds);
        this.metrics = metrics;
        metrics.gauge("bw_live_clients", "Maps connected to /ws/live on this node", clients::size);
    }

    /** Loads the last-known positions and subscribes to the node's feed; call on the HTTP verticle's context. */
    public Future<Void> start() {
        open = OpenConnections.listen(vertx);
        feed.listen(this);
        vertx.setPeriodic(FRAME_INTERVAL_MS, id -> clients.forEach(LiveClient::flush));
        drain.onBegin(vertx.getOrCreateContext(), () -> List.copyOf(clients).forEach(LiveClient::goingAway));
        database.start(vertx, (up, since) -> {
            String frame = health(up, since).encode();
            clients.forEach(c -> c.send(frame));
        });
        vertx.setPeriodic(CONTACT_FRAME_INTERVAL_MS, id -> clients.forEach(LiveClient::flushContacts));
        return feed.start();
    }

    public void mount(Router router) {
        router.get("/ws/live").handler(AuthApi.require(Role.VIEWER)).handler(this::upgrade);
    }

    private void upgrade(RoutingContext ctx) {
        Visibility visibility = sharing.visibility(AuthApi.principal(ctx));
        String session = AuthApi.sessionId(ctx);
        ctx.request().toWebSocket().onComplete(ar -> {
            if (ar.failed()) {
                Responses.fail(ctx, ar.cause());
                return;
            }
            ServerWebSocket socket = ar.result();
            LiveClient client = new LiveClient(socket, visibility, metrics);
            clients.add(client);
            Runnable forget = open.add(visibility.principal(), session, () -> {
                clients.remove(client);
                socket.close(REVOKED, "access revoked");
            });
            socket.closeHandler(v -> {
                clients.remove(client);
                forget.run();
            });
            socket.exceptionHandler(e -> LOG.debug("live socket error: {}", e.getMessage()));
            socket.textMessageHandler(text -> onClientMessage(client, text));
            if (drain.draining()) {
                client.goingAway(); // upgraded as the node began to stop
                return;
            }
            sendSnapshot(client);
            if (!database.up()) {
                client.send(health(false, database.since()));
            }
        });
    }

    /** {@code {"type":"health","database":"down"|"up","since"}}: whether this node reaches its database, since when. */
    static JsonObject health(boolean up, Instant since) {
        return new JsonObject().put("type", "health").put("database", up ? "up" : "down")
                .put("since", Times.format(since));
    }

    private void onClientMessage(LiveClient client, String text) {
        if (text.length() > MAX_CLIENT_MESSAGE_CHARS || !client.withinRate(MAX_CLIENT_MESSAGES_PER_SECOND)) {
            // A map sends a subscribe when its view moves: a few a second, a few hundred bytes each.
            client.refuse("messages larger than " + MAX_CLIENT_MESSAGE_CHARS + " characters or more than "
                    + MAX_CLIENT_MESSAGES_PER_SECOND + " a second");
            return;
        }
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

    /**
     * The units, then the contacts the client may see inside its box; the contacts frame is marked
     * {@code "snapshot":true}: the whole picture, so the map drops contacts it holds and this one lacks.
     */
    private void sendSnapshot(LiveClient client) {
        JsonArray visible = new JsonArray();
        feed.units().stream().filter(client::sees).forEach(visible::add);
        client.sent(visible);
        client.send(new JsonObject().put("type", "snapshot").put("units", visible));
        JsonArray contacts = new JsonArray();
        feed.contacts().stream().filter(client::seesContact).forEach(contacts::add);
        client.send(new JsonObject().put("type", "contacts").put("contacts", contacts).put("snapshot", true));
    }

    @Override
    public void positions(List<JsonObject> units) {
        for (JsonObject unit : units) {
            EncodedUnit encoded = new EncodedUnit(unit);
            clients.forEach(c -> c.offer(encoded));
        }
    }

    @Override
    public void status(JsonObject unit, String status) {
        JsonObject frame = new JsonObject().put("type", "status").put("unitId", unit.getString("id"))
                .put("status", status);
        clients.stream().filter(c -> c.sees(unit)).forEach(c -> c.send(frame));
    }

    @Override
    public void alert(JsonObject alert) {
        String frame = new JsonObject().put("type", "alert").put("alert", alert).encode();
        for (LiveClient client : clients) {
            if (client.visibility().seesAlert(alert)) {
                JsonObject readable = client.visibility().redact(alert);
                client.send(readable == alert ? frame : new JsonObject().put("type", "alert").put("alert", readable)
                        .encode());
            }
        }
    }

    @Override
    public void ack(JsonObject ack) {
        JsonObject alert = ack.getJsonObject("alert");
        String frame = new JsonObject().put("type", "ack").put("alertId", ack.getString("alertId"))
                .put("ackedBy", ack.getString("ackedBy")).put("ackedAt", ack.getString("ackedAt"))
                .put("comment", ack.getString("comment")).encode();
        clients.stream().filter(c -> c.visibility().seesAlert(alert)).forEach(c -> c.send(frame));
    }

    @Override
    public void geofence(JsonObject change) {
        JsonObject frame = change.copy().put("type", "geofence");
        frame.remove("revision"); // the track writers' business, not the map's
        JsonObject feature = frame.getJsonObject("feature");
        String owner = feature == null ? null : feature.getJsonObject("properties").getString("agency");
        String text = frame.encode();
        clients.stream().filter(c -> owner == null || c.visibility().seesGeofenceOf(owner)).forEach(c -> c.send(text));
    }

    /** A changed alert is sent whole as an {@code alert} frame again: the map replaces the one with its id. */
    @Override
    public void alertUpdated(JsonObject alert) {
        alert(alert);
    }

    @Override
    public void contacts(List<JsonObject> contacts) {
        for (JsonObject contact : contacts) {
            clients.forEach(c -> c.offerContact(contact));
        }
    }

    @Override
    public void detection(JsonObject detection) {
        String frame = new JsonObject().put("type", "detection").put("detection", detection).encode();
        clients.stream().filter(c -> c.visibility().seesUnit(detection.getString("sensorId")))
                .forEach(c -> c.send(frame));
    }
}
