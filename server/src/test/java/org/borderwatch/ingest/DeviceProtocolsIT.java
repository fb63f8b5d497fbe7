package org.borderwatch.ingest;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.sqlclient.Row;
import org.borderwatch.TestNode;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The device front doors with real clients: OsmAnd over HTTP, MQTT, Cursor-on-Target over TCP and UDP. */
class DeviceProtocolsIT {

    private TestNode node;
    private int mqttPort;
    private int osmandPort;
    private int cotPort;
    private String key;

    @BeforeEach
    void start() throws Exception {
        mqttPort = TestNode.freePort();
        osmandPort = TestNode.freePort();
        cotPort = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_MQTT_PORT", String.valueOf(mqttPort),
                "BW_OSMAND_PORT", String.valueOf(osmandPort), "BW_COT_PORT", String.valueOf(cotPort)));
        key = node.createUnit("UAV-01", "drone");
        node.createUnit("UAV-02", "drone");
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private long stored() throws Exception {
        return node.count("SELECT count(*) FROM positions");
    }

    @Test
    void osmAndAsTraccarClientSendsIt() throws Exception {
        long timestamp = Instant.now().minusSeconds(30).getEpochSecond();
        HttpResponse<Buffer> get = TestNode.await(node.http.get(osmandPort, "127.0.0.1", "/?id=" + key
                + "&timestamp=" + timestamp + "&lat=31.7601&lon=-106.4502&speed=10&bearing=271.5&altitude=1140"
                + "&accuracy=6&batt=87.5").send());
        HttpResponse<Buffer> post = TestNode.await(node.http.post(osmandPort, "127.0.0.1", "/")
                .sendForm(MultiMap.caseInsensitiveMultiMap().add("id", key)
                        .add("timestamp", String.valueOf(timestamp + 1)).add("lat", "31.7602")
                        .add("lon", "-106.4503")));
        HttpResponse<Buffer> badLat = TestNode.await(node.http.get(osmandPort, "127.0.0.1", "/?id=" + key
                + "&timestamp=" + (timestamp + 2) + "&lat=91&lon=-106.45").send());
        HttpResponse<Buffer> unknown = TestNode.await(node.http.get(osmandPort, "127.0.0.1",
                "/?id=bwk_nope&lat=31&lon=-106").send());

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(badLat.statusCode()).isEqualTo(400);
        assertThat(badLat.bodyAsString()).contains("\"field\":\"lat\"");
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(stored()).isEqualTo(2);
        Row row = node.sql("SELECT speed, heading, alt, accuracy, battery, time FROM positions ORDER BY time LIMIT 1")
                .iterator().next();
        assertThat(row.getDouble("speed")).isCloseTo(5.1444, Offset.offset(0.001));
        assertThat(row.getDouble("heading")).isEqualTo(271.5);
        assertThat(row.getDouble("alt")).isEqualTo(1140.0);
        assertThat(row.getDouble("battery")).isEqualTo(87.5);
        assertThat(row.getOffsetDateTime("time").toInstant()).isEqualTo(Instant.ofEpochSecond(timestamp));
    }

    @Test
    void anOsmAndTimestampOutsideWhatATimeCanHoldIsBadInput() throws Exception {
        for (String timestamp : new String[] {"-9223372036854775808", "99999999999999999", "9223372036854775807",
                "-99999999999"}) {
            HttpResponse<Buffer> response = TestNode.await(node.http.get(osmandPort, "127.0.0.1", "/?id=" + key
                    + "&timestamp=" + timestamp + "&lat=31.7601&lon=-106.4502").send());

            assertThat(response.statusCode()).as(timestamp + ": " + response.bodyAsString()).isEqualTo(400);
            assertThat(response.bodyAsString()).contains("\"field\":\"time\"");
        }
        assertThat(stored()).isZero();
    }

    @Test
    void mqttAcknowledgesQosOneOnlyOnceThePositionIsDurable() throws Exception {
        MqttClient client = MqttClient.create(node.vertx, new MqttClientOptions().setUsername("UAV-01")
                .setPassword(key).setClientId("uav-01"));
        TestNode.await(client.connect(mqttPort, "127.0.0.1"));
        JsonObject position = new JsonObject().put("time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())
                .put("lat", 31.5).put("lon", -106.1).put("speed", 20.0);

        Promise<Integer> acknowledged = Promise.promise();
        client.publishCompletionHandler(acknowledged::tryComplete);
        int messageId = TestNode.await(client.publish("units/UAV-01/position", position.toBuffer(),
                MqttQoS.AT_LEAST_ONCE, false, false));

        assertThat(TestNode.await(acknowledged.future())).isEqualTo(messageId);
        assertThat(stored()).as("stored by the time PUBACK arrived").isEqualTo(1);

        Promise<Void> closed = Promise.promise();
        client.closeHandler(v -> closed.tryComplete());
        client.publish("units/UAV-02/position", position.toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false);
        TestNode.await(closed.future());
        assertThat(stored()).isEqualTo(1);

        MqttClient intruder = MqttClient.create(node.vertx, new MqttClientOptions().setUsername("UAV-01")
                .setPassword("bwk_guess").setClientId("intruder"));
        assertThatThrownBy(() -> TestNode.await(intruder.connect(mqttPort, "127.0.0.1")));
    }

    private String event(String uid, Instant time, double lat, double lon) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<event version=\"2.0\" uid=\"" + uid + "\" type=\"a-f-A-M-F-Q\" how=\"m-g\" time=\"" + time
                + "\" start=\"" + time + "\" stale=\"" + time.plusSeconds(60) + "\">"
                + "<point lat=\"" + lat + "\" lon=\"" + lon + "\" hae=\"1200.5\" ce=\"9.9\" le=\"9999999.0\"/>"
                + "<detail><track course=\"45.0\" speed=\"33.4\"/></detail></event>";
    }

    @Test
    void cotEventsOverTcpAndUdp() throws Exception {
        Instant t = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        String two = event(key, t, 31.1, -106.1) + "\n" + event(key, t.plusSeconds(1), 31.2, -106.2);
        NetSocket socket = TestNode.await(node.vertx.createNetClient().connect(cotPort, "127.0.0.1"));
        // Split mid-event, as TCP may deliver it.
        TestNode.await(socket.write(two.substring(0, 100)));
        TestNode.await(socket.write(two.substring(100)));
        TestNode.await(node.vertx.createDatagramSocket()
                .send(Buffer.buffer(event(key, t.plusSeconds(2), 31.3, -106.3)), cotPort, "127.0.0.1"));

        long deadline = System.currentTimeMillis() + 10_000;
        while (stored() < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }

        assertThat(stored()).isEqualTo(3);
        Row row = node.sql("SELECT ST_Y(geom) AS lat, alt, accuracy, heading, speed, attributes->>'cotType' AS type "
                + "FROM positions ORDER BY time LIMIT 1").iterator().next();
        assertThat(row.getDouble("lat")).isEqualTo(31.1);
        assertThat(row.getDouble("alt")).isEqualTo(1200.5);
        assertThat(row.getDouble("accuracy")).isEqualTo(9.9);
        assertThat(row.getDouble("heading")).isEqualTo(45.0);
        assertThat(row.getDouble("speed")).isEqualTo(33.4);
        assertThat(row.getString("type")).isEqualTo("a-f-A-M-F-Q");

        Promise<Void> closed = Promise.promise();
        socket.closeHandler(v -> closed.tryComplete());
        TestNode.await(socket.write("<event uid=\"" + key + "\"><point lat=\"north\" lon=\"1\"/></event>"));
        TestNode.await(closed.future().timeout(10, TimeUnit.SECONDS));
        assertThat(stored()).isEqualTo(3);
    }
}
