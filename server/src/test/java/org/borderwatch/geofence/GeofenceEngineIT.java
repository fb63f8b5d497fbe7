package org.borderwatch.geofence;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.Fixtures.fix;
import static org.borderwatch.Fixtures.square;

/** The geofence engine against a real PostGIS: truth table, jitter, dwell, schedules, edits, silence. */
class GeofenceEngineIT {

    /** One metre of latitude, in degrees, near 31.7° N. */
    private static final double METRE = 1 / 110_870.0;

    private TestNode node;

    private void start(Map<String, String> env) throws Exception {
        node = TestNode.fresh(env);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private void post(String key, JsonObject fix) throws Exception {
        HttpResponse<Buffer> response = node.post("/api/v1/positions", key, fix);
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    }

    private static String at(String base, int seconds) {
        return Instant.parse(base).plusSeconds(seconds).toString();
    }

    private static JsonObject feature(String name, JsonObject geometry, JsonObject properties) {
        return new JsonObject().put("type", "Feature").put("geometry", geometry)
                .put("properties", properties.put("name", name));
    }

    @Test
    void theEngineAgreesWithPostgisOnEveryGeneratedPoint() throws Exception {
        start(Map.of());
        JsonArray outer = new JsonArray().add(ring(-106.50, 31.70, -106.40, 31.80));
        outer.add(ring(-106.47, 31.73, -106.43, 31.77)); // a hole
        node.createFence(feature("Polygon with hole", new JsonObject().put("type", "Polygon").put("coordinates", outer),
                new JsonObject()));
        node.createFence(feature("Two islands", new JsonObject().put("type", "MultiPolygon").put("coordinates",
                new JsonArray().add(new JsonArray().add(ring(-106.30, 31.70, -106.28, 31.72)))
                        .add(new JsonArray().add(ring(-106.26, 31.70, -106.24, 31.72)))), new JsonObject()));
        node.createFence(feature("Circle", point(-106.10, 31.75), new JsonObject().put("radiusMeters", 1500)));
        node.createFence(feature("Corridor", new JsonObject().put("type", "LineString").put("coordinates",
                new JsonArray()
                .add(new JsonArray().add(-105.95).add(31.70)).add(new JsonArray().add(-105.85).add(31.78))),
                new JsonObject().put("bufferMeters", 800)));
        List<double[]> points = new ArrayList<>();
        String generate = """
                SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
                    SELECT (ST_Dump(ST_GeneratePoints(ST_Expand(geom, 0.01), 120, 7))).geom AS p FROM geofences
                    UNION ALL SELECT (ST_DumpPoints(geom)).geom FROM geofences WHERE kind = 'polygon'
                    UNION ALL SELECT ST_LineInterpolatePoint(ST_ExteriorRing((ST_Dump(geom)).geom), f)
                        FROM geofences, generate_series(0.05, 0.95, 0.15) AS f WHERE kind = 'polygon'
                    UNION ALL SELECT ST_Project(shape, radius_m + d, radians(a))::geometry
                        FROM geofences, unnest(ARRAY[-0.5, 0.5, -3, 3]) AS d, generate_series(0, 330, 30) AS a
                        WHERE kind = 'circle'
                    UNION ALL SELECT ST_Project(ST_LineInterpolatePoint(shape::geometry, f)::geography,
                            radius_m + d, ST_Azimuth(ST_StartPoint(shape::geometry), ST_EndPoint(shape::geometry))
                                          + radians(s))::geometry
                        FROM geofences, generate_series(0.1, 0.9, 0.2) AS f, unnest(ARRAY[-0.5, 0.5, -3, 3]) AS d,
                             unnest(ARRAY[90, -90]) AS s
                        WHERE kind = 'corridor'
                ) pts""";
        for (Row row : node.sql(generate)) {
            points.add(new double[] {row.getDouble("lon"), row.getDouble("lat")});
        }
        assertThat(points.size()).isGreaterThan(500);
        node.sql("INSERT INTO units (id, name, type, device_key_hash) SELECT 'T-' || i, 'T-' || i, 'sensor', "
                + "md5('t' || i) FROM generate_series(0, $1) AS i", points.size() - 1);
        JsonArray fixes = new JsonArray();
        for (int i = 0; i < points.size(); i++) {
            fixes.add(fix("T-" + i, "2026-11-25T10:00:00.000Z", points.get(i)[1], points.get(i)[0]));
        }

        HttpResponse<Buffer> posted = node.post("/api/v1/positions", node.adminToken(), fixes);

        assertThat(posted.statusCode()).as(posted.bodyAsString()).isEqualTo(202);
        Set<String> engine = pairs("SELECT unit_id, geofence_id::text AS fence FROM geofence_state");
        Set<String> truth = pairs("""
                SELECT p.unit_id, g.id::text AS fence FROM positions p JOIN geofences g
                  ON CASE WHEN g.kind = 'polygon' THEN ST_Intersects(g.geom, p.geom)
                          ELSE ST_DWithin(g.shape, p.geom::geography, g.radius_m) END""");
        assertThat(truth).hasSizeGreaterThan(150);
        assertThat(engine).isEqualTo(truth);
        assertThat(node.count("SELECT count(*) FROM alerts WHERE type = 'enter'")).isEqualTo(truth.size());
    }

    private Set<String> pairs(String sql) throws Exception {
        Set<String> pairs = new TreeSet<>();
        node.sql(sql).forEach(row -> pairs.add(row.getString("unit_id") + "/" + row.getString("fence")));
        return pairs;
    }

    private static JsonArray ring(double west, double south, double east, double north) {
        return new JsonArray()
                .add(new JsonArray().add(west).add(south)).add(new JsonArray().add(east).add(south))
                .add(new JsonArray().add(east).add(north)).add(new JsonArray().add(west).add(north))
                .add(new JsonArray().add(west).add(south));
    }

    private static JsonObject point(double lon, double lat) {
        return new JsonObject().put("type", "Point").put("coordinates", new JsonArray().add(lon).add(lat));
    }

    @Test
    void jitterAlongAnEdgeWithinTheReportedAccuracyRaisesNothing() throws Exception {
        start(Map.of());
        String key = node.createUnit("PV-01", "vehicle");
        node.createFence(square("Port zone")); // its southern edge runs along latitude 31.7
        String t0 = "2026-11-25T10:00:00Z";
        int s = 0;
        post(key, fix("PV-01", at(t0, s++), 31.7 - 1000 * METRE, -106.45).put("accuracy", 10.0));
        for (int i = 0; i < 20; i++) {
            double offset = (i % 2 == 0 ? 5 : -5) * METRE;
            post(key, fix("PV-01", at(t0, s++), 31.7 + offset, -106.45).put("accuracy", 10.0));
        }
        assertThat(node.alertTypes("PV-01")).isEmpty();

        post(key, fix("PV-01", at(t0, s++), 31.7 + 100 * METRE, -106.45).put("accuracy", 10.0));
        for (int i = 0; i < 20; i++) {
            double offset = (i % 2 == 0 ? 5 : -5) * METRE;
            post(key, fix("PV-01", at(t0, s++), 31.7 + offset, -106.45).put("accuracy", 10.0));
        }
        post(key, fix("PV-01", at(t0, s), 31.7 - 100 * METRE, -106.45).put("accuracy", 10.0));

        assertThat(node.alertTypes("PV-01")).containsExactly("enter", "exit");
    }

    @Test
    void aFenceMarginAndAVagueFixAlsoHoldStateStill() throws Exception {
        start(Map.of("BW_GEOFENCE_MAX_ACCURACY_M", "50"));
        String key = node.createUnit("PV-02", "vehicle");
        JsonObject fence = square("Port zone");
        fence.getJsonObject("properties").put("marginMeters", 20);
        node.createFence(fence);
        String t0 = "2026-11-25T10:00:00Z";

        post(key, fix("PV-02", at(t0, 0), 31.7 - 100 * METRE, -106.45));
        post(key, fix("PV-02", at(t0, 1), 31.7 + 15 * METRE, -106.45)); // inside, but within the fence's margin
        post(key, fix("PV-02", at(t0, 2), 31.75, -106.45).put("accuracy", 400.0)); // deep inside, vague fix
        assertThat(node.alertTypes("PV-02")).isEmpty();

        post(key, fix("PV-02", at(t0, 3), 31.7 + 25 * METRE, -106.45));
        assertThat(node.alertTypes("PV-02")).containsExactly("enter");
    }

    @Test
    void dwellAlertsOnceAfterTheUnitStayedInsideLongEnough() throws Exception {
        start(Map.of());
        String key = node.createUnit("UAV-01", "drone");
        JsonObject fence = square("Loiter box");
        fence.getJsonObject("properties").getJsonObject("rules").put("dwellSeconds", 60);
        node.createFence(fence);
        String t0 = "2026-11-25T10:00:00Z";

        post(key, fix("UAV-01", at(t0, 0), 31.75, -106.45));
        post(key, fix("UAV-01", at(t0, 30), 31.751, -106.45));
        assertThat(node.alertTypes("UAV-01")).containsExactly("enter");
        post(key, fix("UAV-01", at(t0, 61), 31.752, -106.45));
        post(key, fix("UAV-01", at(t0, 120), 31.753, -106.45));
        assertThat(node.alertTypes("UAV-01")).containsExactly("enter", "dwell");

        JsonObject dwell = node.get("/api/v1/alerts?type=dwell", node.adminToken()).bodyAsJsonArray()
                .getJsonObject(0);
        assertThat(dwell.getString("time")).isEqualTo("2026-11-25T10:01:01.000Z");
    }

    @Test
    void aScheduledFenceAlertsOnlyInsideItsWindow() throws Exception {
        start(Map.of());
        String key = node.createUnit("PV-03", "vehicle");
        JsonObject fence = square("Night zone");
        fence.getJsonObject("properties").put("schedule", new JsonObject().put("tz", "America/Mexico_City")
                .put("days", new JsonArray().add("tue").add("wed")).put("from", "22:00").put("to", "06:00"));
        node.createFence(fence);

        // Wednesday 18 Nov 2026, 12:00 in Mexico City (UTC-6): outside the window, crossings are silent.
        post(key, fix("PV-03", "2026-11-18T18:00:00Z", 31.65, -106.45));
        post(key, fix("PV-03", "2026-11-18T18:01:00Z", 31.75, -106.45));
        post(key, fix("PV-03", "2026-11-18T18:02:00Z", 31.85, -106.45));
        assertThat(node.alertTypes("PV-03")).isEmpty();
        // Wednesday 23:00 and Thursday 01:00 local: inside Wednesday night's window.
        post(key, fix("PV-03", "2026-11-19T05:00:00Z", 31.75, -106.45));
        post(key, fix("PV-03", "2026-11-19T07:00:00Z", 31.85, -106.45));
        // Thursday 23:00 local: Thursday is not a window day.
        post(key, fix("PV-03", "2026-11-20T05:00:00Z", 31.75, -106.45));

        assertThat(node.alertTypes("PV-03")).containsExactly("enter", "exit");
    }

    @Test
    void editingAFenceRebaselinesMembershipWithoutABurstOfAlerts() throws Exception {
        start(Map.of());
        String key = node.createUnit("PV-04", "vehicle");
        String t0 = "2026-11-25T10:00:00Z";
        post(key, fix("PV-04", at(t0, 0), 31.75, -106.45));
        String fence = node.createFence(square("Drawn over the unit"));

        post(key, fix("PV-04", at(t0, 1), 31.751, -106.45)); // still inside: the new fence raised no enter
        assertThat(node.alertTypes("PV-04")).isEmpty();

        JsonObject moved = square("Moved away");
        moved.getJsonObject("geometry").put("coordinates", new JsonArray().add(ring(-105.5, 31.0, -105.4, 31.1)));
        HttpResponse<Buffer> updated = TestNode.await(node.http.put("/api/v1/geofences/" + fence)
                .bearerTokenAuthentication(node.adminToken()).sendJsonObject(moved));
        assertThat(updated.statusCode()).isEqualTo(200);
        post(key, fix("PV-04", at(t0, 2), 31.752, -106.45)); // the fence left the unit, not the other way round
        assertThat(node.alertTypes("PV-04")).isEmpty();

        post(key, fix("PV-04", at(t0, 3), 31.05, -105.45));
        post(key, fix("PV-04", at(t0, 4), 31.5, -105.45));
        assertThat(node.alertTypes("PV-04")).containsExactly("enter", "exit");
    }

    @Test
    void hundredsOfFencesDrawnAtOnceOverMovingUnitsSettleSilentlyAndCountTheNextCrossings() throws Exception {
        start(Map.of());
        List<String> keys = new ArrayList<>();
        for (int u = 0; u < 10; u++) {
            keys.add(node.createUnit("PV-B" + u, "vehicle"));
        }
        String t0 = "2026-11-25T10:00:00Z";
        for (int u = 0; u < 10; u++) {
            post(keys.get(u), fix("PV-B" + u, at(t0, 0), 31.705 + u * 0.01, -106.455));
        }
        // 300 fences posted together while the units keep reporting from where they are: nested squares around
        // -106.45, 31.75, so each holds some of the units' positions and not others.
        List<Future<HttpResponse<Buffer>>> created = new ArrayList<>();
        for (int f = 0; f < 300; f++) {
            double half = 0.002 + f * 0.0002;
            JsonObject fence = square("Bulk " + f);
            fence.getJsonObject("geometry").put("coordinates", new JsonArray().add(ring(-106.45 - half,
                    31.75 - half, -106.45 + half, 31.75 + half)));
            created.add(node.http.post("/api/v1/geofences").bearerTokenAuthentication(node.adminToken())
                    .sendJsonObject(fence));
        }
        int second = 1;
        while (!created.stream().allMatch(Future::isComplete)) {
            for (int u = 0; u < 10; u++) {
                post(keys.get(u), fix("PV-B" + u, at(t0, second), 31.705 + u * 0.01, -106.455));
            }
            second++;
        }
        assertThat(created).allMatch(f -> f.succeeded() && f.result().statusCode() == 201);
        String inside = "SELECT count(*) FROM geofences g JOIN unit_state s ON ST_Intersects(g.geom,"
                + " ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326)) WHERE g.name LIKE 'Bulk %'";
        long expected = node.count(inside);
        assertThat(expected).as("the layout puts units inside some fences").isBetween(100L, 2_900L);
        assertThat(node.awaitCount(expected, "SELECT count(*) FROM geofence_state m JOIN geofences g"
                + " ON g.id = m.geofence_id WHERE g.name LIKE 'Bulk %'")).isEqualTo(expected);
        assertThat(node.count("SELECT count(*) FROM alerts")).as("drawing fences over units raises nothing").isZero();

        // The innermost unit drives out of every fence: one exit per fence that held it, nothing else.
        long holding = node.count(inside + " AND s.unit_id = 'PV-B4'");
        post(keys.get(4), fix("PV-B4", at(t0, second), 31.0, -106.455));
        assertThat(node.awaitCount(holding, "SELECT count(*) FROM alerts WHERE unit_id = 'PV-B4' AND type = 'exit'"))
                .isEqualTo(holding);
        assertThat(node.count("SELECT count(*) FROM alerts")).isEqualTo(holding);
    }

    @Test
    void editingAFenceKeepsDwellAndMarginStateOfTheUnitsThatStayInside() throws Exception {
        start(Map.of());
        String key = node.createUnit("UAV-05", "drone");
        JsonObject drawn = square("Loiter box");
        drawn.getJsonObject("properties").put("marginMeters", 50).getJsonObject("rules").put("dwellSeconds", 60);
        String fence = node.createFence(drawn);
        String t0 = "2026-11-25T10:00:00Z";
        post(key, fix("UAV-05", at(t0, 0), 31.65, -106.45));
        post(key, fix("UAV-05", at(t0, 10), 31.75, -106.45));
        post(key, fix("UAV-05", at(t0, 80), 31.75, -106.45));
        post(key, fix("UAV-05", at(t0, 90), 31.7 - 20 * METRE, -106.45)); // 20 m outside: in the 50 m band
        assertThat(node.alertTypes("UAV-05")).containsExactly("enter", "dwell");

        HttpResponse<Buffer> renamed = TestNode.await(node.http.put("/api/v1/geofences/" + fence)
                .bearerTokenAuthentication(node.adminToken())
                .sendJsonObject(drawn.copy().put("properties", drawn.getJsonObject("properties").copy()
                        .put("name", "Loiter box, renamed"))));
        assertThat(renamed.statusCode()).isEqualTo(200);
        post(key, fix("UAV-05", at(t0, 100), 31.7 - 20 * METRE, -106.45));
        post(key, fix("UAV-05", at(t0, 200), 31.75, -106.45));

        // Still inside the same fence: no new enter for a unit that never left, no second dwell for one stay.
        assertThat(node.alertTypes("UAV-05")).containsExactly("enter", "dwell");
        post(key, fix("UAV-05", at(t0, 210), 31.6, -106.45));
        assertThat(node.alertTypes("UAV-05")).containsExactly("enter", "dwell", "exit");
    }

    @Test
    void aFenceChangeThisNodeHasNotBeenToldOfYetRaisesNothing() throws Exception {
        start(Map.of());
        String key = node.createUnit("PV-06", "vehicle");
        String fence = node.createFence(square("Port zone"));
        String t0 = "2026-11-25T10:00:00Z";
        post(key, fix("PV-06", at(t0, 0), 31.75, -106.45));
        assertThat(node.alertTypes("PV-06")).containsExactly("enter");

        // Another node moves the fence a degree east and has not announced it yet: the unit did not leave.
        node.sql("UPDATE geofences SET geom = ST_Translate(geom, 1, 0), edge = ST_Translate(edge::geometry, 1, 0),"
                + " search = ST_Translate(search, 1, 0), revision = nextval('geofence_revision')"
                + " WHERE id = $1::uuid", fence);
        post(key, fix("PV-06", at(t0, 10), 31.751, -106.45));
        // ... and then deletes it, unannounced too: still no exit.
        node.sql("UPDATE geofences SET deleted_at = now(), revision = nextval('geofence_revision')"
                + " WHERE id = $1::uuid", fence);
        post(key, fix("PV-06", at(t0, 20), 31.6, -106.45));

        assertThat(node.alertTypes("PV-06")).containsExactly("enter");
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'PV-06'")).isEqualTo(3);
    }

    @Test
    void aSilentUnitGoesStaleThenLostOnceAndComesBackLive() throws Exception {
        start(Map.of("BW_STALE_SECONDS", "1"));
        String key = node.createUnit("FP-01", "foot");

        post(key, fix("FP-01", Instant.now().toString(), 31.6, -106.4));
        Thread.sleep(6_500);
        assertThat(node.alertTypes("FP-01")).containsExactly("stale", "lost");
        assertThat(status("FP-01")).isEqualTo("lost");

        post(key, fix("FP-01", Instant.now().toString(), 31.61, -106.4));
        assertThat(status("FP-01")).isEqualTo("live");
        Thread.sleep(2_000);

        assertThat(node.alertTypes("FP-01")).containsExactly("stale", "lost", "stale");
        JsonObject stale = node.get("/api/v1/alerts?type=stale&unitId=FP-01", node.adminToken()).bodyAsJsonArray()
                .getJsonObject(0);
        assertThat(stale.getDouble("lat")).isEqualTo(31.61);
        assertThat(stale.getString("severity")).isEqualTo("warning");
    }

    private String status(String unit) throws Exception {
        JsonArray features = node.get("/api/v1/units", node.adminToken()).bodyAsJsonObject().getJsonArray("features");
        for (Object feature : features) {
            JsonObject props = ((JsonObject) feature).getJsonObject("properties");
            if (unit.equals(props.getString("id"))) {
                return props.getString("status");
            }
        }
        throw new AssertionError("unit " + unit + " not listed");
    }
}
