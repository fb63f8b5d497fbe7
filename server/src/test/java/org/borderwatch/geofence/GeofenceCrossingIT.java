package org.borderwatch.geofence;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import org.borderwatch.TestNode;

import static org.borderwatch.Fixtures.fix;
import static org.borderwatch.Fixtures.square;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Units driven across real fences in PostGIS: one crossing, one alert, through replays and restarts. */
class GeofenceCrossingIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void crossingAPolygonGivesOneEnterAndOneExitWithTheFixesTimeAndPlace() throws Exception {
        String key = node.createUnit("PV-01", "vehicle");
        String fence = node.createFence(square("Port zone"));

        node.post("/api/v1/positions", key, new JsonArray()
                .add(fix("PV-01", "2026-11-25T10:00:00.000Z", 31.65, -106.45))
                .add(fix("PV-01", "2026-11-25T10:00:10.000Z", 31.75, -106.45))
                .add(fix("PV-01", "2026-11-25T10:00:20.000Z", 31.76, -106.45)));
        node.post("/api/v1/positions", key, fix("PV-01", "2026-11-25T10:00:30.000Z", 31.85, -106.45));

        JsonArray alerts = node.get("/api/v1/alerts?unitId=PV-01", node.adminToken()).bodyAsJsonArray();
        assertThat(alerts).hasSize(2);
        JsonObject exit = alerts.getJsonObject(0);
        JsonObject enter = alerts.getJsonObject(1);
        assertThat(enter.getString("type")).isEqualTo("enter");
        assertThat(enter.getString("time")).isEqualTo("2026-11-25T10:00:10.000Z");
        assertThat(enter.getDouble("lat")).isEqualTo(31.75);
        assertThat(enter.getString("geofenceId")).isEqualTo(fence);
        assertThat(enter.getString("geofenceName")).isEqualTo("Port zone");
        assertThat(enter.getString("severity")).isEqualTo("critical");
        assertThat(enter.getString("detectedAt")).isNotNull();
        assertThat(exit.getString("type")).isEqualTo("exit");
        assertThat(exit.getString("time")).isEqualTo("2026-11-25T10:00:30.000Z");
    }

    @Test
    void aRestartBetweenEnterAndExitAndReplayedFixesGiveNoDuplicate() throws Exception {
        String key = node.createUnit("PV-02", "vehicle");
        node.createFence(square("Port zone"));
        JsonArray outsideThenInside = new JsonArray()
                .add(fix("PV-02", "2026-11-25T10:00:00.000Z", 31.65, -106.45))
                .add(fix("PV-02", "2026-11-25T10:00:10.000Z", 31.75, -106.45));
        node.post("/api/v1/positions", key, outsideThenInside);
        assertThat(node.alertTypes("PV-02")).containsExactly("enter");

        node.close();
        node = TestNode.start(Vertx.vertx());
        // The device did not see the 202 before the restart, so it sends everything again, then moves on and out.
        HttpResponse<Buffer> replay = node.post("/api/v1/positions", key, outsideThenInside);
        node.post("/api/v1/positions", key, fix("PV-02", "2026-11-25T10:00:20.000Z", 31.76, -106.45));
        node.post("/api/v1/positions", key, fix("PV-02", "2026-11-25T10:00:30.000Z", 31.85, -106.45));
        node.post("/api/v1/positions", key, fix("PV-02", "2026-11-25T10:00:30.000Z", 31.85, -106.45));

        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(node.alertTypes("PV-02")).containsExactly("enter", "exit");
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'PV-02'")).isEqualTo(4);
    }

    @Test
    void aLateFixInsideTheFenceIsStoredButRaisesNothing() throws Exception {
        String key = node.createUnit("PV-03", "vehicle");
        node.createFence(square("Port zone"));

        node.post("/api/v1/positions", key, fix("PV-03", "2026-11-25T10:00:10.000Z", 31.65, -106.45));
        node.post("/api/v1/positions", key, fix("PV-03", "2026-11-25T10:00:05.000Z", 31.75, -106.45));

        assertThat(node.alertTypes("PV-03")).isEmpty();
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'PV-03'")).isEqualTo(2);
    }

    @Test
    void circlesAreMeasuredInMetresOnTheEllipsoid() throws Exception {
        String key = node.createUnit("UAV-01", "drone");
        JsonObject circle = new JsonObject().put("type", "Feature")
                .put("geometry", new JsonObject().put("type", "Point")
                        .put("coordinates", new JsonArray().add(-110.941).add(31.333)))
                .put("properties", new JsonObject().put("name", "Nogales").put("radiusMeters", 1000));
        node.createFence(circle);
        // Points 990 m and 1010 m due east of the centre, computed by PostGIS on the ellipsoid.
        Row row = node.sql("""
                SELECT ST_X(a::geometry) AS in_lon, ST_Y(a::geometry) AS in_lat,
                       ST_X(b::geometry) AS out_lon, ST_Y(b::geometry) AS out_lat
                FROM (SELECT ST_Project(c, 990, radians(90)) AS a, ST_Project(c, 1010, radians(90)) AS b
                      FROM (SELECT ST_SetSRID(ST_MakePoint(-110.941, 31.333), 4326)::geography AS c) s) p""")
                .iterator().next();

        node.post("/api/v1/positions", key, fix("UAV-01", "2026-11-25T10:00:00.000Z",
                row.getDouble("out_lat"), row.getDouble("out_lon")));
        node.post("/api/v1/positions", key, fix("UAV-01", "2026-11-25T10:00:01.000Z",
                row.getDouble("in_lat"), row.getDouble("in_lon")));
        node.post("/api/v1/positions", key, fix("UAV-01", "2026-11-25T10:00:02.000Z",
                row.getDouble("out_lat"), row.getDouble("out_lon")));

        assertThat(node.alertTypes("UAV-01")).containsExactly("enter", "exit");
    }

    @Test
    void unitTypesLimitWhoAFenceWatchesAndDeletedFencesRaiseNoExit() throws Exception {
        String boat = node.createUnit("BT-01", "boat");
        String drone = node.createUnit("UAV-02", "drone");
        JsonObject dronesOnly = square("No-fly");
        dronesOnly.getJsonObject("properties").put("unitTypes", new JsonArray().add("drone"));
        String fence = node.createFence(dronesOnly);

        node.post("/api/v1/positions", boat, fix("BT-01", "2026-11-25T10:00:00.000Z", 31.75, -106.45));
        node.post("/api/v1/positions", drone, fix("UAV-02", "2026-11-25T10:00:00.000Z", 31.75, -106.45));
        assertThat(TestNode.await(node.http.delete("/api/v1/geofences/" + fence)
                .bearerTokenAuthentication(node.adminToken()).send()).statusCode()).isEqualTo(204);
        Thread.sleep(200);
        node.post("/api/v1/positions", drone, fix("UAV-02", "2026-11-25T10:00:05.000Z", 31.85, -106.45));

        assertThat(node.alertTypes("BT-01")).isEmpty();
        assertThat(node.alertTypes("UAV-02")).containsExactly("enter");
        assertThat(node.count("SELECT count(*) FROM geofence_state")).isZero();
    }
}
