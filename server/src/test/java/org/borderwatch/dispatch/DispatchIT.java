package org.borderwatch.dispatch;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.borderwatch.ingest.cot.TakClient;
import org.borderwatch.ingest.mqtt.Mosquitto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.ingest.cot.TakClient.child;
import static org.borderwatch.ingest.cot.TakClient.type;

/**
 * Dispatch end to end (API.md §10): a detection, an operator sends the nearest patrol, the unit is told over MQTT
 * (mosquitto_sub with its own key) and over its TAK connection, every map sees the assignment, and when the unit
 * reaches the place its arrival is recorded once, the alert closes and the response time is a metric.
 */
class DispatchIT {

    private static final double LAT = 31.70;
    private static final double LON = -106.40;

    private TestNode node;
    private int mqttPort;
    private int cotPort;
    private String admin;
    private String sensorKey;
    private String patrolKey;
    private WebSocketClient webSockets;

    @BeforeEach
    void start() throws Exception {
        mqttPort = TestNode.freePort();
        cotPort = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_MQTT_PORT", String.valueOf(mqttPort), "BW_COT_PORT",
                String.valueOf(cotPort), "BW_ARRIVAL_METERS", "100"));
        admin = node.adminToken();
        sensorKey = node.createUnit("SEN-01", "sensor");
        patrolKey = node.createUnit("PV-14", "vehicle");
        node.createUser("operator", "operator-password-long-1", "operator");
        report(sensorKey, "SEN-01", LAT, LON);
        report(patrolKey, "PV-14", LAT - 0.02, LON); // 2.2 km south
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private void report(String key, String unit, double lat, double lon) throws Exception {
        HttpResponse<Buffer> response = node.post("/api/v1/positions", key,
                Fixtures.fix(unit, Instant.now().toString(), lat, lon));
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    }

    private BlockingQueue<JsonObject> map() throws Exception {
        BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        // Held in a field: a client collected mid-handshake drops its connection.
        webSockets = node.vertx.createWebSocketClient();
        TestNode.await(webSockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                        .setPort(node.port).setURI("/ws/live?access_token=" + admin))
                .onSuccess(socket -> socket.textMessageHandler(text -> frames.add(new JsonObject(text)))));
        return frames;
    }

    private static JsonObject next(BlockingQueue<JsonObject> frames, Predicate<JsonObject> wanted, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            JsonObject frame = frames.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && wanted.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no " + what + " within 10 s");
    }

    private static Predicate<JsonObject> alertFrame(Predicate<JsonObject> alert) {
        return frame -> "alert".equals(frame.getString("type")) && alert.test(frame.getJsonObject("alert"));
    }

    @Test
    void theNearestPatrolIsSentToldOverMqttAndCotAndItsArrivalClosesTheAlert() throws Exception {
        BlockingQueue<JsonObject> frames = map();
        next(frames, f -> "snapshot".equals(f.getString("type")), "snapshot");
        try (Mosquitto device = Mosquitto.sub(mqttPort, "PV-14", patrolKey, 1, "units/PV-14/tasks").subscribed();
             TakClient atak = TakClient.connect(node.vertx, cotPort)) {
            atak.auth("PV-14", patrolKey, "ANDROID-PV14");

            // A seismic sensor trips: the map shows the detection and an alert naming PV-14 nearest.
            HttpResponse<Buffer> detected = node.post("/api/v1/detections", sensorKey, new JsonObject()
                    .put("sensorId", "SEN-01").put("time", Instant.now().toString()).put("kind", "person"));
            assertThat(detected.statusCode()).as(detected.bodyAsString()).isEqualTo(202);
            String alertId = detected.bodyAsJsonObject().getString("alertId");
            JsonObject detection = next(frames, f -> "detection".equals(f.getString("type")), "detection frame")
                    .getJsonObject("detection");
            assertThat(detection.getString("sensorId")).isEqualTo("SEN-01");
            assertThat(detection.getString("alertId")).isEqualTo(alertId);
            JsonObject raised = next(frames, alertFrame(a -> alertId.equals(a.getString("id"))), "the alert")
                    .getJsonObject("alert");
            JsonObject nearest = raised.getJsonArray("nearest").getJsonObject(0);
            assertThat(nearest.getString("unitId")).isEqualTo("PV-14");
            assertThat(nearest.getLong("distanceMeters")).isBetween(2200L, 2230L);
            assertThat(nearest.getLong("etaSeconds")).as("2.2 km at 50 km/h").isBetween(155L, 165L);

            // The operator sends it.
            String operator = node.login("operator", "operator-password-long-1");
            HttpResponse<Buffer> assigned = node.post("/api/v1/alerts/" + alertId + "/assign", operator,
                    new JsonObject().put("unitId", "PV-14"));
            assertThat(assigned.statusCode()).as(assigned.bodyAsString()).isEqualTo(200);
            assertThat(assigned.bodyAsJsonObject().getString("assignedUnitId")).isEqualTo("PV-14");
            assertThat(assigned.bodyAsJsonObject().getString("assignedBy")).isEqualTo("operator");

            JsonObject update = next(frames, alertFrame(a -> "PV-14".equals(a.getString("assignedUnitId"))),
                    "the assignment on the map").getJsonObject("alert");
            assertThat(update.getString("id")).isEqualTo(alertId);
            String taskLine = device.await(line -> line.startsWith("units/PV-14/tasks "), "the MQTT task");
            JsonObject task = new JsonObject(taskLine.substring("units/PV-14/tasks ".length()));
            assertThat(task.getString("alertId")).isEqualTo(alertId);
            assertThat(task.getDouble("lat")).isEqualTo(LAT);
            assertThat(task.getLong("distanceMeters")).isBetween(2200L, 2230L);
            Element goTo = atak.await(type("b-m-p-w-GOTO"), "the CoT task");
            assertThat(child(goTo, "point").getAttribute("lat")).isEqualTo(String.valueOf(LAT));
            assertThat(child(goTo, "remarks").getTextContent()).contains("assigned by operator").contains("ETA");
            assertThat(node.count("SELECT count(*) FROM audit_log WHERE action = 'alert.assign' AND target = $1",
                    alertId))
                    .isEqualTo(1);

            // It drives there: 500 m out is not there yet, 40 m out is.
            report(patrolKey, "PV-14", LAT - 0.0045, LON);
            Thread.sleep(1500);
            assertThat(node.count("SELECT count(*) FROM alerts WHERE arrived_at IS NOT NULL")).isZero();
            report(patrolKey, "PV-14", LAT - 0.00036, LON);
            JsonObject arrived = next(frames, alertFrame(a -> a.getString("arrivedAt") != null), "the arrival")
                    .getJsonObject("alert");
            assertThat(arrived.getString("ackedBy")).as("closed by the unit's arrival").isEqualTo("PV-14");
            assertThat(arrived.getString("comment")).isEqualTo("arrived");
            next(frames, f -> "ack".equals(f.getString("type")) && alertId.equals(f.getString("alertId")),
                    "the ack frame");

            report(patrolKey, "PV-14", LAT, LON);
            Thread.sleep(1500);
            assertThat(node.count("SELECT count(*) FROM alerts WHERE arrived_at IS NOT NULL")).as("once").isEqualTo(1);
            String metrics = TestNode.await(node.http.get("/metrics").send()).bodyAsString();
            assertThat(metrics).contains("# TYPE bw_response_seconds histogram").contains("bw_response_seconds_count 1")
                    .contains("bw_response_seconds_bucket{le=\"30.0\"} 1");
        }
    }

    @Test
    void onlyAnOperatorSendsOnlyAPatrolItMaySeeToAnAlertItMaySee() throws Exception {
        String alertId = node.post("/api/v1/detections", sensorKey, new JsonObject().put("sensorId", "SEN-01")
                .put("time", Instant.now().toString()).put("kind", "vehicle")).bodyAsJsonObject().getString("alertId");
        node.createUser("watch", "viewer-password-long-1", "viewer");
        String viewer = node.login("watch", "viewer-password-long-1");

        assertThat(assign(viewer, alertId, "PV-14").statusCode()).isEqualTo(403);
        HttpResponse<Buffer> sensor = assign(admin, alertId, "SEN-01");
        assertThat(sensor.statusCode()).isEqualTo(400);
        assertThat(sensor.bodyAsJsonObject().getString("field")).isEqualTo("unitId");
        assertThat(assign(admin, alertId, "NOPE").statusCode()).isEqualTo(404);
        assertThat(assign(admin, "00000000-0000-4000-8000-000000000000", "PV-14").statusCode()).isEqualTo(404);
        assertThat(assign(admin, "not-an-id", "PV-14").statusCode()).as("an id that is no alert id is not found").isEqualTo(404);
        HttpResponse<Buffer> noUnit = node.post("/api/v1/alerts/" + alertId + "/assign", admin, new JsonObject());
        assertThat(noUnit.statusCode()).isEqualTo(400);
        assertThat(noUnit.bodyAsJsonObject().getString("field")).isEqualTo("unitId");
        assertThat(node.count("SELECT count(*) FROM alerts WHERE assigned_unit_id IS NOT NULL")).isZero();

        // Another agency's admin sees neither the alert nor the patrol.
        node.post("/api/v1/agencies", admin, new JsonObject().put("id", "state-police").put("name", "State Police"));
        node.post("/api/v1/users", admin, new JsonObject().put("username", "sp-admin")
                .put("password", "state-police-password-1").put("role", "admin").put("agency", "state-police"));
        String other = node.login("sp-admin", "state-police-password-1");
        assertThat(assign(other, alertId, "PV-14").statusCode()).isEqualTo(404);
    }

    private HttpResponse<Buffer> assign(String token, String alertId, String unitId) throws Exception {
        return node.post("/api/v1/alerts/" + alertId + "/assign", token, new JsonObject().put("unitId", unitId));
    }

    @Test
    void aViewerOfASharedSensorDoesNotLearnOfPatrolsItMayNotSee() throws Exception {
        node.post("/api/v1/agencies", admin, new JsonObject().put("id", "state-police").put("name", "State Police"));
        node.post("/api/v1/shares", admin, new JsonObject().put("from", "root").put("to", "state-police")
                .put("unitIds", new io.vertx.core.json.JsonArray().add("SEN-01")));
        node.post("/api/v1/users", admin, new JsonObject().put("username", "sp-watch")
                .put("password", "state-police-password-1").put("role", "viewer").put("agency", "state-police"));
        String viewer = node.login("sp-watch", "state-police-password-1");
        String alertId = node.post("/api/v1/detections", sensorKey, new JsonObject().put("sensorId", "SEN-01")
                .put("time", Instant.now().toString()).put("kind", "person")).bodyAsJsonObject().getString("alertId");
        assign(admin, alertId, "PV-14");

        JsonObject seen = node.get("/api/v1/alerts?type=detection", viewer).bodyAsJsonArray().getJsonObject(0);
        assertThat(seen.getString("id")).isEqualTo(alertId);
        assertThat(seen.getJsonArray("nearest")).as("PV-14 is not shared").isEmpty();
        assertThat(seen.containsKey("assignedUnitId")).isFalse();
        JsonObject full = node.get("/api/v1/alerts?type=detection", admin).bodyAsJsonArray().getJsonObject(0);
        assertThat(full.getJsonArray("nearest").getJsonObject(0).getString("unitId")).isEqualTo("PV-14");
        assertThat(full.getString("assignedUnitId")).isEqualTo("PV-14");
    }
}
