package org.borderwatch.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Detection to arrival in the browser ({@code web/e2e/dispatch.mjs}, headless Chromium): a camera looks east, a
 * detection along its bearing shows on the map and in the alert list with its nearest patrol ringed; an operator
 * assigns the patrol, the line and ETA show on the operator's and a viewer's map; the test then drives the patrol
 * there and the alert closes on its arrival. Fails on any console error; leaves {@code dispatch.png} (en route) and
 * {@code dispatch-arrived.png} in {@code target/screenshots/}.
 */
class DispatchBrowserIT {

    private static final String OPERATOR_PASSWORD = "duty-officer-passphrase";
    private static final String VIEWER_PASSWORD = "watch-viewer-passphrase";
    private static final double CAMERA_LAT = 31.70;
    private static final double CAMERA_LON = -106.40;
    /** PV-01 starts 2 km south of where the camera sees the crossing (800 m east of it), PV-02 5 km west. */
    private static final double PATROL_LAT = 31.682;
    private static final double DETECTION_RANGE_METERS = 800;

    private TestNode node;
    private String cameraKey;
    private String patrolKey;
    private double patrolLon;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh(Map.of("BW_ARRIVAL_METERS", "100"));
        cameraKey = node.createUnit("CAM-01", "sensor");
        String seismicKey = node.createUnit("SEN-01", "sensor");
        patrolKey = node.createUnit("PV-01", "vehicle");
        String otherKey = node.createUnit("PV-02", "vehicle");
        sensor("CAM-01", new JsonObject().put("kind", "camera").put("bearing", 90.0).put("fovDegrees", 60.0)
                .put("rangeMeters", 1500.0));
        sensor("SEN-01", new JsonObject().put("kind", "seismic"));
        node.createUser("duty-officer", OPERATOR_PASSWORD, "operator");
        node.createUser("watch-viewer", VIEWER_PASSWORD, "viewer");
        // Where the camera will place the detection: 800 m due east, on the same parallel to within a metre.
        patrolLon = CAMERA_LON + DETECTION_RANGE_METERS / (111_320 * Math.cos(Math.toRadians(CAMERA_LAT)));
        report(cameraKey, "CAM-01", CAMERA_LAT, CAMERA_LON, 0);
        report(seismicKey, "SEN-01", 31.690, -106.412, 0);
        report(patrolKey, "PV-01", PATROL_LAT, patrolLon, 0);
        report(otherKey, "PV-02", CAMERA_LAT, -106.45, 0);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private void sensor(String id, JsonObject sensor) throws Exception {
        HttpResponse<Buffer> patched = TestNode.await(node.http.patch("/api/v1/units/" + id)
                .bearerTokenAuthentication(node.adminToken())
                .sendJsonObject(new JsonObject().put("properties", new JsonObject().put("sensor", sensor))));
        assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
    }

    private void report(String key, String unit, double lat, double lon, double speed) throws Exception {
        HttpResponse<Buffer> stored = node.post("/api/v1/positions", key, new JsonArray()
                .add(Fixtures.fix(unit, Instant.now().toString(), lat, lon).put("speed", speed).put("heading", 0.0)));
        assertThat(stored.statusCode()).as(stored.bodyAsString()).isEqualTo(202);
    }

    @Test
    void aDetectionIsAssignedToTheNearestPatrolWhoseArrivalClosesItInTheBrowser() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "BW_URL", "http://127.0.0.1:" + node.port,
                "BW_USER", "duty-officer",
                "BW_PASSWORD", OPERATOR_PASSWORD,
                "BW_VIEWER", "watch-viewer",
                "BW_VIEWER_PASSWORD", VIEWER_PASSWORD,
                "BW_SENSOR", "CAM-01",
                "BW_NEAREST", "PV-01"));
        double[] target = new double[2];
        BrowserScript.Result result = BrowserScript.run("dispatch", env, request -> {
            try {
                if (request.equals("detect")) {
                    HttpResponse<Buffer> detected = node.post("/api/v1/detections", cameraKey, new JsonObject()
                            .put("sensorId", "CAM-01").put("time", Instant.now().toString()).put("kind", "person")
                            .put("bearing", 90.0).put("rangeMeters", DETECTION_RANGE_METERS).put("confidence", 0.8));
                    assertThat(detected.statusCode()).as(detected.bodyAsString()).isEqualTo(202);
                    String alertId = detected.bodyAsJsonObject().getString("alertId");
                    Row place = node.sql("SELECT lat, lon FROM alerts WHERE id = $1::uuid", alertId)
                            .iterator().next();
                    target[0] = place.getDouble("lat");
                    target[1] = place.getDouble("lon");
                    return alertId;
                }
                if (request.startsWith("drive ")) {
                    // Four reports north toward the place at 15 m/s; the last one is on it.
                    double part = Integer.parseInt(request.substring("drive ".length())) / 4.0;
                    report(patrolKey, "PV-01", PATROL_LAT + (target[0] - PATROL_LAT) * part,
                            patrolLon + (target[1] - patrolLon) * part, part < 1 ? 15.0 : 0.0);
                    return "driven";
                }
                return null;
            } catch (Exception e) {
                throw new IllegalStateException("cannot " + request, e);
            }
        });

        assertThat(result.finished()).as("dispatch finished; output:%n%s", result.output()).isTrue();
        assertThat(result.exitValue()).as("dispatch output:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("dispatch ok");
        assertThat(Files.size(result.screenshot())).isGreaterThan(10_000);
        assertThat(Files.size(Path.of(result.screenshot().toString().replace(".png", "-arrived.png"))))
                .isGreaterThan(10_000);
        assertThat(node.count("SELECT count(*) FROM alerts WHERE assigned_unit_id = 'PV-01' AND assigned_by = "
                + "'duty-officer' AND arrived_at IS NOT NULL AND acked_by = 'PV-01'")).isEqualTo(1);
    }
}
