package org.borderwatch.ingest;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.borderwatch.Fixtures;
import org.borderwatch.RawRequest;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admission control (issue 10): position requests beyond a node's or a device's bounds are refused on their head,
 * before their body is read (503 for the node, 429 for the device, both with {@code Retry-After} and a reason), and
 * the doors that cannot refuse (MQTT, CoT) hold the work back until there is room, losing nothing.
 */
class AdmissionIT {

    private TestNode node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private static String fixJson(String unit, int second) {
        return new JsonArray().add(Fixtures.fix(unit, Instant.now().minusSeconds(600 - second)
                .truncatedTo(ChronoUnit.MILLIS).toString(), 31.7, -106.4)).encode();
    }

    /** A position request whose head and first half of body are sent; the rest waits for {@link #finish}. */
    private RawRequest held(int port, String path, String token, String body) throws Exception {
        return held(port, path, token, "application/json", body);
    }

    private RawRequest held(int port, String path, String token, String contentType, String body) throws Exception {
        int half = body.length() / 2;
        RawRequest request = RawRequest.open(port, "POST", path, token, contentType,
                body.getBytes(StandardCharsets.UTF_8).length, body.substring(0, half));
        awaitMetric("bw_admission_inflight_requests", 1);
        return request;
    }

    private static RawRequest.Response finish(RawRequest request, String body) throws Exception {
        request.send(body.substring(body.length() / 2));
        return request.response();
    }

