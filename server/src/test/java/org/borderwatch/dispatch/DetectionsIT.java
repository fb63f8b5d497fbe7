package org.borderwatch.dispatch;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Detections against a real PostGIS (API.md §10): placed at the sensor, along a bearing or where reported; the nearest
 * live patrols equal a brute-force search over every unit; close detections make one incident; agencies hold.
 */
class DetectionsIT {

    private static final double SENSOR_LAT = 31.70;
    private static final double SENSOR_LON = -106.40;

    private TestNode node;
    private String admin;

    private void start(Map<String, String> env) throws Exception {
        node = TestNode.fresh(env);
        admin = node.adminToken();
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private String sensor(String id, double lat, double lon) throws Exception {
        String key = node.createUnit(id, "sensor");
        post("/api/v1/positions", key, Fixtures.fix(id, Instant.now().toString(), lat, lon), 202);
        return key;
    }

    private String patrol(String id, String type, double lat, double lon) throws Exception {
        String key = node.createUnit(id, type);
        post("/api/v1/positions", key, Fixtures.fix(id, Instant.now().toString(), lat, lon), 202);
        return key;
    }

    private JsonObject post(String path, String token, Object body, int status) throws Exception {
        HttpResponse<Buffer> response = node.post(path, token, body);
        assertThat(response.statusCode()).as(path + " " + response.bodyAsString()).isEqualTo(status);
        return response.bodyAsJsonObject();
    }

    private static JsonObject detection(String sensor, String time) {
        return new JsonObject().put("sensorId", sensor).put("time", time).put("kind", "person");
    }

    private JsonObject alert(String id) throws Exception {
        for (Object item : node.get("/api/v1/alerts?type=detection&limit=1000", admin).bodyAsJsonArray()) {
            if (((JsonObject) item).getString("id").equals(id)) {
                return (JsonObject) item;
            }
        }
        throw new AssertionError("no alert " + id);
    }

    private double metres(double lat1, double lon1, double lat2, double lon2) throws Exception {
        return node.sql("SELECT ST_Distance(ST_MakePoint($2, $1)::geography, ST_MakePoint($4, $3)::geography, true)"
                + " AS m", lat1, lon1, lat2, lon2).iterator().next().getDouble("m");
    }

    @Test
    void aDetectionIsPlacedAtTheSensorAlongItsBearingOrWhereReported() throws Exception {
        start(Map.of("BW_INCIDENT_METERS", "1"));
        String key = sensor("SEN-01", SENSOR_LAT, SENSOR_LON);

        JsonObject atSensor = post("/api/v1/detections", key, detection("SEN-01", "2026-11-30T10:00:00Z"), 202);
        JsonObject along = post("/api/v1/detections", key, detection("SEN-01", "2026-11-30T10:01:00Z")
                .put("bearing", 90.0).put("rangeMeters", 1500.0), 202);
        JsonObject reported = post("/api/v1/detections", key, detection("SEN-01", "2026-11-30T10:02:00Z")
                .put("lat", 31.75).put("lon", -106.45), 202);

        Row at = placed(atSensor.getString("id"));
        assertThat(at.getDouble("lat")).isCloseTo(SENSOR_LAT, within(1e-9));
        assertThat(at.getDouble("lon")).isCloseTo(SENSOR_LON, within(1e-9));
        Row east = placed(along.getString("id"));
        assertThat(metres(SENSOR_LAT, SENSOR_LON, east.getDouble("lat"), east.getDouble("lon")))
                .as("1,500 m from the sensor on the ellipsoid").isCloseTo(1500.0, within(0.5));
        assertThat(east.getDouble("azimuth")).as("due east of the sensor").isCloseTo(90.0, within(0.05));
        Row there = placed(reported.getString("id"));
        assertThat(there.getDouble("lat")).isEqualTo(31.75);
        assertThat(there.getDouble("lon")).isEqualTo(-106.45);

        JsonObject alert = alert(along.getString("alertId"));
        assertThat(alert.getString("type")).isEqualTo("detection");
        assertThat(alert.getString("unitId")).isEqualTo("SEN-01");
        assertThat(alert.getDouble("lat")).isCloseTo(east.getDouble("lat"), within(1e-9));
        assertThat(alert.getString("time")).isEqualTo("2026-11-30T10:01:00.000Z");
    }

    private Row placed(String id) throws Exception {
        return node.sql("SELECT ST_Y(d.geom) AS lat, ST_X(d.geom) AS lon, degrees(ST_Azimuth("
                + "ST_MakePoint($2, $3)::geography, d.geom::geography)) AS azimuth FROM detections d"
                + " WHERE id = $1::uuid", id, SENSOR_LON, SENSOR_LAT).iterator().next();
    }

    @Test
    void theNearestPatrolsAreThoseABruteForceSearchFindsForRandomLayouts() throws Exception {
        start(Map.of("BW_INCIDENT_METERS", "1"));
        Random random = new Random(20261201);
        String key = sensor("SEN-01", SENSOR_LAT, SENSOR_LON);
        String[] types = {"vehicle", "foot", "boat", "drone", "aircraft", "sensor"};
        for (int i = 0; i < 60; i++) {
            patrol(String.format("U-%02d", i), types[random.nextInt(types.length)],
                    SENSOR_LAT + (random.nextDouble() - 0.5) * 0.6, SENSOR_LON + (random.nextDouble() - 0.5) * 0.6);
        }
        // A quarter of them went silent long ago: not live, never listed.
        node.sql("UPDATE unit_state SET received_at = now() - interval '2 years'"
                + " WHERE unit_id IN (SELECT unit_id FROM unit_state WHERE unit_id LIKE 'U-%' ORDER BY md5(unit_id)"
                + " LIMIT 15)");

        for (int i = 0; i < 12; i++) {
            double lat = SENSOR_LAT + (random.nextDouble() - 0.5) * 0.8;
            double lon = SENSOR_LON + (random.nextDouble() - 0.5) * 0.8;
            JsonObject stored = post("/api/v1/detections", key, detection("SEN-01",
                    Instant.parse("2026-11-30T10:00:00Z").plusSeconds(i).toString()).put("lat", lat).put("lon", lon),
                    202);
            JsonArray nearest = alert(stored.getString("alertId")).getJsonArray("nearest");

            List<String> expected = new ArrayList<>();
            Map<String, Long> expectedMetres = new HashMap<>();
            for (Row row : node.sql("SELECT s.unit_id, ST_Distance(s.geog, ST_MakePoint($2, $1)::geography, true) AS m"
                    + " FROM unit_state s JOIN units u ON u.id = s.unit_id"
                    + " WHERE u.type IN ('vehicle', 'foot', 'boat', 'drone')"
                    + " AND s.received_at > now() - interval '1 year' ORDER BY m, s.unit_id LIMIT 3", lat, lon)) {
                expected.add(row.getString("unit_id"));
                expectedMetres.put(row.getString("unit_id"), Math.round(row.getDouble("m")));
            }
            assertThat(nearest.stream().map(n -> ((JsonObject) n).getString("unitId")).toList())
                    .as("detection %d at %f,%f", i, lat, lon).containsExactlyElementsOf(expected);
            for (Object item : nearest) {
                JsonObject near = (JsonObject) item;
                long metres = near.getLong("distanceMeters");
                assertThat(metres).isEqualTo(expectedMetres.get(near.getString("unitId")));
                // Fixtures report no speed: the ETA assumes the type's usual speed.
                assertThat(near.getLong("etaSeconds")).isPositive().isLessThanOrEqualTo(metres + 1);
            }
        }
    }

    @Test
    void fiveCloseDetectionsMakeOneIncidentThatFollowsThemAndAFarOneAnother() throws Exception {
        start(Map.of());
        String key = sensor("SEN-01", SENSOR_LAT, SENSOR_LON);
        patrol("PV-01", "vehicle", SENSOR_LAT + 0.01, SENSOR_LON);
        List<String> alertIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // People walking north: 50 m and 40 s apart, each within 500 m and 300 s of the one before.
            JsonObject stored = post("/api/v1/detections", key, detection("SEN-01",
                    Instant.parse("2026-11-30T10:00:00Z").plusSeconds(40L * i).toString())
                    .put("lat", SENSOR_LAT + i * 0.00045).put("lon", SENSOR_LON), 202);
            alertIds.add(stored.getString("alertId"));
        }
        JsonObject far = post("/api/v1/detections", key, detection("SEN-01", "2026-11-30T10:03:00Z")
                .put("lat", SENSOR_LAT - 0.05).put("lon", SENSOR_LON), 202);
        JsonObject later = post("/api/v1/detections", key, detection("SEN-01", "2026-11-30T11:00:00Z")
                .put("lat", SENSOR_LAT).put("lon", SENSOR_LON), 202);

        assertThat(alertIds).as("one incident").containsOnly(alertIds.get(0));
        assertThat(far.getString("alertId")).as("5.5 km away").isNotEqualTo(alertIds.get(0));
        assertThat(later.getString("alertId")).as("an hour later").isNotIn(alertIds.get(0), far.getString("alertId"));
        JsonObject incident = alert(alertIds.get(0));
        assertThat(incident.getInteger("detections")).isEqualTo(5);
        assertThat(incident.getDouble("lat")).as("where the newest detection is")
                .isCloseTo(SENSOR_LAT + 4 * 0.00045, within(1e-9));
        assertThat(incident.getString("time")).as("when it began").isEqualTo("2026-11-30T10:00:00.000Z");
        assertThat(node.count("SELECT count(*) FROM alerts WHERE type = 'detection'")).isEqualTo(3);
        assertThat(node.count("SELECT count(*) FROM detections")).isEqualTo(7);

        // A repeat of a stored detection (a sensor retrying) is stored and counted once.
        JsonObject again = post("/api/v1/detections", key, detection("SEN-01", "2026-11-30T10:00:00Z")
                .put("lat", SENSOR_LAT).put("lon", SENSOR_LON), 202);
        assertThat(again.getString("alertId")).isEqualTo(alertIds.get(0));
        assertThat(node.count("SELECT count(*) FROM detections")).isEqualTo(7);
        assertThat(alert(alertIds.get(0)).getInteger("detections")).isEqualTo(5);

        // Once acknowledged, an incident takes no more: new activity there raises a new alert.
        post("/api/v1/alerts/" + alertIds.get(0) + "/ack", admin, new JsonObject(), 200);
        JsonObject after = post("/api/v1/detections", key, detection("SEN-01", "2026-11-30T10:04:00Z")
                .put("lat", SENSOR_LAT + 4 * 0.00045).put("lon", SENSOR_LON), 202);
        assertThat(after.getString("alertId")).isNotEqualTo(alertIds.get(0));
    }

