package org.borderwatch.ingest;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.messages.MqttPublishMessage;
import org.borderwatch.auth.DeviceKeys;
import org.borderwatch.auth.Principal;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.http.ApiException;
import org.borderwatch.track.UnitRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MQTT ingest: a device connects with its device key as password and publishes a position object to
 * {@code units/{unitId}/position}. QoS 1 is acknowledged (PUBACK) only once the position is durable, QoS 2 likewise
 * (PUBREC). Bad input or another unit's topic closes the connection, with the reason logged; other devices are not
 * affected.
 */
public final class MqttVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(MqttVerticle.class);
    private static final Pattern TOPIC = Pattern.compile("units/([^/]+)/position");

    private final int port;
    private final UnitRegistry units;
    private final ClusterView cluster;
    private final PositionParser parser = new PositionParser(Clock.systemUTC());
    private PositionIngest ingest;
    private MqttServer server;

    public MqttVerticle(int port, UnitRegistry units, ClusterView cluster) {
        this.port = port;
        this.units = units;
        this.cluster = cluster;
    }

    @Override
    public Future<?> start() {
        ingest = new PositionIngest(vertx, units, cluster);
        return MqttServer.create(vertx)
                .endpointHandler(this::connect)
                .listen(port)
                .onSuccess(s -> {
                    server = s;
                    LOG.info("MQTT on port {}", s.actualPort());
                });
    }

    private void connect(MqttEndpoint endpoint) {
        String key = endpoint.auth() == null ? null : endpoint.auth().getPassword();
        DeviceKeys.principal(units, key).onComplete(ar -> {
            if (ar.failed()) {
                LOG.info("MQTT client {} refused: {}", endpoint.clientIdentifier(), ar.cause().getMessage());
                endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
                return;
            }
            Principal device = ar.result();
            endpoint.publishHandler(message -> publish(endpoint, device, message));
            endpoint.publishReleaseHandler(endpoint::publishComplete);
            endpoint.accept(false);
        });
    }

    private void publish(MqttEndpoint endpoint, Principal device, MqttPublishMessage message) {
        Matcher topic = TOPIC.matcher(message.topicName());
        if (!topic.matches()) {
            close(endpoint, device, "publishes to " + message.topicName() + ", not units/{unitId}/position");
            return;
        }
        JsonObject item;
        try {
            item = message.payload().toJsonObject();
            item.put("unitId", item.getValue("unitId", topic.group(1)));
        } catch (DecodeException | ClassCastException e) {
            close(endpoint, device, "sent a payload that is not a JSON object");
            return;
        }
        if (!topic.group(1).equals(item.getValue("unitId"))) {
            close(endpoint, device, "sent unit " + item.getValue("unitId") + " on the topic of " + topic.group(1));
            return;
        }
        Future.succeededFuture(item)
                .map(json -> parser.parse(json, 0))
                .compose(position -> ingest.submit(device, List.of(position)))
                .onSuccess(n -> {
                    if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                        endpoint.publishAcknowledge(message.messageId());
                    } else if (message.qosLevel() == MqttQoS.EXACTLY_ONCE) {
                        endpoint.publishReceived(message.messageId());
                    }
                })
                .onFailure(e -> close(endpoint, device, e instanceof ApiException api ? api.toJson().encode()
                        : "position not stored: " + e.getMessage()));
    }

    /** No acknowledgement: a device that retries after reconnecting re-sends, and duplicates are stored once. */
    private static void close(MqttEndpoint endpoint, Principal device, String reason) {
        LOG.warn("MQTT {} ({}) disconnected: {}", endpoint.clientIdentifier(), device.name(), reason);
        if (endpoint.isConnected()) {
            endpoint.close();
        }
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
