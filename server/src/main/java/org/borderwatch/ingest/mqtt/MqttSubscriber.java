package org.borderwatch.ingest.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import org.borderwatch.auth.Principal;
import org.borderwatch.auth.Visibility;
import org.borderwatch.feed.Outbox;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The feed to one signed-in MQTT user: live positions on {@code units/{id}/position} and alerts on
 * {@code alerts/{type}}, for the topic filters it subscribed to and the units it may see. At most
 * {@link #WINDOW} messages are unacknowledged (QoS 1) or unwritten (QoS 0) at a time; the rest waits in an
 * {@link Outbox}, positions coalesced per unit, alerts bounded, so a slow subscriber never slows anyone else.
 */
final class MqttSubscriber {

    /** In-flight messages per subscriber, as mosquitto's max_inflight_messages. */
    static final int WINDOW = 20;
    /** Alerts waiting for a subscriber that does not acknowledge; beyond this it is disconnected. */
    static final int MAX_QUEUED_ALERTS = 1000;

    record Delivery(String topic, Buffer payload, MqttQoS qos) {
    }

    private final MqttEndpoint endpoint;
    private final Visibility visibility;
    private final Map<String, MqttQoS> filters = new LinkedHashMap<>();
    private final Outbox<Delivery> outbox = new Outbox<>(MAX_QUEUED_ALERTS);
    private final Set<Integer> unacknowledged = new HashSet<>();
    private int unwritten;

    MqttSubscriber(MqttEndpoint endpoint, Visibility visibility) {
        this.endpoint = endpoint;
        this.visibility = visibility;
        endpoint.publishAcknowledgeHandler(id -> {
            if (unacknowledged.remove(id)) {
                flush();
            }
        });
    }

    MqttEndpoint endpoint() {
        return endpoint;
    }

    Principal principal() {
        return visibility.principal();
    }

    /** A task for the subscriber's own unit, if it subscribed to its tasks topic; kept like an alert. */
    void task(String topic, Buffer payload) {
        MqttQoS qos = qos(topic);
        if (qos != null && outbox.message(new Delivery(topic, payload, qos))) {
            flush();
        }
    }

    void subscribe(String filter, MqttQoS qos) {
        filters.put(filter, qos);
    }

    void unsubscribe(String filter) {
        filters.remove(filter);
    }

    /** The QoS of the best filter matching {@code topic}, or null when none does. */
    private MqttQoS qos(String topic) {
        MqttQoS best = null;
        for (Map.Entry<String, MqttQoS> entry : filters.entrySet()) {
            if (TopicFilter.matches(entry.getKey(), topic)
                    && (best == null || entry.getValue().value() > best.value())) {
                best = entry.getValue();
            }
        }
        return best;
    }

    void position(String unitId, String topic, Buffer payload) {
        MqttQoS qos = visibility.seesUnit(unitId) ? qos(topic) : null;
        if (qos != null) {
            outbox.position(unitId, new Delivery(topic, payload, qos));
        }
    }

    /** False when the subscriber has stopped reading and must be disconnected. */
    boolean alert(JsonObject alert, String topic, Buffer payload) {
        MqttQoS qos = visibility.seesAlert(alert) ? qos(topic) : null;
        if (qos == null) {
            return true;
        }
        JsonObject readable = visibility.redact(alert);
        return outbox.message(new Delivery(topic, readable == alert ? payload : readable.toBuffer(), qos));
    }

    void flush() {
        Delivery next;
        while (endpoint.isConnected() && unacknowledged.size() + unwritten < WINDOW
                && (next = outbox.poll()) != null) {
            unwritten++;
            endpoint.publish(next.topic(), next.payload(), next.qos(), false, false).onComplete(ar -> {
                unwritten--;
                flush();
            });
            if (next.qos() == MqttQoS.AT_LEAST_ONCE) {
                // The id is taken as publish() is called, so a PUBACK can never arrive before it is known.
                unacknowledged.add(endpoint.lastMessageId());
            }
        }
    }
}
