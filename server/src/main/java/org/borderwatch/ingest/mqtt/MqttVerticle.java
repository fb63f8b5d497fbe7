package org.borderwatch.ingest.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
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
import org.borderwatch.auth.OpenConnections;
import org.borderwatch.auth.Principal;
import org.borderwatch.auth.Role;
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
 * another unit's topic closes the connection, with the reason logged; other clients are not affected.
 */
public final class MqttVerticle extends DoorVerticle implements Feed.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(MqttVerticle.class);
    private static final Pattern POSITION_TOPIC = Pattern.compile("units/([^/]+)/position");
    /** A position with its attributes fits many times over; larger packets are refused by the decoder. */
    private static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final long FLUSH_INTERVAL_MS = 100;
    /** Publishes of one connection waiting for admission before it counts as a flood and is closed. */
    static final int MAX_WAITING = 256;

    private final Set<MqttSubscriber> subscribers = new HashSet<>();
    private final LogLimit logs = new LogLimit(LOG, "MQTT", 30);
    private OpenConnections open;
    private AdmissionQueue admission;

    public MqttVerticle(Doors doors) {
        super(doors);
    }

    @Override
    protected Future<?> open() {
        open = OpenConnections.listen(vertx);
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
                    LOG.info("MQTT{} on port {}", doors.config().tls() ? " over TLS" : "", server.actualPort());
                });
    }

    private void connect(MqttEndpoint endpoint) {
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
            Principal principal = ar.result();
            Runnable forget = open.add(principal, null, () -> close(endpoint, principal, "access revoked"));
            MqttSubscriber subscriber = principal.role() == Role.DEVICE ? null
                    : new MqttSubscriber(endpoint, doors.sharing().visibility(principal));
            int[] waiting = {0};
            endpoint.publishHandler(message -> publish(endpoint, principal, message, waiting));
            endpoint.publishReleaseHandler(endpoint::publishComplete);
            endpoint.subscribeHandler(message -> subscribe(subscriber, endpoint, message));
            endpoint.unsubscribeHandler(message -> {
                if (subscriber != null) {
                    message.topics().forEach(subscriber::unsubscribe);
                }
                endpoint.unsubscribeAcknowledge(message.messageId());
            });
            endpoint.closeHandler(v -> {
                subscribers.remove(subscriber);
                forget.run();
            });
            endpoint.accept(false);
        });
    }

    /** Users may subscribe to any well-formed filter (they receive what they may see); devices to nothing yet. */
    private void subscribe(MqttSubscriber subscriber, MqttEndpoint endpoint, MqttSubscribeMessage message) {
        List<MqttQoS> granted = new ArrayList<>();
        for (MqttTopicSubscription subscription : message.topicSubscriptions()) {
            if (subscriber == null || !TopicFilter.valid(subscription.topicName())) {
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
        if (subscriber != null) {
            subscribers.add(subscriber);
        }
    }

    private void publish(MqttEndpoint endpoint, Principal principal, MqttPublishMessage message, int[] waiting) {
        Matcher topic = POSITION_TOPIC.matcher(message.topicName());
        if (!topic.matches()) {
            close(endpoint, principal, "publishes to " + message.topicName() + ", not units/{unitId}/position");
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
                .compose(position -> ingest.submit(principal, List.of(position)))
                .onSuccess(n -> {
                    if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                        endpoint.publishAcknowledge(message.messageId());
                    } else if (message.qosLevel() == MqttQoS.EXACTLY_ONCE) {
                        endpoint.publishReceived(message.messageId());
                    }
                })
                .onFailure(e -> close(endpoint, principal, e instanceof ApiException api ? api.toJson().encode()
                        : "position not stored: " + e.getMessage()))
                .mapEmpty();
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
}
