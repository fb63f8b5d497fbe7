package org.borderwatch.ingest.mqtt;

import io.vertx.core.json.JsonObject;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT both ways with Debian's mosquitto clients: devices publish, the watch floor subscribes. */
class MqttIT {

    private TestNode node;
    private int port;
    private String key;
    private Instant t;

    @BeforeEach
    void start() throws Exception {
        port = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_MQTT_PORT", String.valueOf(port)));
        key = node.createUnit("UAV-01", "drone");
        node.createUnit("UAV-02", "drone");
        node.createUser("floor-1", "watch-floor-password", "viewer");
        t = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private String fix(Instant time, double lat, double lon) {
        return new JsonObject().put("time", time.toString()).put("lat", lat).put("lon", lon).put("speed", 20.5)
                .put("attributes", new JsonObject().put("link", "LTE")).encode();
    }

    @Test
    void mosquittoPubWithQosOneIsStoredByTheTimeItExits() throws Exception {
        Mosquitto.Result result = Mosquitto.pub(port, "UAV-01", key, 1, "units/UAV-01/position",
                fix(t, 31.5, -106.1));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'UAV-01' "
                + "AND attributes->>'link' = 'LTE'")).isEqualTo(1);
    }

    @Test
    void aWrongPasswordOrAForeignTopicIsRefusedAndStoresNothing() throws Exception {
        Mosquitto.Result wrong = Mosquitto.pub(port, "UAV-01", "bwk_guess", 1, "units/UAV-01/position",
                fix(t, 31.5, -106.1));
        Mosquitto.Result viewerPublishes = Mosquitto.pub(port, "floor-1", "wrong-password", 1,
                "units/UAV-01/position", fix(t, 31.5, -106.1));
        Mosquitto.Result foreign = Mosquitto.pub(port, "UAV-01", key, 1, "units/UAV-02/position",
                fix(t, 31.5, -106.1));

        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.output()).containsIgnoringCase("refused");
        assertThat(viewerPublishes.exitCode()).isNotZero();
        // The server closes the connection without a PUBACK; mosquitto_pub reports the lost connection.
        assertThat(foreign.output()).as("exit %d", foreign.exitCode()).isNotBlank();
        assertThat(node.count("SELECT count(*) FROM positions")).isZero();
    }

    @Test
    void aViewerSubscribedToAlertsAndPositionsGetsBothAtQosOne() throws Exception {
        node.createFence(Fixtures.square("El Paso POE"));
        try (Mosquitto floor = Mosquitto.sub(port, "floor-1", "watch-floor-password", 1, "alerts/#",
                "units/+/position").subscribed()) {
            assertThat(floor.lines()).anyMatch(line -> line.contains("granted qos") || line.contains("SUBACK"));
            Mosquitto.pub(port, "UAV-01", key, 1, "units/UAV-01/position", fix(t, 31.65, -106.45));
            Mosquitto.pub(port, "UAV-01", key, 1, "units/UAV-01/position", fix(t.plusSeconds(1), 31.75, -106.45));

            String alert = floor.await(line -> line.startsWith("alerts/enter "), "an enter alert");
            JsonObject payload = new JsonObject(alert.substring("alerts/enter ".length()));
            assertThat(payload.getString("unitId")).isEqualTo("UAV-01");
            assertThat(payload.getString("geofenceName")).isEqualTo("El Paso POE");
            String position = floor.await(line -> line.startsWith("units/UAV-01/position ")
                    && line.contains("31.75"), "the position inside");
            JsonObject unit = new JsonObject(position.substring("units/UAV-01/position ".length()));
            assertThat(unit.getString("type")).isEqualTo("drone");
            assertThat(unit.getDouble("speed")).isEqualTo(20.5);
            assertThat(floor.lines()).as("QoS 1 deliveries are acknowledged by the client")
                    .anyMatch(line -> line.contains("received PUBLISH (d0, q1"))
                    .anyMatch(line -> line.toLowerCase().contains("sending puback"));
        }
        assertThat(node.count("SELECT count(*) FROM alerts WHERE unit_id = 'UAV-01'")).isEqualTo(1);
    }

    @Test
    void aDeviceMayNotSubscribeToTheFloorsAlerts() throws Exception {
        try (Mosquitto device = Mosquitto.sub(port, "UAV-01", key, 1, "alerts/#")) {
            device.await(line -> line.contains("denied") || line.contains("128"), "a refused subscription");
        }
    }
}