    private void awaitMetric(String name, long value) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!metrics().contains("\n" + name + " " + value + "\n")) {
            assertThat(System.currentTimeMillis()).as("%s reaches %d", name, value).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private String metrics() throws Exception {
        return TestNode.await(node.http.get("/metrics").send()).bodyAsString();
    }

    private long stored() throws Exception {
        return node.count("SELECT count(*) FROM positions");
    }

    @Test
    void aNodeAtItsRequestBoundAnswers503BeforeTheBodyIsSent() throws Exception {
        node = TestNode.fresh(Map.of("BW_MAX_INFLIGHT_REQUESTS", "1"));
        node.createUnit("UAV-01", "drone");
        String token = node.adminToken();
        String first = fixJson("UAV-01", 1);
        RawRequest inFlight = held(node.port, "/api/v1/positions", token, first);

        // Declares a megabyte and sends none of it: the answer cannot have waited for the body.
        try (RawRequest refused = RawRequest.open(node.port, "POST", "/api/v1/positions", token, 1_000_000, "")) {
            RawRequest.Response response = refused.response();

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.headers()).containsEntry("retry-after", "1");
            JsonObject body = new JsonObject(response.body());
            assertThat(body.getString("reason")).isEqualTo("node-requests");
            assertThat(body.getString("error")).contains("in flight");
        }

        assertThat(finish(inFlight, first).status()).isEqualTo(202);
        inFlight.close();
        HttpResponse<Buffer> next = node.post("/api/v1/positions", token, new JsonArray(fixJson("UAV-01", 2)));
        assertThat(next.statusCode()).as("the slot is free again once answered").isEqualTo(202);
        assertThat(stored()).isEqualTo(2);
        assertThat(metrics()).contains("\nbw_admission_refused_node_total 1\n", "\nbw_admission_inflight_requests 0\n");
    }

    @Test
    void aDeviceAtItsBoundGets429WhileOtherDevicesGoOn() throws Exception {
        node = TestNode.fresh(Map.of("BW_DEVICE_MAX_INFLIGHT_REQUESTS", "1"));
        String busy = node.createUnit("UAV-01", "drone");
        String other = node.createUnit("UAV-02", "drone");
        String first = fixJson("UAV-01", 1);
        RawRequest inFlight = held(node.port, "/api/v1/positions", busy, first);

        try (RawRequest refused = RawRequest.open(node.port, "POST", "/api/v1/positions", busy, 1_000_000, "")) {
            RawRequest.Response response = refused.response();

            assertThat(response.status()).isEqualTo(429);
            assertThat(response.headers()).containsEntry("retry-after", "1");
            assertThat(new JsonObject(response.body()).getString("reason")).isEqualTo("device-requests");
        }
        assertThat(node.post("/api/v1/positions", other, new JsonArray(fixJson("UAV-02", 1))).statusCode())
                .as("another device is not held up").isEqualTo(202);

        assertThat(finish(inFlight, first).status()).isEqualTo(202);
        inFlight.close();
        assertThat(node.post("/api/v1/positions", busy, new JsonArray(fixJson("UAV-01", 2))).statusCode())
                .isEqualTo(202);
        assertThat(stored()).isEqualTo(3);
        assertThat(metrics()).contains("\nbw_admission_refused_device_total 1\n");
    }

    @Test
    void aFullCommitQueueAnswers503BeforeTheBodyIsSent() throws Exception {
        node = TestNode.fresh(Map.of("BW_QUEUE_MAX", "0"));
        node.createUnit("UAV-01", "drone");

        try (RawRequest refused = RawRequest.open(node.port, "POST", "/api/v1/positions", node.adminToken(),
                1_000_000, "")) {
            RawRequest.Response response = refused.response();

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.headers()).containsEntry("retry-after", "1");
            assertThat(new JsonObject(response.body()).getString("reason")).isEqualTo("commit-queue");
        }
        assertThat(stored()).isZero();
    }

    @Test
    void aRefusedRequestLeavesItsConnectionUsable() throws Exception {
        node = TestNode.fresh(Map.of("BW_MAX_INFLIGHT_REQUESTS", "1"));
        node.createUnit("UAV-01", "drone");
        String token = node.adminToken();
        String first = fixJson("UAV-01", 1);
        RawRequest inFlight = held(node.port, "/api/v1/positions", token, first);
        String second = fixJson("UAV-01", 2);

        try (RawRequest refused = RawRequest.open(node.port, "POST", "/api/v1/positions", token,
                second.getBytes(StandardCharsets.UTF_8).length, second)) {
            assertThat(refused.response().status()).isEqualTo(503);
            assertThat(finish(inFlight, first).status()).isEqualTo(202);
            // The refused body was read and dropped: the same connection takes the next request.
            refused.send("POST /api/v1/positions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + second.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + second);
            assertThat(refused.response().status()).isEqualTo(202);
        }
        inFlight.close();
        assertThat(stored()).isEqualTo(2);
    }

    @Test
    void offLetsEverythingIn() throws Exception {
        node = TestNode.fresh(Map.of("BW_ADMISSION", "off", "BW_MAX_INFLIGHT_REQUESTS", "1"));
        node.createUnit("UAV-01", "drone");
        String token = node.adminToken();
        String first = fixJson("UAV-01", 1);
        try (RawRequest inFlight = RawRequest.open(node.port, "POST", "/api/v1/positions", token,
                first.getBytes(StandardCharsets.UTF_8).length, first.substring(0, first.length() / 2))) {
            awaitMetric("bw_admission_inflight_requests", 1);

            assertThat(node.post("/api/v1/positions", token, new JsonArray(fixJson("UAV-01", 2))).statusCode())
                    .isEqualTo(202);
            assertThat(finish(inFlight, first).status()).isEqualTo(202);
        }
    }

    @Test
    void osmAndRefusesADeviceAtItsBoundWith429() throws Exception {
        int osmand = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_OSMAND_PORT", String.valueOf(osmand), "BW_DEVICE_MAX_INFLIGHT_REQUESTS",
                "1"));
        String key = node.createUnit("UAV-01", "drone");
        String form = "lat=31.7&lon=-106.4&timestamp=" + Instant.now().minusSeconds(60).getEpochSecond();
        RawRequest inFlight = held(osmand, "/?id=" + key, null, "application/x-www-form-urlencoded", form);

        HttpResponse<Buffer> refused = TestNode.await(node.http.get(osmand, "127.0.0.1", "/?id=" + key
                + "&lat=31.7&lon=-106.4").send());

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.bodyAsJsonObject().getString("reason")).isEqualTo("device-requests");
        assertThat(finish(inFlight, form).status()).isEqualTo(200);
        inFlight.close();
        assertThat(stored()).isEqualTo(1);
    }

    @Test
    void mqttPublishesWaitUnacknowledgedWhileTheNodeIsFullAndNoneIsLost() throws Exception {
        int mqtt = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_MQTT_PORT", String.valueOf(mqtt), "BW_MAX_INFLIGHT_REQUESTS", "1"));
        String key = node.createUnit("UAV-01", "drone");
        node.createUnit("UAV-02", "drone");
        String http = fixJson("UAV-02", 1);
        RawRequest inFlight = held(node.port, "/api/v1/positions", node.adminToken(), http);
        MqttClient client = MqttClient.create(node.vertx, new MqttClientOptions().setUsername("UAV-01")
                .setPassword(key).setClientId("uav-01").setMaxInflightQueue(100));
        TestNode.await(client.connect(mqtt, "127.0.0.1"));
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        client.publishCompletionHandler(acknowledged::add);
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(TestNode.await(client.publish("units/UAV-01/position", new JsonObject()
                    .put("time", Instant.now().minusSeconds(100 - i).truncatedTo(ChronoUnit.MILLIS).toString())
                    .put("lat", 31.5).put("lon", -106.1).toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false)));
        }

        Thread.sleep(500);
        assertThat(acknowledged).as("nothing acknowledged while the node is at its bound").isEmpty();
        assertThat(stored()).isZero();
        assertThat(client.isConnected()).isTrue();

        assertThat(finish(inFlight, http).status()).isEqualTo(202);
        inFlight.close();
        long deadline = System.currentTimeMillis() + 10_000;
        while (acknowledged.size() < sent.size() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(acknowledged).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'UAV-01'")).isEqualTo(20);
        TestNode.await(client.disconnect());
    }

    @Test
    void mqttPublishesOfADeviceAtItsBoundWaitTheirTurn() throws Exception {
        int mqtt = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_MQTT_PORT", String.valueOf(mqtt), "BW_DEVICE_MAX_INFLIGHT_REQUESTS", "1"));
        String key = node.createUnit("UAV-01", "drone");
        MqttClient client = MqttClient.create(node.vertx, new MqttClientOptions().setUsername("UAV-01")
                .setPassword(key).setClientId("uav-01").setMaxInflightQueue(100));
        TestNode.await(client.connect(mqtt, "127.0.0.1"));
        Promise<Void> all = Promise.promise();
        int[] acks = {0};
        client.publishCompletionHandler(id -> {
            if (++acks[0] == 50) {
                all.tryComplete();
            }
        });
        for (int i = 0; i < 50; i++) {
            client.publish("units/UAV-01/position", new JsonObject()
                    .put("time", Instant.now().minusSeconds(100 - i).truncatedTo(ChronoUnit.MILLIS).toString())
                    .put("lat", 31.5).put("lon", -106.1).toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false);
        }

        TestNode.await(all.future());
        assertThat(stored()).isEqualTo(50);
        assertThat(client.isConnected()).isTrue();
        TestNode.await(client.disconnect());
    }

    @Test
    void cotEventsWaitWhileTheNodeIsFullAndNoneIsLost() throws Exception {
        int cot = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_COT_PORT", String.valueOf(cot), "BW_MAX_INFLIGHT_REQUESTS", "1"));
        String key = node.createUnit("UAV-01", "drone");
        node.createUnit("UAV-02", "drone");
        String http = fixJson("UAV-02", 1);
        RawRequest inFlight = held(node.port, "/api/v1/positions", node.adminToken(), http);
        NetSocket socket = TestNode.await(node.vertx.createNetClient().connect(cot, "127.0.0.1"));
        StringBuilder events = new StringBuilder();
        Instant t = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < 10; i++) {
            Instant time = t.plusSeconds(i);
            events.append("<event version=\"2.0\" uid=\"").append(key).append("\" type=\"a-f-A-M-F-Q\" how=\"m-g\" ")
                    .append("time=\"").append(time).append("\" start=\"").append(time).append("\" stale=\"")
                    .append(time.plusSeconds(60)).append("\"><point lat=\"31.1\" lon=\"-106.1\" hae=\"0\" ce=\"9\" ")
                    .append("le=\"9\"/><detail/></event>\n");
        }
        TestNode.await(socket.write(events.toString()));

        Thread.sleep(500);
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'UAV-01'"))
                .as("nothing stored while the node is at its bound").isZero();

        assertThat(finish(inFlight, http).status()).isEqualTo(202);
        inFlight.close();
        assertThat(node.awaitCount(10, "SELECT count(*) FROM positions WHERE unit_id = 'UAV-01'")).isEqualTo(10);
        TestNode.await(socket.close());
    }
}
