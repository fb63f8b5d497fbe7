package org.borderwatch.track;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** What comes back of stored fixes: every per-fix field in the last-known positions and in tracks. */
class UnitApiIT {

    private TestNode node;
    private String key;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
        key = node.createUnit("UAV-07", "drone");
        node.createUnit("PV-01", "vehicle");
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private static JsonObject fix(String unitId, String time, double lat) {
        return new JsonObject().put("unitId", unitId).put("time", time).put("lat", lat).put("lon", -106.4);
    }

    @Test
    void lastKnownPositionsCarryEveryFieldOfTheNewestFix() throws Exception {
        JsonObject attributes = new JsonObject().put("sensor", "eo/ir")
                .put("payload", new JsonObject().put("gimbal", new JsonArray().add(12.5).add(-40)));
        HttpResponse<Buffer> posted = node.post("/api/v1/positions", key, new JsonArray()
                .add(fix("UAV-07", "2026-11-25T10:00:00.000Z", 31.70).put("alt", 1.0).put("battery", 99.0)
                        .put("attributes", new JsonObject().put("sensor", "off")))
                .add(fix("UAV-07", "2026-11-25T10:00:10.000Z", 31.71).put("speed", 12.5).put("heading", 271.0)
                        .put("alt", 1140.5).put("accuracy", 4.2).put("battery", 87.5).put("attributes", attributes)));
        // Late and older: stored, but the map keeps the newest fix and its fields.
        node.post("/api/v1/positions", key, fix("UAV-07", "2026-11-25T10:00:05.000Z", 31.60).put("alt", 5.0));
        node.post("/api/v1/positions", node.adminToken(), fix("PV-01", "2026-11-25T10:00:00.000Z", 31.5));
        assertThat(posted.statusCode()).as(posted.bodyAsString()).isEqualTo(202);

        JsonArray features = node.get("/api/v1/units", node.adminToken()).bodyAsJsonObject()
                .getJsonArray("features");

        assertThat(features).hasSize(2);
        JsonObject drone = features.getJsonObject(1).getJsonObject("properties");
        assertThat(drone.fieldNames()).containsExactlyInAnyOrder("id", "name", "type", "agency", "time", "speed",
                "heading", "alt", "accuracy", "battery", "attributes", "status", "sensor");
        assertThat(drone.getString("id")).isEqualTo("UAV-07");
        assertThat(drone.getString("time")).isEqualTo("2026-11-25T10:00:10.000Z");
        assertThat(drone.getDouble("speed")).isEqualTo(12.5);
        assertThat(drone.getDouble("heading")).isEqualTo(271.0);
        assertThat(drone.getDouble("alt")).isEqualTo(1140.5);
        assertThat(drone.getDouble("accuracy")).isEqualTo(4.2);
        assertThat(drone.getDouble("battery")).isEqualTo(87.5);
        assertThat(drone.getJsonObject("attributes")).isEqualTo(attributes);
        JsonObject patrol = features.getJsonObject(0).getJsonObject("properties");
        assertThat(patrol.fieldNames()).contains("alt", "accuracy", "battery", "attributes");
        assertThat(patrol.getValue("alt")).isNull();
        assertThat(patrol.getValue("battery")).isNull();
        assertThat(patrol.getValue("attributes")).isNull();
    }

    @Test
    void aTrackHasEveryPerFixFieldInStepWithItsTimes() throws Exception {
        node.post("/api/v1/positions", key, new JsonArray()
                .add(fix("UAV-07", "2026-11-25T10:00:20.000Z", 31.72).put("speed", 3.0).put("heading", 90.0)
                        .put("alt", 30.0).put("accuracy", 3.0).put("battery", 70.0)
                        .put("attributes", new JsonObject().put("n", 3)))
                .add(fix("UAV-07", "2026-11-25T10:00:00.000Z", 31.70).put("speed", 1.0).put("alt", 10.0)
                        .put("attributes", new JsonObject().put("n", 1)))
                .add(fix("UAV-07", "2026-11-25T10:00:10.000Z", 31.71)));

        JsonObject track = node.get("/api/v1/units/UAV-07/track?from=2026-11-25T09:00:00Z&to=2026-11-25T11:00:00Z",
                node.adminToken()).bodyAsJsonObject();

        JsonObject properties = track.getJsonObject("properties");
        assertThat(properties.getJsonArray("times").getList()).containsExactly(
                "2026-11-25T10:00:00.000Z", "2026-11-25T10:00:10.000Z", "2026-11-25T10:00:20.000Z");
        assertThat(track.getJsonObject("geometry").getJsonArray("coordinates")).hasSize(3);
        assertThat(track.getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(2).getDouble(1))
                .isEqualTo(31.72);
        assertThat(properties.getJsonArray("speeds").getList()).containsExactly(1.0, null, 3.0);
        assertThat(properties.getJsonArray("headings").getList()).containsExactly(null, null, 90.0);
        assertThat(properties.getJsonArray("alts").getList()).containsExactly(10.0, null, 30.0);
        assertThat(properties.getJsonArray("accuracies").getList()).containsExactly(null, null, 3.0);
        assertThat(properties.getJsonArray("batteries").getList()).containsExactly(null, null, 70.0);
        JsonArray attributes = properties.getJsonArray("attributes");
        assertThat(Arrays.asList(attributes.getJsonObject(0), attributes.getValue(1), attributes.getJsonObject(2)))
                .containsExactly(new JsonObject().put("n", 1), null, new JsonObject().put("n", 3));
    }
}
