package org.borderwatch.ingest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.borderwatch.ingest.cot.CotSamples;
import org.borderwatch.ingest.cot.TakClient;
import org.borderwatch.ingest.mqtt.Mosquitto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.ingest.cot.TakClient.child;
import static org.borderwatch.ingest.cot.TakClient.type;
import static org.borderwatch.ingest.cot.TakClient.uid;

/**
 * Every front door (HTTP, OsmAnd, MQTT, CoT over TCP and UDP) feeds the one picture: each door's unit crosses into a
 * fence, and the map's WebSocket, a TAK client and an MQTT subscriber all see it move and get exactly one alert, even
 * when the device sends the crossing fix twice.
 */
class FrontDoorsIT {

    private static final double OUTSIDE = 31.65;
    private static final double INSIDE = 31.75;
    private static final double LON = -106.45;

    private TestNode node;
    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, String> keys = new HashMap<>();
    private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    private Instant t;

    @BeforeEach
    void start() throws Exception {
        for (String door : List.of("BW_MQTT_PORT", "BW_OSMAND_PORT", "BW_COT_PORT")) {
            ports.put(door, TestNode.freePort());
        }
        Map<String, String> env = new HashMap<>();
        ports.forEach((name, port) -> env.put(name, String.valueOf(port)));
        node = TestNode.fresh(env);
        for (String unit : List.of("HTTP-1", "OSMAND-1", "MQTT-1", "COT-1", "UDP-1")) {
            keys.put(unit, node.createUnit(unit, "vehicle"));
        }
        node.createUser("floor-1", "watch-floor-password", "viewer");
        node.createFence(Fixtures.square("El Paso POE"));
        t = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void everyDoorsCrossingReachesTheMapTakAndMqttWithExactlyOneAlert() throws Exception {
        String floorToken = node.login("floor-1", "watch-floor-password");
        WebSocket map = node.socket("/ws/live?access_token=" + floorToken, text -> frames.add(new JsonObject(text)));
        int mqtt = ports.get("BW_MQTT_PORT");
        int cot = ports.get("BW_COT_PORT");
        try (TakClient tak = TakClient.connect(node.vertx, cot);
             Mosquitto sub = Mosquitto.sub(mqtt, "floor-1", "watch-floor-password", 1, "alerts/#",
                     "units/+/position").subscribed();
             TakClient device = TakClient.connect(node.vertx, cot)) {
            tak.auth("floor-1", "watch-floor-password", "WINTAK-FLOOR");
            device.auth("COT-1", keys.get("COT-1"), "ANDROID-COT-1");
            // Signing in checks a password off the event loop: wait until both TAK clients are in, and the map
            // has its first picture, before anything moves.
            long deadline = System.currentTimeMillis() + 10_000;
            while (!node.get("/metrics", floorToken).bodyAsString().contains("bw_cot_clients 2")) {
                assertThat(System.currentTimeMillis()).as("TAK clients signed in").isLessThan(deadline);
                Thread.sleep(20);
            }
            awaitFrame(frame -> "snapshot".equals(frame.getString("type")), "the map's snapshot");
            for (int i = 0; i < 3; i++) {
                // outside, inside, and the inside fix again (a device retrying): one crossing
                Instant time = t.plusSeconds(Math.min(i, 1));
                double lat = i == 0 ? OUTSIDE : INSIDE;
                http(time, lat);
                osmAnd(time, lat);
                assertThat(Mosquitto.pub(mqtt, "MQTT-1", keys.get("MQTT-1"), 1, "units/MQTT-1/position",
                        Fixtures.fix("MQTT-1", time.toString(), lat, LON).encode()).exitCode()).isZero();
                device.send(cot("ANDROID-COT-1", time, lat));
                TestNode.await(node.vertx.createDatagramSocket().send(Buffer.buffer(cot(keys.get("UDP-1"), time,
                        lat)), cot, "127.0.0.1"));
                for (String unit : keys.keySet()) {
                    assertThat(node.awaitCount(Math.min(i, 1) + 1,
                            "SELECT count(*) FROM positions WHERE unit_id = $1", unit)).as(unit).isEqualTo(
                            Math.min(i, 1) + 1);
                }
            }

            for (String unit : keys.keySet()) {
                tak.await(uid(unit).and(e -> String.valueOf(INSIDE).equals(child(e, "point").getAttribute("lat"))),
                        unit + " inside, on the TAK feed");
                tak.await(type("b-a-g").and(e -> unit.equals(child(e, "link").getAttribute("uid"))),
                        unit + "'s alarm on the TAK feed");
                sub.await(line -> line.startsWith("units/" + unit + "/position ") && line.contains("31.75"),
                        unit + " inside, over MQTT");
                sub.await(line -> line.startsWith("alerts/enter ") && line.contains("\"" + unit + "\""),
                        unit + "'s alert over MQTT");
                awaitFrame(frame -> "positions".equals(frame.getString("type"))
                        && frame.getJsonArray("units").stream().map(JsonObject.class::cast).anyMatch(u ->
                        unit.equals(u.getString("id")) && u.getDouble("lat") == INSIDE), unit + " on the map");
                awaitFrame(frame -> "alert".equals(frame.getString("type"))
                        && unit.equals(frame.getJsonObject("alert").getString("unitId")), unit + "'s alert on the map");
                assertThat(node.alertTypes(unit)).as(unit).containsExactly("enter");
            }
            Thread.sleep(300); // a duplicate alert would arrive within a frame or two
            for (String unit : keys.keySet()) {
                assertThat(sub.lines().stream().filter(line -> line.startsWith("alerts/")
                        && line.contains("\"" + unit + "\""))).as(unit).hasSize(1);
                assertThat(tak.seen().stream().filter(type("b-a-g").and(e -> unit.equals(child(e, "link")
                        .getAttribute("uid"))))).as(unit).hasSize(1);
            }
        } finally {
            TestNode.await(map.close());
        }
    }

    private void http(Instant time, double lat) throws Exception {
        assertThat(node.post("/api/v1/positions", keys.get("HTTP-1"), Fixtures.fix("HTTP-1", time.toString(), lat,
                LON)).statusCode()).isEqualTo(202);
    }

    private void osmAnd(Instant time, double lat) throws Exception {
        assertThat(TestNode.await(node.http.get(ports.get("BW_OSMAND_PORT"), "127.0.0.1", "/?id="
                + keys.get("OSMAND-1") + "&timestamp=" + time.getEpochSecond() + "&lat=" + lat + "&lon=" + LON)
                .send()).statusCode()).isEqualTo(200);
    }

    private static String cot(String uid, Instant time, double lat) {
        return CotSamples.withUid(CotSamples.sample("atak-sa", time), uid)
                .replace("lat='31.7601'", "lat='" + lat + "'").replace("lon='-106.4502'", "lon='" + LON + "'");
    }

    private void awaitFrame(java.util.function.Predicate<JsonObject> wanted, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (frames.stream().anyMatch(wanted)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + what + " within 10 s");
    }
}
