package org.borderwatch.auth;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.borderwatch.ingest.cot.TakClient;
import org.borderwatch.ingest.mqtt.Mosquitto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.ingest.cot.TakClient.uid;

/**
 * Joint operations (API.md §9): a federal and a state agency on one floor. Each sees its own units and what the other
 * shares with it, on every path (REST, /ws/live, MQTT, CoT, webhooks), and a share takes effect at once.
 */
class AgenciesIT {

    private static final String PASSWORD = "joint-ops-floor-passphrase";

    private TestNode node;
    private int mqttPort;
    private int cotPort;
    private final Map<String, String> keys = new java.util.HashMap<>();
    private Instant t;

    @BeforeEach
    void start() throws Exception {
        mqttPort = TestNode.freePort();
        cotPort = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_MQTT_PORT", String.valueOf(mqttPort), "BW_COT_PORT",
                String.valueOf(cotPort)));
        String root = node.adminToken();
        for (String agency : List.of("federal", "state")) {
            assertThat(node.post("/api/v1/agencies", root, new JsonObject().put("id", agency)
                    .put("name", agency + " agency")).statusCode()).isEqualTo(201);
        }
        unit("FED-UAV", "drone", "federal");
        unit("FED-PV", "vehicle", "federal");
        unit("ST-PV", "vehicle", "state");
        user("fed-admin", "admin", "federal");
        user("fed-ops", "operator", "federal");
        user("state-admin", "admin", "state");
        user("state-watch", "viewer", "state");
        t = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private void unit(String id, String type, String agency) throws Exception {
        HttpResponse<Buffer> created = node.post("/api/v1/units", node.adminToken(), new JsonObject().put("id", id)
                .put("type", type).put("agency", agency));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        assertThat(created.bodyAsJsonObject().getString("agency")).isEqualTo(agency);
        keys.put(id, created.bodyAsJsonObject().getString("deviceKey"));
    }

    private void user(String name, String role, String agency) throws Exception {
        HttpResponse<Buffer> created = node.post("/api/v1/users", node.adminToken(), new JsonObject()
                .put("username", name).put("password", PASSWORD).put("role", role).put("agency", agency));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    }

    private void fix(String unit, int second, double lat) throws Exception {
        assertThat(node.post("/api/v1/positions", keys.get(unit), Fixtures.fix(unit, t.plusSeconds(second)
                .toString(), lat, -106.45)).statusCode()).isEqualTo(202);
    }

    private Set<String> unitIds(String token) throws Exception {
        JsonArray features = node.get("/api/v1/units", token).bodyAsJsonObject().getJsonArray("features");
        return features.stream().map(f -> ((JsonObject) f).getString("id")).collect(Collectors.toSet());
    }

    private Set<String> alertUnits(String token) throws Exception {
        return node.get("/api/v1/alerts", token).bodyAsJsonArray().stream()
                .map(a -> ((JsonObject) a).getString("unitId")).collect(Collectors.toSet());
    }

    @Test
    void eachAgencySeesItsOwnUnitsAndWhatIsSharedWithIt() throws Exception {
        String fedOps = node.login("fed-ops", PASSWORD);
        String stateWatch = node.login("state-watch", PASSWORD);
        String fedAdmin = node.login("fed-admin", PASSWORD);
        String fence = node.createFenceAs(fedOps, Fixtures.square("Federal zone"));
        for (String unit : List.of("FED-UAV", "FED-PV", "ST-PV")) {
            fix(unit, 0, 31.65);
            fix(unit, 1, 31.75); // into the federal zone: one enter alert each
        }
        String fedAlert = node.get("/api/v1/alerts?unitId=FED-UAV", node.adminToken()).bodyAsJsonArray()
                .getJsonObject(0).getString("id");

        assertThat(unitIds(stateWatch)).containsExactly("ST-PV");
        assertThat(unitIds(node.login("fed-ops", PASSWORD))).containsExactlyInAnyOrder("FED-UAV", "FED-PV");
        assertThat(unitIds(node.adminToken())).containsExactlyInAnyOrder("FED-UAV", "FED-PV", "ST-PV");
        assertThat(node.get("/api/v1/units/FED-UAV/track", stateWatch).statusCode()).isEqualTo(404);
        assertThat(alertUnits(stateWatch)).containsExactly("ST-PV");
        assertThat(node.get("/api/v1/geofences", stateWatch).bodyAsJsonObject().getJsonArray("features")).isEmpty();
        assertThat(node.get("/api/v1/geofences/" + fence, stateWatch).statusCode()).isEqualTo(404);
        String stateAdmin = node.login("state-admin", PASSWORD);
        assertThat(node.post("/api/v1/alerts/" + fedAlert + "/ack", stateAdmin, new JsonObject()).statusCode())
                .isEqualTo(404);
        assertThat(node.post("/api/v1/positions", stateAdmin, Fixtures.fix("FED-PV", t.plusSeconds(5).toString(),
                31.7, -106.4)).statusCode()).as("an admin reports only its agency's units").isEqualTo(400);

        HttpResponse<Buffer> share = node.post("/api/v1/shares", fedAdmin, new JsonObject().put("from", "federal")
                .put("to", "state").put("unitTypes", new JsonArray().add("drone")));
        assertThat(share.statusCode()).as(share.bodyAsString()).isEqualTo(201);

        assertThat(unitIds(stateWatch)).containsExactlyInAnyOrder("ST-PV", "FED-UAV");
        assertThat(node.get("/api/v1/units/FED-UAV/track", stateWatch).statusCode()).isEqualTo(200);
        assertThat(node.get("/api/v1/units/FED-PV/track", stateWatch).statusCode()).isEqualTo(404);
        assertThat(alertUnits(stateWatch)).containsExactlyInAnyOrder("ST-PV", "FED-UAV");
        assertThat(node.get("/api/v1/geofences/" + fence, stateWatch).statusCode())
                .as("the sharing agency's fences come with its units").isEqualTo(200);
        assertThat(node.put("/api/v1/geofences/" + fence, stateAdmin, Fixtures.square("Renamed")).statusCode())
                .as("but only its own agency changes them").isEqualTo(404);

        assertThat(node.delete("/api/v1/shares/" + share.bodyAsJsonObject().getString("id"), stateAdmin)
                .statusCode()).as("only the sharing agency takes a share back").isEqualTo(404);
        assertThat(node.delete("/api/v1/shares/" + share.bodyAsJsonObject().getString("id"), fedAdmin)
                .statusCode()).isEqualTo(204);
        assertThat(unitIds(stateWatch)).containsExactly("ST-PV");
    }

    @Test
    void streamsFollowTheSameRuleAndAShareAtOnce() throws Exception {
        List<JsonObject> frames = new CopyOnWriteArrayList<>();
        String stateWatch = node.login("state-watch", PASSWORD);
        WebSocket map = node.socket("/ws/live?access_token=" + stateWatch, text -> frames.add(new JsonObject(text)));
        try (Mosquitto mqtt = Mosquitto.sub(mqttPort, "state-watch", PASSWORD, 1, "units/+/position").subscribed();
             TakClient tak = TakClient.connect(node.vertx, cotPort)) {
            tak.auth("state-watch", PASSWORD, "WINTAK-STATE");
            fix("ST-PV", 0, 31.5);
            tak.await(uid("ST-PV"), "the state's own unit"); // the TAK client is signed in from here on
            fix("FED-UAV", 0, 31.5);
            fix("FED-PV", 0, 31.5);
            fix("ST-PV", 1, 31.51); // arrives after the federal fixes: when it is seen, they would have been

            mqtt.await(line -> line.startsWith("units/ST-PV/position") && line.contains("31.51"), "ST-PV moving");
            tak.await(uid("ST-PV").and(e -> "31.51".equals(TakClient.child(e, "point").getAttribute("lat"))),
                    "ST-PV moving on TAK");
            awaitFrame(frames, "ST-PV", 31.51);
            assertThat(mqtt.lines()).noneMatch(line -> line.startsWith("units/FED-"));
            assertThat(tak.seen()).noneMatch(uid("FED-UAV").or(uid("FED-PV")));
            assertThat(frames.toString()).doesNotContain("FED-");

            assertThat(node.post("/api/v1/shares", node.login("fed-admin", PASSWORD), new JsonObject()
                    .put("from", "federal").put("to", "state").put("unitIds", new JsonArray().add("FED-UAV")))
                    .statusCode()).isEqualTo(201);
            fix("FED-UAV", 2, 31.52);
            fix("FED-PV", 2, 31.52);
            fix("ST-PV", 3, 31.53);

            mqtt.await(line -> line.startsWith("units/FED-UAV/position") && line.contains("31.52"), "shared drone");
            tak.await(uid("FED-UAV"), "the shared drone on TAK");
            awaitFrame(frames, "FED-UAV", 31.52);
            awaitFrame(frames, "ST-PV", 31.53);
            mqtt.await(line -> line.startsWith("units/ST-PV/position") && line.contains("31.53"), "ST-PV after");
            assertThat(mqtt.lines()).noneMatch(line -> line.startsWith("units/FED-PV"));
            assertThat(tak.seen()).noneMatch(uid("FED-PV"));
            assertThat(frames.toString()).doesNotContain("FED-PV");
        } finally {
            TestNode.await(map.close());
        }
    }

    @Test
    void aWebhookGetsTheAlertsItsAgencyMaySee() throws Exception {
        String stateAdmin = node.login("state-admin", PASSWORD);
        HttpResponse<Buffer> hook = node.post("/api/v1/webhooks", stateAdmin, new JsonObject()
                .put("url", "http://192.0.2.1/hook").put("secret", "state-webhook-secret"));
        assertThat(hook.statusCode()).as(hook.bodyAsString()).isEqualTo(201);
        assertThat(hook.bodyAsJsonObject().getString("agency")).isEqualTo("state");
        node.createFenceAs(node.login("fed-ops", PASSWORD), Fixtures.square("Federal zone"));
        for (String unit : List.of("FED-UAV", "ST-PV")) {
            fix(unit, 0, 31.65);
            fix(unit, 1, 31.75);
        }

        assertThat(node.sql("SELECT a.unit_id FROM webhook_deliveries d JOIN alerts a ON a.id = d.alert_id")
                .iterator().next().getString("unit_id")).isEqualTo("ST-PV");
        assertThat(node.count("SELECT count(*) FROM webhook_deliveries")).isEqualTo(1);
        assertThat(node.get("/api/v1/webhooks", node.login("fed-admin", PASSWORD)).bodyAsJsonArray()).isEmpty();
        assertThat(node.get("/api/v1/webhooks", node.adminToken()).bodyAsJsonArray()).hasSize(1);
    }

    @Test
    void onlyRootCreatesAgenciesAndAdministersOtherAgencies() throws Exception {
        String stateAdmin = node.login("state-admin", PASSWORD);
        assertThat(node.post("/api/v1/agencies", stateAdmin, new JsonObject().put("id", "navy").put("name", "Navy"))
                .statusCode()).isEqualTo(403);
        assertThat(node.post("/api/v1/units", stateAdmin, new JsonObject().put("id", "X-1").put("type", "boat")
                .put("agency", "federal")).statusCode()).isEqualTo(403);
        assertThat(node.post("/api/v1/shares", stateAdmin, new JsonObject().put("from", "federal")
                .put("to", "state")).statusCode()).isEqualTo(403);
        HttpResponse<Buffer> own = node.post("/api/v1/units", stateAdmin, new JsonObject().put("id", "ST-BOAT")
                .put("type", "boat"));
        assertThat(own.bodyAsJsonObject().getString("agency")).as("the creator's agency by default")
                .isEqualTo("state");
        HttpResponse<Buffer> nowhere = node.post("/api/v1/units", node.adminToken(), new JsonObject()
                .put("id", "X-2").put("type", "boat").put("agency", "nowhere"));
        assertThat(nowhere.statusCode()).isEqualTo(400);
        assertThat(nowhere.bodyAsJsonObject().getString("field")).isEqualTo("agency");
        assertThat(node.login("state-watch", PASSWORD)).isNotBlank();
        assertThat(TestNode.await(node.http.post("/api/v1/login").sendJsonObject(new JsonObject()
                .put("username", "state-watch").put("password", PASSWORD))).bodyAsJsonObject().getString("agency"))
                .isEqualTo("state");
    }

    private static void awaitFrame(List<JsonObject> frames, String unit, double lat) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (JsonObject frame : frames) {
                if ("positions".equals(frame.getString("type")) && frame.getJsonArray("units").stream()
                        .map(JsonObject.class::cast).anyMatch(u -> unit.equals(u.getString("id"))
                                && u.getDouble("lat") == lat)) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no frame with " + unit + " at " + lat);
    }
}