    @Test
    void badDetectionsAreRefusedNamingTheFieldAndNothingIsStored() throws Exception {
        start(Map.of());
        String key = sensor("SEN-01", SENSOR_LAT, SENSOR_LON);
        String other = sensor("SEN-02", SENSOR_LAT, SENSOR_LON + 0.01);
        String patrolKey = patrol("PV-01", "vehicle", SENSOR_LAT, SENSOR_LON);
        node.createUnit("SEN-03", "sensor"); // never reported: no place

        record Case(String token, JsonObject body, int status, String field) {
        }
        List<Case> cases = List.of(
                new Case(key, new JsonObject().put("time", "2026-11-30T10:00:00Z").put("kind", "person"), 400,
                        "sensorId"),
                new Case(key, detection("SEN-01", null), 400, "time"),
                new Case(key, detection("SEN-01", "yesterday"), 400, "time"),
                new Case(key, detection("SEN-01", "2026-11-30T10:00:00Z").put("kind", "a person"), 400, "kind"),
                new Case(key, detection("SEN-01", "2026-11-30T10:00:00Z").put("lat", 31.7), 400, "lon"),
                new Case(key, detection("SEN-01", "2026-11-30T10:00:00Z").put("lat", 91.0).put("lon", 0.0), 400,
                        "lat"),
                new Case(key, detection("SEN-01", "2026-11-30T10:00:00Z").put("lat", "31.7").put("lon", 0.0), 400,
                        "lat"),
                new Case(key, detection("SEN-01", "2026-11-30T10:00:00Z").put("bearing", 360.0), 400, "bearing"),
                new Case(key, detection("SEN-01", "2026-11-30T10:00:00Z").put("rangeMeters", -1.0), 400,
                        "rangeMeters"),
                new Case(key, detection("SEN-01", "2026-11-30T10:00:00Z").put("confidence", 1.5), 400,
                        "confidence"),
                new Case(key, detection("SEN-01", "2026-11-30T10:00:00Z").put("attributes", "x"), 400,
                        "attributes"),
                new Case(other, detection("SEN-01", "2026-11-30T10:00:00Z"), 403, null),
                new Case(patrolKey, detection("PV-01", "2026-11-30T10:00:00Z"), 400, "sensorId"),
                new Case(admin, detection("PV-01", "2026-11-30T10:00:00Z"), 400, "sensorId"),
                new Case(admin, detection("SEN-03", "2026-11-30T10:00:00Z"), 400, "lat"),
                new Case(admin, detection("NOPE", "2026-11-30T10:00:00Z"), 404, null));
        for (Case bad : cases) {
            HttpResponse<Buffer> response = node.post("/api/v1/detections", bad.token(), bad.body());
            assertThat(response.statusCode()).as(bad.body().encode() + " " + response.bodyAsString())
                    .isEqualTo(bad.status());
            if (bad.field() != null) {
                assertThat(response.bodyAsJsonObject().getString("field")).as(bad.body().encode())
                        .isEqualTo(bad.field());
            }
        }
        assertThat(node.count("SELECT count(*) FROM detections")).isZero();
        assertThat(node.count("SELECT count(*) FROM alerts")).isZero();

        node.createUser("watch", "viewer-password-long-1", "viewer");
        assertThat(node.post("/api/v1/detections", node.login("watch", "viewer-password-long-1"),
                detection("SEN-01", "2026-11-30T10:00:00Z")).statusCode()).isEqualTo(403);
    }
}
