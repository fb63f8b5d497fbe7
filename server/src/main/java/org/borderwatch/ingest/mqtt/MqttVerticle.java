package org.borderwatch.ingest.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.sqlclient.Pool;
import org.borderwatch.auth.OpenConnections;
import org.borderwatch.auth.Principal;
import org.borderwatch.auth.Role;
import org.borderwatch.dispatch.Detection;
import org.borderwatch.dispatch.Detections;
import org.borderwatch.feed.Feed;
import org.borderwatch.http.ApiException;
import org.borderwatch.ingest.AdmissionQueue;
import org.borderwatch.ingest.DoorVerticle;
import org.borderwatch.ingest.Doors;
import org.borderwatch.ops.LogLimit;
import org.borderwatch.tls.Tls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MQTT on {@code BW_MQTT_PORT}, both ways. A device connects with its unit id and device key and publishes a position
 * object to {@code units/{unitId}/position}; QoS 1 is acknowledged (PUBACK) only once the position is durable, QoS 2
 * likewise (PUBREC). A user (viewer or above) connects with username and password and subscribes to
 * {@code alerts/#} and {@code units/+/position}, granted at most QoS 1 (see {@link MqttSubscriber}). Bad input or
 * another unit's topic closes the connection, with the reason logged; other clients are not affected. A stopping
 * node refuses new connections (server unavailable), acknowledges no new publish (the device sends it again where it
 * reconnects), and closes every connection once the positions it took are acknowledged: MQTT 5 clients get a
 * DISCONNECT saying the server is shutting down, MQTT 3.1.1 clients, which have no such packet, a closed connection.
 */
public final class MqttVerticle extends DoorVerticle implements Feed.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(MqttVerticle.class);
    private static final Pattern POSITION_TOPIC = Pattern.compile("units/([^/]+)/position");
    private static final Pattern DETECTION_TOPIC = Pattern.compile("units/([^/]+)/detection");
    /** A position with its attributes fits many times over; larger packets are refused by the decoder. */
    private static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final long FLUSH_INTERVAL_MS = 100;
    /** Publishes of one connection waiting for admission before it counts as a flood and is closed. */
    static final int MAX_WAITING = 256;

    private final Set<MqttSubscriber> subscribers = new HashSet<>();
    private final Set<MqttEndpoint> endpoints = new HashSet<>();
    private final LogLimit logs = new LogLimit(LOG, "MQTT", 30);
    private OpenConnections open;
    private Detections detections;
    private AdmissionQueue admission;

    public MqttVerticle(Doors doors) {
        super(doors);
    }

    @Override
    protected Future<?> open() {
        open = OpenConnections.listen(vertx);
        Pool pool = doors.database().pool(vertx, 2);
        onStop(pool::close);
        detections = new Detections(vertx, pool, doors.sharing(), doors.config());
        admission = new AdmissionQueue(vertx, doors.admission());
        doors.metrics().gauge("bw_mqtt_subscribers", "MQTT users subscribed on this node", subscribers::size);
        return feed(this)
                .compose(feed -> {
                    vertx.setPeriodic(FLUSH_INTERVAL_MS, id -> subscribers.forEach(MqttSubscriber::flush));
                    return MqttServer.create(vertx, Tls.server(doors.config(),
                                    new MqttServerOptions().setMaxMessageSize(MAX_MESSAGE_BYTES)))
                            .endpointHandler(this::connect)
                            .exceptionHandler(e -> logs.warn("MQTT connection failed: {}", LogLimit.clip(e)))
                            .listen(doors.config().mqttPort());
                })
                .onSuccess(server -> {
                    onStop(server::close);
                    onStop(this::goodbye);
                    LOG.info("MQTT{} on port {}", doors.config().tls() ? " over TLS" : "", server.actualPort());
                });
    }

    private void connect(MqttEndpoint endpoint) {
        if (doors.drain().draining()) {
            endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
            return;
        }
        String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
        String password = endpoint.auth() == null ? null : endpoint.auth().getPassword();
        endpoint.exceptionHandler(e -> close(endpoint, null, "connection error: " + e.getMessage()));
        String address = endpoint.remoteAddress() == null ? null : endpoint.remoteAddress().hostAddress();
        doors.auth().credentials(username, password, address).onComplete(ar -> {
            if (ar.failed()) {
                logs.info("MQTT client {} ({}) refused: {}", LogLimit.clip(endpoint.clientIdentifier()),
                        LogLimit.clip(username), ar.cause().getMessage());
                endpoint.reject(ar.cause() instanceof ApiException api && api.status() == 429
                        ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE
                        : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
                return;
            }
            if (doors.drain().draining()) {
                endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
                return;
            }
            Principal principal = ar.result();
            Runnable forget = open.add(principal, null, () -> close(endpoint, principal, "access revoked"));
            MqttSubscriber subscriber = new MqttSubscriber(endpoint, doors.sharing().visibility(principal));
            int[] waiting = {0};
            endpoint.publishHandler(message -> publish(endpoint, principal, message, waiting));
            endpoint.publishReleaseHandler(endpoint::publishComplete);
            endpoint.subscribeHandler(message -> subscribe(subscriber, endpoint, message));
            endpoint.unsubscribeHandler(message -> {
                message.topics().forEach(subscriber::unsubscribe);
                endpoint.unsubscribeAcknowledge(message.messageId());
            });
            endpoints.add(endpoint);
            endpoint.closeHandler(v -> {
                endpoints.remove(endpoint);
                subscribers.remove(subscriber);
                forget.run();
            });
            endpoint.accept(false);
        });
    }

    /**
     * Users may subscribe to any well-formed filter (they receive what they may see); a device to its own
     * {@code units/{unitId}/tasks} only.
     */
    private void subscribe(MqttSubscriber subscriber, MqttEndpoint endpoint, MqttSubscribeMessage message) {
        List<MqttQoS> granted = new ArrayList<>();
        String device = subscriber.principal().role() == Role.DEVICE ? subscriber.principal().unitId() : null;
        for (MqttTopicSubscription subscription : message.topicSubscriptions()) {
            if (!TopicFilter.valid(subscription.topicName())
                    || (device != null && !subscription.topicName().equals(tasksTopic(device)))) {
                granted.add(MqttQoS.FAILURE);
                logs.info("MQTT {} may not subscribe to {}", LogLimit.clip(endpoint.clientIdentifier()),
                        LogLimit.clip(subscription.topicName()));
                continue;
            }
            MqttQoS qos = subscription.qualityOfService() == MqttQoS.AT_MOST_ONCE
                    ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
            subscriber.subscribe(subscription.topicName(), qos);
            granted.add(qos);
        }
        endpoint.subscribeAcknowledge(message.messageId(), granted);
        subscribers.add(subscriber);
    }

    private static String tasksTopic(String unitId) {
        return "units/" + unitId + "/tasks";
    }

    private void publish(MqttEndpoint endpoint, Principal principal, MqttPublishMessage message, int[] waiting) {
        if (doors.drain().draining()) {
            return; // not taken, so not acknowledged: the device keeps it and sends it again
        }
        Matcher detection = DETECTION_TOPIC.matcher(message.topicName());
        if (detection.matches()) {
            detect(endpoint, principal, message, detection.group(1));
            return;
        }
        Matcher topic = POSITION_TOPIC.matcher(message.topicName());
        if (!topic.matches()) {
            close(endpoint, principal, "publishes to " + message.topicName()
                    + ", not units/{unitId}/position or units/{unitId}/detection");
            return;
        }
        if (++waiting[0] > MAX_WAITING) {
            close(endpoint, principal, "publishes faster than its positions become durable: " + MAX_WAITING
                    + " wait for admission");
            return;
        }
        // Admission before the payload is parsed; while the node or this device is at a bound, the publish waits
        // unacknowledged, and a QoS 1 client stops at its in-flight window.
        admission.acquire(principal.role() == Role.DEVICE ? principal.name() : null, message.payload().length())
                .onSuccess(ticket -> {
                    waiting[0]--;
                    if (endpoint.isConnected()) {
                        store(endpoint, principal, message, topic).onComplete(ar -> ticket.release());
                    } else {
                        ticket.release();
                    }
                });
    }

    private Future<Void> store(MqttEndpoint endpoint, Principal principal, MqttPublishMessage message,
                               Matcher topic) {
        JsonObject item;
        try {
            item = message.payload().toJsonObject();
            item.put("unitId", item.getValue("unitId", topic.group(1)));
        } catch (DecodeException | ClassCastException e) {
            close(endpoint, principal, "sent a payload that is not a JSON object");
            return Future.succeededFuture();
        }
        if (!topic.group(1).equals(item.getValue("unitId"))) {
            close(endpoint, principal, "sent unit " + item.getValue("unitId") + " on the topic of " + topic.group(1));
            return Future.succeededFuture();
        }
        return Future.succeededFuture(item)
                .map(json -> parser.parse(json, 0))
                .compose(position -> submit(principal, List.of(position)))
                .onSuccess(n -> acknowledge(endpoint, message))
                .onFailure(e -> close(endpoint, principal, e instanceof ApiException api ? api.toJson().encode()
                        : "position not stored: " + e.getMessage()))
                .mapEmpty();
    }

    /** The node stops: the positions taken are acknowledged by now (see {@code Drain}), so every client goes. */
    private Future<?> goodbye() {
        for (MqttEndpoint endpoint : List.copyOf(endpoints)) {
            if (!endpoint.isConnected()) {
                continue;
            }
            if (endpoint.protocolVersion() >= 5) {
                endpoint.disconnect(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN, MqttProperties.NO_PROPERTIES);
            } else {
                endpoint.close();
            }
        }
        return Future.succeededFuture();
    }

    /** A sensor's detection (API.md §10): acknowledged once durable, as a position is; the sensor's own topic only. */
    private void detect(MqttEndpoint endpoint, Principal principal, MqttPublishMessage message, String sensorId) {
        Future.succeededFuture(message.payload())
                .map(payload -> {
                    try {
                        return Detection.parse(payload.toJsonObject(), sensorId, parser);
                    } catch (DecodeException | ClassCastException e) {
                        throw ApiException.badRequest("payload is not a JSON object", "body");
                    }
                })
                .compose(found -> sensorId.equals(found.sensorId()) ? detections.store(principal, found)
                        : Future.failedFuture(ApiException.badRequest("sensorId " + found.sensorId()
                            + " on the topic of " + sensorId, "sensorId")))
                .onSuccess(stored -> acknowledge(endpoint, message))
                .onFailure(e -> close(endpoint, principal, e instanceof ApiException api ? api.toJson().encode()
                        : "detection not stored: " + e.getMessage()));
    }

    private static void acknowledge(MqttEndpoint endpoint, MqttPublishMessage message) {
        if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            endpoint.publishAcknowledge(message.messageId());
        } else if (message.qosLevel() == MqttQoS.EXACTLY_ONCE) {
            endpoint.publishReceived(message.messageId());
        }
    }

    /** No acknowledgement: a device that retries after reconnecting re-sends, and duplicates are stored once. */
    private void close(MqttEndpoint endpoint, Principal principal, String reason) {
        logs.warn("MQTT {} ({}) disconnected: {}", LogLimit.clip(endpoint.clientIdentifier()),
                principal == null ? "-" : principal.name(), LogLimit.clip(reason));
        if (endpoint.isConnected()) {
            endpoint.close();
        }
    }

    @Override
    public void positions(List<JsonObject> units) {
        if (subscribers.isEmpty()) {
            return;
        }
        for (JsonObject unit : units) {
            String id = unit.getString("id");
            Buffer payload = new JsonObject().put("unitId", id).put("name", doors.units().name(id))
                    .put("type", unit.getString("type"))
                    .put("time", unit.getString("time")).put("lat", unit.getDouble("lat"))
                    .put("lon", unit.getDouble("lon")).put("speed", unit.getDouble("speed"))
                    .put("heading", unit.getDouble("heading")).put("status", unit.getString("status")).toBuffer();
            String topic = "units/" + id + "/position";
            subscribers.forEach(s -> s.position(id, topic, payload));
        }
    }

    @Override
    public void alert(JsonObject alert) {
        if (subscribers.isEmpty()) {
            return;
        }
        Buffer payload = alert.toBuffer();
        String topic = "alerts/" + alert.getString("type");
        for (MqttSubscriber subscriber : List.copyOf(subscribers)) {
            if (!subscriber.alert(alert, topic, payload)) {
                subscribers.remove(subscriber);
                close(subscriber.endpoint(), null, "stopped reading: " + MqttSubscriber.MAX_QUEUED_ALERTS
                        + " alerts wait for it");
            }
        }
    }

    /** A task for a unit goes to that unit's own subscription (QoS 1), on whichever node it is connected to. */
    @Override
    public void task(JsonObject task) {
        String unitId = task.getString("unitId");
        String topic = tasksTopic(unitId);
        Buffer payload = task.getJsonObject("task").toBuffer();
        for (MqttSubscriber subscriber : List.copyOf(subscribers)) {
            if (unitId.equals(subscriber.principal().unitId())) {
                subscriber.task(topic, payload);
            }
        }
    }
}
