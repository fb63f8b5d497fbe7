package org.borderwatch.auth;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.borderwatch.TestNode;
import org.borderwatch.ingest.cot.TakClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.borderwatch.Fixtures.fix;
import static org.borderwatch.Fixtures.square;

/**
 * Revocable sessions (API.md §3) on one node: logout, disabling a user and changing their role or password stop their
 * tokens at once and close their open WebSockets, MQTT and CoT connections within 1 s; rotating a device key refuses
 * the old key on every protocol, connections already open included, and the new key works.
 */
class SessionsIT {

    private static final String PASSWORD = "watch-floor-password";
    private static final long ONE_SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private TestNode node;
    private int mqttPort;
    private int cotPort;
    private int osmandPort;
    /** Held for the whole test: a client nothing references is closed when collected, sockets and all. */
    private WebSocketClient sockets;

    @BeforeEach
    void start() throws Exception {
        mqttPort = TestNode.freePort();
        cotPort = TestNode.freePort();
        osmandPort = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_MQTT_PORT", String.valueOf(mqttPort), "BW_COT_PORT", String.valueOf(cotPort),
                "BW_OSMAND_PORT", String.valueOf(osmandPort)));
        node.createUser("watcher", PASSWORD, "viewer");
        sockets = node.vertx.createWebSocketClient();
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    /** A WebSocket and the moment (System.nanoTime) the server closed it. */
    private record Socket(WebSocket socket, CompletableFuture<Long> closedAt) {
    }

    private Socket open(String path, String token) throws Exception {
        CompletableFuture<Long> closedAt = new CompletableFuture<>();
        WebSocket socket = TestNode.await(sockets.connect(new WebSocketConnectOptions()
                .setHost("127.0.0.1").setPort(node.port).setURI(path + "?access_token=" + token)));
        socket.closeHandler(v -> closedAt.complete(System.nanoTime()));
        return new Socket(socket, closedAt);
    }

    /** Milliseconds from {@code since} until the connection closed; fails when it did not within 5 s. */
    private static long closedWithin(CompletableFuture<Long> closedAt, long since) throws Exception {
        return TimeUnit.NANOSECONDS.toMillis(closedAt.get(5, TimeUnit.SECONDS) - since);
    }

    private HttpResponse<Buffer> patch(String username, JsonObject change) throws Exception {
        return TestNode.await(node.http.patch("/api/v1/users/" + username)
                .bearerTokenAuthentication(node.adminToken()).sendJsonObject(change));
    }

    private int loginStatus(String username, String password) throws Exception {
        return TestNode.await(node.http.post("/api/v1/login").sendJsonObject(new JsonObject()
                .put("username", username).put("password", password))).statusCode();
    }

    private MqttClient mqtt(String username, String password) throws Exception {
        MqttClient client = MqttClient.create(node.vertx, new MqttClientOptions().setUsername(username)
                .setPassword(password).setClientId(username + "-" + System.nanoTime()));
        TestNode.await(client.connect(mqttPort, "127.0.0.1"));
        return client;
    }

    private static CompletableFuture<Long> closedAt(MqttClient client) {
        CompletableFuture<Long> closedAt = new CompletableFuture<>();
        client.closeHandler(v -> closedAt.complete(System.nanoTime()));
        return closedAt;
    }

    private static CompletableFuture<Long> closedAt(TakClient tak) {
        CompletableFuture<Long> closedAt = new CompletableFuture<>();
        Thread watcher = new Thread(() -> {
            try {
                tak.awaitClosed();
                closedAt.complete(System.nanoTime());
            } catch (Exception e) {
                closedAt.completeExceptionally(e);
            }
        });
        watcher.setDaemon(true);
        watcher.start();
        return closedAt;
    }

    @Test
    void logoutStopsThatTokenAtOnceAndClosesItsSockets() throws Exception {
        String token = node.login("watcher", PASSWORD);
        String other = node.login("watcher", PASSWORD);
        Socket live = open("/ws/live", token);
        Socket otherLive = open("/ws/live", other);
        assertThat(node.get("/api/v1/units", token).statusCode()).isEqualTo(200);

        long sent = System.nanoTime();
        HttpResponse<Buffer> logout = node.post("/api/v1/logout", token, new JsonObject());

        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(node.get("/api/v1/units", token).statusCode()).isEqualTo(401);
        long closedMs = closedWithin(live.closedAt(), sent);
        System.out.println("REVOCATION logout: /ws/live closed " + closedMs + " ms after the request");
        assertThat(closedMs).isLessThan(1000);
        assertThat(node.post("/api/v1/logout", token, new JsonObject()).statusCode()).isEqualTo(401);
        // Only that token: the user's other session goes on.
        assertThat(node.get("/api/v1/units", other).statusCode()).isEqualTo(200);
        assertThat(otherLive.closedAt()).isNotDone();
        assertThat(node.sql("SELECT count(*) FROM revoked_tokens").iterator().next().getLong(0)).isEqualTo(1);
        TestNode.await(otherLive.socket().close()); // an open WebSocket would hold the node's close for 30 s
    }

    @Test
    void aDeviceKeyCannotSignOut() throws Exception {
        String key = node.createUnit("UAV-01", "drone");

        assertThat(node.post("/api/v1/logout", key, new JsonObject()).statusCode()).isEqualTo(403);
        assertThat(node.post("/api/v1/logout", "not-a-token", new JsonObject()).statusCode()).isEqualTo(401);
    }

    @Test
    void disablingAUserRevokesTheirTokensAndClosesEveryConnectionWithinASecond() throws Exception {
        String token = node.login("watcher", PASSWORD);
        Socket live = open("/ws/live", token);
        Socket alerts = open("/ws/alerts", token);
        MqttClient subscriber = mqtt("watcher", PASSWORD);
        TestNode.await(subscriber.subscribe("alerts/#", MqttQoS.AT_LEAST_ONCE.value()));
        CompletableFuture<Long> mqttClosed = closedAt(subscriber);
        TakClient tak = TakClient.connect(node.vertx, cotPort);
        tak.auth("watcher", PASSWORD, "WINTAK-1");
        awaitTakClients(1);
        CompletableFuture<Long> takClosed = closedAt(tak);

        long sent = System.nanoTime();
        HttpResponse<Buffer> disabled = patch("watcher", new JsonObject().put("disabled", true));

        assertThat(disabled.statusCode()).as(disabled.bodyAsString()).isEqualTo(200);
        assertThat(disabled.bodyAsJsonObject().getBoolean("disabled")).isTrue();
        assertThat(node.get("/api/v1/units", token).statusCode()).isEqualTo(401);
        long liveMs = closedWithin(live.closedAt(), sent);
        long alertsMs = closedWithin(alerts.closedAt(), sent);
        long mqttMs = closedWithin(mqttClosed, sent);
        long takMs = closedWithin(takClosed, sent);
        System.out.printf("REVOCATION disable: /ws/live %d ms, /ws/alerts %d ms, MQTT %d ms, CoT %d ms%n", liveMs,
                alertsMs, mqttMs, takMs);
        assertThat(List.of(liveMs, alertsMs, mqttMs, takMs)).allMatch(ms -> ms < 1000);
        assertThat(loginStatus("watcher", PASSWORD)).isEqualTo(401);
        assertThatThrownBy(() -> mqtt("watcher", PASSWORD)).as("MQTT CONNECT of a disabled user").isNotNull();

        // Enabled again: a new login works; the token from before stays revoked.
        assertThat(patch("watcher", new JsonObject().put("disabled", false)).statusCode()).isEqualTo(200);
        String again = node.login("watcher", PASSWORD);
        assertThat(node.get("/api/v1/units", again).statusCode()).isEqualTo(200);
        assertThat(node.get("/api/v1/units", token).statusCode()).isEqualTo(401);
    }

    private void awaitTakClients(int expected) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            String metrics = TestNode.await(node.http.get("/metrics").send()).bodyAsString();
            if (metrics.lines().anyMatch(("bw_cot_clients " + expected)::equals)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(expected + " TAK clients did not sign in");
    }

    @Test
    void aRoleChangeRevokesTheOldTokenAndANewLoginCarriesTheNewRoleAtOnce() throws Exception {
        String viewer = node.login("watcher", PASSWORD);
        Socket live = open("/ws/live", viewer);

        long sent = System.nanoTime();
        HttpResponse<Buffer> promoted = patch("watcher", new JsonObject().put("role", "operator"));
        // In the same second as the change: the login waits for the next second rather than hand out a dead token.
        String operator = node.login("watcher", PASSWORD);

        assertThat(promoted.statusCode()).isEqualTo(200);
        assertThat(promoted.bodyAsJsonObject().getString("role")).isEqualTo("operator");
        assertThat(node.get("/api/v1/units", viewer).statusCode()).isEqualTo(401);
        assertThat(closedWithin(live.closedAt(), sent)).isLessThan(1000);
        assertThat(node.get("/api/v1/units", operator).statusCode()).isEqualTo(200);
        assertThat(node.post("/api/v1/geofences", operator, square("Gate")).statusCode())
                .isEqualTo(201);
    }

    @Test
    void aPasswordChangeRevokesTheOldTokenAndTheOldPassword() throws Exception {
        String token = node.login("watcher", PASSWORD);
        Socket alerts = open("/ws/alerts", token);

        long sent = System.nanoTime();
        HttpResponse<Buffer> changed = patch("watcher", new JsonObject().put("password", "a-new-watch-password"));

        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.bodyAsJsonObject().fieldNames()).containsExactlyInAnyOrder("username", "role", "agency",
                "disabled", "createdAt");
        assertThat(node.get("/api/v1/units", token).statusCode()).isEqualTo(401);
        assertThat(closedWithin(alerts.closedAt(), sent)).isLessThan(1000);
        assertThat(loginStatus("watcher", PASSWORD)).isEqualTo(401);
        assertThat(node.get("/api/v1/units", node.login("watcher", "a-new-watch-password")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aChangeThatChangesNothingRevokesNothing() throws Exception {
        String token = node.login("watcher", PASSWORD);
        Socket live = open("/ws/live", token);

        assertThat(patch("watcher", new JsonObject().put("disabled", false).put("role", "viewer")).statusCode())
                .isEqualTo(200);

        Thread.sleep(300);
        assertThat(node.get("/api/v1/units", token).statusCode()).isEqualTo(200);
        assertThat(live.closedAt()).isNotDone();
        TestNode.await(live.socket().close());
    }

    @Test
    void usersAreListedAndChangedWithinTheAdminsAgencyOnly() throws Exception {
        String root = node.adminToken();
        assertThat(node.post("/api/v1/agencies", root, new JsonObject().put("id", "state-police")
                .put("name", "State Police")).statusCode()).isEqualTo(201);
        assertThat(node.post("/api/v1/users", root, new JsonObject().put("username", "chief").put("password",
                "state-chief-password").put("role", "admin").put("agency", "state-police")).statusCode())
                .isEqualTo(201);
        String chief = node.login("chief", "state-chief-password");
        assertThat(node.post("/api/v1/users", chief, new JsonObject().put("username", "trooper").put("password",
                "state-trooper-password").put("role", "viewer")).statusCode()).isEqualTo(201);

        JsonArray all = node.get("/api/v1/users", root).bodyAsJsonArray();
        JsonArray state = node.get("/api/v1/users", chief).bodyAsJsonArray();

        assertThat(all.stream().map(u -> ((JsonObject) u).getString("username")))
                .containsExactly("admin", "chief", "trooper", "watcher");
        assertThat(state.stream().map(u -> ((JsonObject) u).getString("username")))
                .containsExactly("chief", "trooper");
        assertThat(all.encode()).doesNotContain("$2a$").doesNotContain("password");
        assertThat(node.get("/api/v1/users", node.login("watcher", PASSWORD)).statusCode()).isEqualTo(403);

        HttpResponse<Buffer> foreign = TestNode.await(node.http.patch("/api/v1/users/watcher")
                .bearerTokenAuthentication(chief).sendJsonObject(new JsonObject().put("disabled", true)));
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(patch("trooper", new JsonObject().put("role", "operator")).statusCode()).isEqualTo(200);
        assertThat(patch("ghost", new JsonObject().put("role", "operator")).statusCode()).isEqualTo(404);
        HttpResponse<Buffer> badRole = patch("trooper", new JsonObject().put("role", "root"));
        assertThat(badRole.statusCode()).isEqualTo(400);
        assertThat(badRole.bodyAsJsonObject().getString("field")).isEqualTo("role");
        HttpResponse<Buffer> badFlag = patch("trooper", new JsonObject().put("disabled", "yes"));
        assertThat(badFlag.bodyAsJsonObject().getString("field")).isEqualTo("disabled");
        assertThat(patch("trooper", new JsonObject().put("name", "x")).bodyAsJsonObject().getString("field"))
                .isEqualTo("body");
        assertThat(patch("admin", new JsonObject().put("disabled", true)).statusCode()).isEqualTo(403);
        assertThat(node.get("/api/v1/units", root).statusCode()).isEqualTo(200);
    }

    @Test
    void aRotatedKeyIsRefusedOnEveryProtocolAndItsOpenConnectionsClose() throws Exception {
        String oldKey = node.createUnit("UAV-01", "drone");
        Instant t = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        MqttClient device = mqtt("UAV-01", oldKey);
        CompletableFuture<Long> mqttClosed = closedAt(device);
        TakClient tak = TakClient.connect(node.vertx, cotPort);
        tak.auth("UAV-01", oldKey, "ANDROID-01");
        tak.send(cot("ANDROID-01", t, 31.70));
        assertThat(node.awaitCount(1, "SELECT count(*) FROM positions")).isEqualTo(1);
        CompletableFuture<Long> takClosed = closedAt(tak);

        long sent = System.nanoTime();
        HttpResponse<Buffer> rotated = node.post("/api/v1/units/UAV-01/key", node.adminToken(), new JsonObject());

        assertThat(rotated.statusCode()).isEqualTo(200);
        String newKey = rotated.bodyAsJsonObject().getString("deviceKey");
        assertThat(newKey).startsWith("bwk_").isNotEqualTo(oldKey);
        long mqttMs = closedWithin(mqttClosed, sent);
        long takMs = closedWithin(takClosed, sent);
        System.out.printf("REVOCATION key rotation: MQTT %d ms, CoT %d ms%n", mqttMs, takMs);
        assertThat(mqttMs).isLessThan(1000);
        assertThat(takMs).isLessThan(1000);

        assertThat(node.post("/api/v1/positions", oldKey, fix("UAV-01", t.plusSeconds(1).toString(), 31.71, -106.4))
                .statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> mqtt("UAV-01", oldKey)).as("MQTT CONNECT with the old key").isNotNull();
        assertThat(TestNode.await(node.http.get(osmandPort, "127.0.0.1", "/?id=" + oldKey + "&lat=31.72&lon=-106.4"
                + "&timestamp=" + t.plusSeconds(2).getEpochSecond()).send()).statusCode()).isEqualTo(403);
        TestNode.await(node.vertx.createDatagramSocket().send(Buffer.buffer(cot(oldKey, t.plusSeconds(3), 31.73)),
                cotPort, "127.0.0.1"));
        try (TakClient again = TakClient.connect(node.vertx, cotPort)) {
            again.auth("UAV-01", oldKey, "ANDROID-01");
            again.awaitClosed();
        }

        assertThat(node.post("/api/v1/positions", newKey, fix("UAV-01", t.plusSeconds(4).toString(), 31.74, -106.4))
                .statusCode()).isEqualTo(202);
        MqttClient renewed = mqtt("UAV-01", newKey);
        assertThat(renewed.isConnected()).isTrue();
        TestNode.await(renewed.disconnect());
        Thread.sleep(300); // a datagram with the old key, had it been taken, would be stored by now
        assertThat(node.count("SELECT count(*) FROM positions")).isEqualTo(2);
    }

    @Test
    void onlyTheUnitsAgencyRotatesItsKey() throws Exception {
        String root = node.adminToken();
        node.createUnit("UAV-01", "drone");
        node.post("/api/v1/agencies", root, new JsonObject().put("id", "navy").put("name", "Navy"));
        node.post("/api/v1/users", root, new JsonObject().put("username", "captain")
                .put("password", "navy-captain-password").put("role", "admin").put("agency", "navy"));
        String captain = node.login("captain", "navy-captain-password");

        assertThat(node.post("/api/v1/units/UAV-01/key", captain, new JsonObject()).statusCode()).isEqualTo(404);
        node.post("/api/v1/shares", root, new JsonObject().put("from", "root").put("to", "navy"));
        // Shared with navy: visible to its captain now (once the node has reloaded its shares), still not theirs.
        long deadline = System.currentTimeMillis() + 5_000;
        int status;
        do {
            status = node.post("/api/v1/units/UAV-01/key", captain, new JsonObject()).statusCode();
        } while (status == 404 && System.currentTimeMillis() < deadline);
        assertThat(status).isEqualTo(403);
        assertThat(node.post("/api/v1/units/GHOST/key", root, new JsonObject()).statusCode()).isEqualTo(404);
        assertThat(node.post("/api/v1/units/UAV-01/key", node.login("watcher", PASSWORD), new JsonObject())
                .statusCode()).isEqualTo(403);
    }

    private static String cot(String uid, Instant time, double lat) {
        return "<event version=\"2.0\" uid=\"" + uid + "\" type=\"a-f-G-U-C\" how=\"m-g\" time=\"" + time
                + "\" start=\"" + time + "\" stale=\"" + time.plusSeconds(60) + "\"><point lat=\"" + lat
                + "\" lon=\"-106.4\" hae=\"0\" ce=\"5\" le=\"5\"/><detail/></event>";
    }
}
