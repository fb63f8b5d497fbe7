package org.borderwatch.alert;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.Fixtures.fix;
import static org.borderwatch.Fixtures.square;

/** Searching and acknowledging alerts. */
class AlertApiIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
        String key = node.createUnit("PV-01", "vehicle");
        node.post("/api/v1/geofences", node.adminToken(), square("Port zone"));
        node.post("/api/v1/positions", key, new JsonArray()
                .add(fix("PV-01", "2026-11-25T10:00:00.000Z", 31.65, -106.45))
                .add(fix("PV-01", "2026-11-25T10:00:10.000Z", 31.75, -106.45))
                .add(fix("PV-01", "2026-11-25T10:00:20.000Z", 31.85, -106.45))
                .add(fix("PV-01", "2026-11-25T10:00:30.000Z", 31.75, -106.45)));
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void filtersAndLimitsNewestFirst() throws Exception {
        String token = node.adminToken();

        JsonArray all = node.get("/api/v1/alerts", token).bodyAsJsonArray();
        JsonArray enters = node.get("/api/v1/alerts?type=enter", token).bodyAsJsonArray();
        JsonArray newest = node.get("/api/v1/alerts?limit=1", token).bodyAsJsonArray();
        JsonArray nobody = node.get("/api/v1/alerts?unitId=UAV-99", token).bodyAsJsonArray();
        JsonArray future = node.get("/api/v1/alerts?since=2099-01-01T00:00:00Z", token).bodyAsJsonArray();
        HttpResponse<Buffer> badType = node.get("/api/v1/alerts?type=explode", token);
        HttpResponse<Buffer> badLimit = node.get("/api/v1/alerts?limit=0", token);

        assertThat(all).hasSize(3);
        assertThat(enters).hasSize(2);
        assertThat(newest.getJsonObject(0).getString("time")).isEqualTo("2026-11-25T10:00:30.000Z");
        assertThat(nobody).isEmpty();
        assertThat(future).isEmpty();
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(badType.bodyAsJsonObject().getString("field")).isEqualTo("type");
        assertThat(badLimit.bodyAsJsonObject().getString("field")).isEqualTo("limit");
    }

    @Test
    void anOperatorAcknowledgesOnceAndTheFirstAcknowledgementStands() throws Exception {
        node.post("/api/v1/users", node.adminToken(), new JsonObject().put("username", "duty-officer")
                .put("password", "duty-password").put("role", "operator"));
        node.post("/api/v1/users", node.adminToken(), new JsonObject().put("username", "watcher")
                .put("password", "watch-password").put("role", "viewer"));
        String operator = node.login("duty-officer", "duty-password");
        String viewer = node.login("watcher", "watch-password");
        String id = node.get("/api/v1/alerts?limit=1", operator).bodyAsJsonArray().getJsonObject(0).getString("id");

        HttpResponse<Buffer> refused = node.post("/api/v1/alerts/" + id + "/ack", viewer, new JsonObject());
        HttpResponse<Buffer> acked = node.post("/api/v1/alerts/" + id + "/ack", operator, new JsonObject());
        HttpResponse<Buffer> again = node.post("/api/v1/alerts/" + id + "/ack", node.adminToken(), new JsonObject());
        HttpResponse<Buffer> missing = node.post("/api/v1/alerts/00000000-0000-0000-0000-000000000001/ack", operator,
                new JsonObject());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(acked.statusCode()).isEqualTo(200);
        assertThat(acked.bodyAsJsonObject().getString("ackedBy")).isEqualTo("duty-officer");
        assertThat(acked.bodyAsJsonObject().getString("ackedAt")).isNotNull();
        assertThat(again.bodyAsJsonObject().getString("ackedBy")).isEqualTo("duty-officer");
        assertThat(missing.statusCode()).isEqualTo(404);
        JsonObject listed = node.get("/api/v1/alerts?limit=1", viewer).bodyAsJsonArray().getJsonObject(0);
        assertThat(listed.getString("ackedBy")).isEqualTo("duty-officer");
    }
}
