package org.borderwatch.web;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watch-floor web app in headless Chromium (Debian's, driven by playwright-core; scripts in {@code web/e2e/}), as
 * officers use it all shift: finding and following a unit, handling alerts, joint operations between agencies, and a
 * server restart. Every script fails on a console error or a request leaving the node, and leaves a screenshot in
 * {@code target/screenshots/}.
 */
class WatchFloorBrowserIT {

    private static final String PASSWORD = "watch-floor-passphrase";

    private TestNode node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private Map<String, String> env(String user, String password) {
        Map<String, String> env = new HashMap<>();
        env.put("BW_URL", "http://127.0.0.1:" + node.port);
        env.put("BW_USER", user);
        env.put("BW_PASSWORD", password);
        return env;
    }

    private static void assertPassed(BrowserScript.Result result, String name) throws Exception {
        assertThat(result.finished()).as("%s finished; output:%n%s", name, result.output()).isTrue();
        assertThat(result.exitValue()).as("%s output:%n%s", name, result.output()).isZero();
        assertThat(result.output()).contains(name + " ok");
        assertThat(Files.size(result.screenshot())).as("screenshot %s", result.screenshot()).isGreaterThan(10_000);
    }

    private void unit(String id, String name, String type, String agency) throws Exception {
        JsonObject body = new JsonObject().put("id", id).put("name", name).put("type", type);
        if (agency != null) {
            body.put("agency", agency);
        }
        HttpResponse<Buffer> created = node.post("/api/v1/units", node.adminToken(), body);
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    }

    private void positions(JsonArray fixes) throws Exception {
        HttpResponse<Buffer> stored = node.post("/api/v1/positions", node.adminToken(), fixes);
        assertThat(stored.statusCode()).as(stored.bodyAsString()).isEqualTo(202);
    }

    @Test
    void anOfficerFindsAUnitByCallsignAndFollowsItUntilDraggingTheMap() throws Exception {
        node = TestNode.fresh();
        String now = Instant.now().minusSeconds(2).toString();
        JsonArray fixes = new JsonArray();
        for (int i = 1; i <= 20; i++) {
            String id = String.format("PV-%02d", i);
            unit(id, i == 14 ? "Patrol fourteen" : id, "vehicle", null);
            JsonObject fix = Fixtures.fix(id, now, 31.60 + i * 0.004, -106.30 - i * 0.006).put("speed", 11.0);
            if (i == 14) {
                fix.put("alt", 1234.0).put("battery", 87.0)
                        .put("attributes", new JsonObject().put("callsign", "Hawk 1").put("driver", "Ortiz"));
            }
            fixes.add(fix);
        }
        for (int i = 1; i <= 5; i++) {
            String id = String.format("UAV-%02d", i);
            unit(id, id, "drone", null);
            fixes.add(Fixtures.fix(id, now, 31.55 - i * 0.01, -106.25 - i * 0.01));
        }
        positions(fixes);

        Map<String, String> env = env("admin", TestNode.ADMIN_PASSWORD);
        env.putAll(Map.of("BW_UNIT", "PV-14", "BW_CALLSIGN", "Hawk 1", "BW_UNITS", "25", "BW_DRONES", "5"));
        assertPassed(BrowserScript.run("follow", env), "follow");
    }

    @Test
    void aCriticalAlertSoundsIsCommentedAndAckedAndTheRestAreBulkAcked() throws Exception {
        node = TestNode.fresh();
        node.createFence(Fixtures.square("Port zone"));
        String now = Instant.now().minusSeconds(5).toString();
        JsonArray fixes = new JsonArray();
        for (int i = 1; i <= 4; i++) {
            String id = String.format("PV-%02d", i);
            unit(id, id, "vehicle", null);
            fixes.add(Fixtures.fix(id, now, 31.60 - i * 0.01, -106.45)); // south of the zone
        }
        positions(fixes);
        // History the list must date: an exit a day and more ago, and three units falling silent together.
        node.sql("INSERT INTO alerts (type, unit_id, severity, time, detected_at, lat, lon, geofence_name) "
                + "VALUES ('exit', 'PV-04', 'warning', now() - interval '26 hours', now() - interval '26 hours', "
                + "31.6, -106.45, 'Old crossing')");
        node.sql("INSERT INTO alerts (type, unit_id, severity, time, detected_at, lat, lon, units) "
                + "VALUES ('lost', 'PV-02', 'warning', now() - interval '10 minutes', now() - interval '10 minutes', "
                + "31.58, -106.45, ARRAY['PV-02', 'PV-03', 'PV-04'])");

        assertPassed(BrowserScript.run("alerts", env("admin", TestNode.ADMIN_PASSWORD)), "alerts");
        assertThat(node.count("SELECT count(*) FROM alerts WHERE acked_at IS NULL")).isZero();
        assertThat(node.count("SELECT count(*) FROM alerts WHERE comment = 'Shift change: all reviewed'"))
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void aViewerOfAnotherAgencySeesItsOwnUnitsAndTheSharedOneOnly() throws Exception {
        node = TestNode.fresh();
        String root = node.adminToken();
        for (String agency : List.of("federal", "state")) {
            assertThat(node.post("/api/v1/agencies", root, new JsonObject().put("id", agency)
                    .put("name", agency.substring(0, 1).toUpperCase() + agency.substring(1) + " agency"))
                    .statusCode()).isEqualTo(201);
        }
        unit("FED-UAV", "Federal drone", "drone", "federal");
        unit("FED-PV", "Federal patrol", "vehicle", "federal");
        unit("FED-BT", "Federal boat", "boat", "federal");
        unit("ST-PV", "State patrol", "vehicle", "state");
        unit("ST-FP", "State foot patrol", "foot", "state");
        HttpResponse<Buffer> share = node.post("/api/v1/shares", root, new JsonObject().put("from", "federal")
                .put("to", "state").put("unitIds", new JsonArray().add("FED-BT")));
        assertThat(share.statusCode()).as(share.bodyAsString()).isEqualTo(201);
        HttpResponse<Buffer> user = node.post("/api/v1/users", root, new JsonObject().put("username", "state-watch")
                .put("password", PASSWORD).put("role", "viewer").put("agency", "state"));
        assertThat(user.statusCode()).as(user.bodyAsString()).isEqualTo(201);
        String now = Instant.now().minusSeconds(2).toString();
        JsonArray fixes = new JsonArray();
        String[] ids = {"FED-UAV", "FED-PV", "FED-BT", "ST-PV", "ST-FP"};
        for (int i = 0; i < ids.length; i++) {
            fixes.add(Fixtures.fix(ids[i], now, 31.70 + i * 0.01, -106.45 + i * 0.01));
        }
        positions(fixes);

        Map<String, String> env = env("state-watch", PASSWORD);
        env.putAll(Map.of("BW_SEES", "ST-PV,ST-FP,FED-BT", "BW_HIDDEN", "FED-UAV,FED-PV"));
        assertPassed(BrowserScript.run("agencies", env), "agencies");
    }

    @Test
    void theMapReconnectsByItselfAfterTheServerRestartsOnTheSamePort() throws Exception {
        node = TestNode.fresh();
        String now = Instant.now().minusSeconds(2).toString();
        JsonArray fixes = new JsonArray();
        for (int i = 1; i <= 5; i++) {
            String id = String.format("PV-%02d", i);
            unit(id, id, "vehicle", null);
            fixes.add(Fixtures.fix(id, now, 31.70 + i * 0.01, -106.45));
        }
        positions(fixes);
        int port = node.port;

        BrowserScript.Result result = BrowserScript.run("reconnect", env("admin", TestNode.ADMIN_PASSWORD),
                request -> {
                    try {
                        if (request.equals("stop")) {
                            node.close();
                            node = null;
                            return "stopped";
                        }
                        if (request.equals("start")) {
                            node = TestNode.start(Vertx.vertx(), Map.of("BW_HTTP_PORT", String.valueOf(port)));
                            positions(new JsonArray().add(Fixtures.fix("PV-01", Instant.now().toString(), 31.9,
                                    -106.40)));
                            return "started";
                        }
                        return null;
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot " + request + " the node", e);
                    }
                });
        assertPassed(result, "reconnect");
    }
}
