package org.borderwatch.alert;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

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

    @Test
    void anAckCarriesACommentToEveryMapThatMaySeeTheAlertWithinASecond() throws Exception {
        List<JsonObject> ours = new CopyOnWriteArrayList<>();
        WebSocket ourMap = map(node.adminToken(), ours);
        assertThat(node.post("/api/v1/agencies", node.adminToken(), new JsonObject().put("id", "state")
                .put("name", "State")).statusCode()).isEqualTo(201);
        node.createUser("duty-officer", "duty-password", "operator");
        HttpResponse<Buffer> user = node.post("/api/v1/users", node.adminToken(), new JsonObject()
                .put("username", "state-watch").put("password", "state-password").put("role", "viewer")
                .put("agency", "state"));
        assertThat(user.statusCode()).as(user.bodyAsString()).isEqualTo(201);
        String operator = node.login("duty-officer", "duty-password");
        List<JsonObject> theirs = new CopyOnWriteArrayList<>();
        WebSocket theirMap = map(node.login("state-watch", "state-password"), theirs);
        String id = node.get("/api/v1/alerts?limit=1", operator).bodyAsJsonArray().getJsonObject(0).getString("id");
        String comment = "Checked with the patrol:\nfalse alarm, gate left open. Café löst ✓";

        long sent = System.nanoTime();
        HttpResponse<Buffer> acked = node.post("/api/v1/alerts/" + id + "/ack", operator,
                new JsonObject().put("comment", comment));
        JsonObject frame = awaitAck(ours, id);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        HttpResponse<Buffer> again = node.post("/api/v1/alerts/" + id + "/ack", node.adminToken(),
                new JsonObject().put("comment", "a second opinion"));
        Thread.sleep(300);

        assertThat(acked.statusCode()).isEqualTo(200);
        assertThat(acked.bodyAsJsonObject().getString("comment")).isEqualTo(comment);
        assertThat(ms).as("ack on the map within 1 s").isLessThan(1000);
        assertThat(frame.fieldNames()).containsExactlyInAnyOrder("type", "alertId", "ackedBy", "ackedAt", "comment");
        assertThat(frame.getString("ackedBy")).isEqualTo("duty-officer");
        assertThat(frame.getString("comment")).isEqualTo(comment);
        assertThat(frame.getString("ackedAt")).isEqualTo(acked.bodyAsJsonObject().getString("ackedAt"));
        assertThat(again.bodyAsJsonObject().getString("comment")).as("the first ack stands").isEqualTo(comment);
        assertThat(ours.stream().filter(f -> "ack".equals(f.getString("type")))).as("one frame per ack").hasSize(1);
        assertThat(theirs).as("another agency's map hears nothing of our unit").noneMatch(f ->
                "ack".equals(f.getString("type")) || f.encode().contains("PV-01"));
        TestNode.await(ourMap.close());
        TestNode.await(theirMap.close());

        JsonArray open = node.get("/api/v1/alerts?acked=false", operator).bodyAsJsonArray();
        JsonArray done = node.get("/api/v1/alerts?acked=true", operator).bodyAsJsonArray();
        assertThat(done).hasSize(1);
        assertThat(done.getJsonObject(0).getString("id")).isEqualTo(id);
        assertThat(done.getJsonObject(0).getString("comment")).isEqualTo(comment);
        assertThat(open).hasSize(2).noneMatch(a -> ((JsonObject) a).containsKey("ackedBy"));
        assertThat(node.awaitCount(2, "SELECT count(*) FROM audit_log WHERE action = 'alert.ack' AND target = $1", id))
                .isEqualTo(2);
    }

    @Test
    void aBadCommentOrFilterIsA400NamingItAndAcknowledgesNothing() throws Exception {
        String token = node.adminToken();
        String id = node.get("/api/v1/alerts?limit=1", token).bodyAsJsonArray().getJsonObject(0).getString("id");
        List<Object> bad = List.of("x".repeat(1001), "bell\u0007", "tab\tseparated", 42, new JsonObject());

        for (Object comment : bad) {
            HttpResponse<Buffer> refused = node.post("/api/v1/alerts/" + id + "/ack", token,
                    new JsonObject().put("comment", comment));
            assertThat(refused.statusCode()).as(String.valueOf(comment)).isEqualTo(400);
            assertThat(refused.bodyAsJsonObject().getString("field")).isEqualTo("comment");
        }
        HttpResponse<Buffer> badFilter = node.get("/api/v1/alerts?acked=maybe", token);
        HttpResponse<Buffer> longest = node.post("/api/v1/alerts/" + id + "/ack", token,
                new JsonObject().put("comment", "y".repeat(999) + "\n"));

        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(badFilter.bodyAsJsonObject().getString("field")).isEqualTo("acked");
        assertThat(longest.statusCode()).isEqualTo(200);
        assertThat(longest.bodyAsJsonObject().getString("comment")).hasSize(1000);
    }

    private WebSocket map(String token, List<JsonObject> frames) throws Exception {
        return node.socket("/ws/live?access_token=" + token, text -> frames.add(new JsonObject(text)));
    }

    private static JsonObject awaitAck(List<JsonObject> frames, String alertId) throws Exception {
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline) {
            for (JsonObject frame : frames) {
                if ("ack".equals(frame.getString("type")) && alertId.equals(frame.getString("alertId"))) {
                    return frame;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no ack frame for " + alertId + " in " + frames);
    }
}
