package org.borderwatch.audit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.borderwatch.Fixtures.square;

/**
 * The audit log (API.md §3): every sign-in, user, unit, key, agency, share, geofence, webhook change and alert ack
 * leaves one entry with who, which agency, from where, and before/after; admins read their agency's entries (root
 * every entry); nobody, the server included, can change or delete one.
 */
class AuditIT {

    private static final String FLOOR_PASSWORD = "watch-floor-password";

    private TestNode node;
    private String since;

    @BeforeEach
    void start() throws Exception {
        // The log outlives the per-test reset (it is append-only): each test reads what came after its start.
        since = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        node = TestNode.fresh();
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private JsonArray audit(String token, String query) throws Exception {
        HttpResponse<Buffer> response = node.get("/api/v1/audit?since=" + since + query, token);
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonArray();
    }

    /** Waits for the background writes: at least {@code count} entries since the test began. */
    private void awaitEntries(long count) throws Exception {
        assertThat(node.awaitCount(count, "SELECT count(*) FROM audit_log WHERE time >= $1::timestamptz",
                OffsetDateTime.parse(since))).isGreaterThanOrEqualTo(count);
    }

    @Test
    void everyChangeLeavesOneEntryWithActorAgencyAndAddress() throws Exception {
        String admin = node.adminToken();
        TestNode.await(node.http.post("/api/v1/login").sendJsonObject(new JsonObject().put("username", "admin")
                .put("password", "wrong-password")));
        node.createUser("ops1", FLOOR_PASSWORD, "operator");
        String operator = node.login("ops1", FLOOR_PASSWORD);
        assertThat(patchUser(admin, "ops1", new JsonObject().put("role", "operator")).statusCode()).isEqualTo(200);
        operator = node.login("ops1", FLOOR_PASSWORD);
        String key = node.createUnit("UAV-07", "drone");
        String newKey = node.post("/api/v1/units/UAV-07/key", admin, new JsonObject()).bodyAsJsonObject()
                .getString("deviceKey");
        node.post("/api/v1/agencies", admin, new JsonObject().put("id", "navy").put("name", "Navy"));
        String share = node.post("/api/v1/shares", admin, new JsonObject().put("from", "root").put("to", "navy"))
                .bodyAsJsonObject().getString("id");
        assertThat(TestNode.await(node.http.delete("/api/v1/shares/" + share).bearerTokenAuthentication(admin)
                .send()).statusCode()).isEqualTo(204);
        JsonObject fence = node.post("/api/v1/geofences", operator, square("Port zone")).bodyAsJsonObject();
        String fenceId = fence.getString("id");
        fence.getJsonObject("properties").put("severity", "info");
        assertThat(TestNode.await(node.http.put("/api/v1/geofences/" + fenceId).bearerTokenAuthentication(operator)
                .sendJsonObject(fence)).statusCode()).isEqualTo(200);
        assertThat(TestNode.await(node.http.delete("/api/v1/geofences/" + fenceId)
                .bearerTokenAuthentication(operator).send()).statusCode()).isEqualTo(204);
        String hook = node.post("/api/v1/webhooks", admin, new JsonObject().put("url", "https://soc.example/hook")
                .put("secret", "webhook-hmac-secret")).bodyAsJsonObject().getString("id");
        assertThat(TestNode.await(node.http.delete("/api/v1/webhooks/" + hook).bearerTokenAuthentication(admin)
                .send()).statusCode()).isEqualTo(204);
        String alert = node.sql("INSERT INTO alerts (type, unit_id, severity, time) "
                + "VALUES ('enter', 'UAV-07', 'warning', now()) RETURNING id::text").iterator().next().getString(0);
        assertThat(node.post("/api/v1/alerts/" + alert + "/ack", operator, new JsonObject()).statusCode())
                .isEqualTo(200);
        assertThat(node.post("/api/v1/alerts/" + alert + "/assign", operator, new JsonObject().put("unitId",
                "UAV-07")).statusCode()).isEqualTo(200);
        assertThat(TestNode.await(node.http.patch("/api/v1/units/UAV-07").bearerTokenAuthentication(admin)
                .sendJsonObject(new JsonObject().put("name", "Raven 7"))).statusCode()).isEqualTo(200);
        String spare = node.login("ops1", FLOOR_PASSWORD);
        assertThat(node.post("/api/v1/logout", spare, new JsonObject()).statusCode()).isEqualTo(204);
        awaitEntries(21);

        JsonArray entries = audit(admin, "&limit=1000");
        Map<String, List<JsonObject>> byAction = new TreeMap<>(entries.stream().map(e -> (JsonObject) e)
                .collect(Collectors.groupingBy(e -> e.getString("action"))));

        assertThat(byAction.keySet()).containsExactlyInAnyOrderElementsOf(Audit.ACTIONS);
        assertThat(byAction.get("login")).hasSize(4); // admin once, ops1 three times
        for (String action : List.of("login.failed", "logout", "user.create", "user.update", "unit.create", "unit.key",
                "agency.create", "share.create", "share.delete", "geofence.create", "geofence.update",
                "geofence.delete", "webhook.create", "webhook.delete", "alert.ack", "alert.assign",
                "unit.update")) {
            assertThat(byAction.get(action)).as(action).hasSize(1);
        }
        for (Object e : entries) {
            JsonObject entry = (JsonObject) e;
            assertThat(entry.getString("actor")).as(entry.encode()).isIn("admin", "ops1");
            assertThat(entry.getString("agency")).as(entry.encode()).isEqualTo("root");
            assertThat(entry.getString("address")).as(entry.encode()).isEqualTo("127.0.0.1");
            assertThat(Instant.parse(entry.getString("time"))).isAfterOrEqualTo(Instant.parse(since));
        }
        JsonObject update = byAction.get("user.update").get(0);
        assertThat(update.getString("target")).isEqualTo("ops1");
        assertThat(update.getJsonObject("before").getString("role")).isEqualTo("operator");
        JsonObject fenceUpdate = byAction.get("geofence.update").get(0);
        assertThat(fenceUpdate.getJsonObject("before").getJsonObject("properties").getString("severity"))
                .isEqualTo("critical");
        assertThat(fenceUpdate.getJsonObject("after").getJsonObject("properties").getString("severity"))
                .isEqualTo("info");
        assertThat(byAction.get("geofence.delete").get(0).getJsonObject("before").getString("id")).isEqualTo(fenceId);
        assertThat(byAction.get("share.delete").get(0).getJsonObject("before").getString("to")).isEqualTo("navy");
        assertThat(byAction.get("alert.ack").get(0).getJsonObject("after").getString("ackedBy")).isEqualTo("ops1");
        assertThat(byAction.get("unit.key").get(0).getString("target")).isEqualTo("UAV-07");
        assertThat(byAction.get("login.failed").get(0).getString("target")).isEqualTo("admin");

        // Newest first, and the filters narrow it.
        assertThat(Instant.parse(entries.getJsonObject(0).getString("time")))
                .isAfterOrEqualTo(Instant.parse(entries.getJsonObject(entries.size() - 1).getString("time")));
        assertThat(audit(admin, "&action=unit.key").size()).isEqualTo(1);
        assertThat(audit(admin, "&actor=ops1&action=login").size()).isEqualTo(3);
        assertThat(audit(admin, "&limit=2").size()).isEqualTo(2);

        // Never a password, a token, a device key or a webhook secret.
        String all = node.sql("SELECT coalesce(string_agg(concat_ws(' ', actor, target, before::text, after::text), "
                + "' '), '') FROM audit_log WHERE time >= $1::timestamptz", OffsetDateTime.parse(since))
                .iterator().next().getString(0);
        assertThat(all).doesNotContain(FLOOR_PASSWORD, "wrong-password", TestNode.ADMIN_PASSWORD, admin, operator,
                spare, key, newKey, "webhook-hmac-secret", "$2a$");
    }

    private HttpResponse<Buffer> patchUser(String token, String username, JsonObject change) throws Exception {
        return TestNode.await(node.http.patch("/api/v1/users/" + username).bearerTokenAuthentication(token)
                .sendJsonObject(change));
    }

    @Test
    void anAdminReadsItsOwnAgencysEntriesOnlyAndOthersNone() throws Exception {
        String root = node.adminToken();
        node.post("/api/v1/agencies", root, new JsonObject().put("id", "state-police").put("name", "State Police"));
        node.post("/api/v1/users", root, new JsonObject().put("username", "chief")
                .put("password", "state-chief-password").put("role", "admin").put("agency", "state-police"));
        String chief = node.login("chief", "state-chief-password");
        node.post("/api/v1/units", chief, new JsonObject().put("id", "SP-1").put("type", "vehicle"));
        node.createUser("ops1", FLOOR_PASSWORD, "operator");
        node.createUser("watch1", FLOOR_PASSWORD, "viewer");
        awaitEntries(6);

        JsonArray state = audit(chief, "");
        JsonArray everything = audit(root, "");

        assertThat(state).isNotEmpty();
        assertThat(state.stream().map(e -> ((JsonObject) e).getString("agency"))).containsOnly("state-police");
        assertThat(state.stream().map(e -> ((JsonObject) e).getString("action")))
                .containsExactlyInAnyOrder("login", "unit.create");
        assertThat(everything.stream().map(e -> ((JsonObject) e).getString("agency")))
                .contains("root", "state-police");
        assertThat(node.get("/api/v1/audit", node.login("ops1", FLOOR_PASSWORD)).statusCode()).isEqualTo(403);
        assertThat(node.get("/api/v1/audit", node.login("watch1", FLOOR_PASSWORD)).statusCode()).isEqualTo(403);
        assertThat(TestNode.await(node.http.get("/api/v1/audit").send()).statusCode()).isEqualTo(401);
        HttpResponse<Buffer> badAction = node.get("/api/v1/audit?action=teleport", root);
        assertThat(badAction.statusCode()).isEqualTo(400);
        assertThat(badAction.bodyAsJsonObject().getString("field")).isEqualTo("action");
        assertThat(node.get("/api/v1/audit?limit=0", root).bodyAsJsonObject().getString("field")).isEqualTo("limit");
        assertThat(node.get("/api/v1/audit?since=yesterday", root).bodyAsJsonObject().getString("field"))
                .isEqualTo("since");
    }

    @Test
    void theLogCannotBeChangedOrEmptied() throws Exception {
        node.adminToken();
        awaitEntries(1);
        long before = node.count("SELECT count(*) FROM audit_log");

        assertThatThrownBy(() -> node.sql("UPDATE audit_log SET actor = 'someone-else'"))
                .hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> node.sql("DELETE FROM audit_log")).hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> node.sql("TRUNCATE audit_log")).hasStackTraceContaining("append-only");
        assertThat(node.count("SELECT count(*) FROM audit_log")).isEqualTo(before);
    }
}
