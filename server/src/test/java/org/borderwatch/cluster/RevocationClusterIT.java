package org.borderwatch.cluster;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.borderwatch.TestNode;
import org.borderwatch.ingest.cot.TakClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.borderwatch.Fixtures.fix;

/**
 * Revocation across a three-node cluster (API.md §3): a user disabled on one node is refused on the others and their
 * open WebSockets, MQTT and CoT connections there close within 1 s; a device key rotated on one node is refused on
 * the others, and the connections it opened there close within 1 s; a node that starts afterwards knows both.
 */
class RevocationClusterIT {

    private static final String PASSWORD = "watch-floor-password";
    private static final long LIMIT_MS = 1000;

    private final List<NodeProcess> nodes = new ArrayList<>();
    private final List<Integer> mqttPorts = new ArrayList<>();
    private final List<Integer> cotPorts = new ArrayList<>();
    private final List<Integer> clusterPorts = new ArrayList<>();
    private final Map<String, Long> measured = new LinkedHashMap<>();
    private Vertx vertx;
    private WebClient http;
    /** Held for the whole test: a client nothing references is closed when collected, sockets and all. */
    private WebSocketClient sockets;
    private final Instant t0 = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
    private int fixes;

    @BeforeEach
    void startCluster() throws Exception {
        vertx = Vertx.vertx();
        http = WebClient.create(vertx);
        sockets = vertx.createWebSocketClient();
        TestNode.resetDatabase(vertx);
        for (int i = 0; i < 3; i++) {
            clusterPorts.add(TestNode.freePort());
            mqttPorts.add(TestNode.freePort());
            cotPorts.add(TestNode.freePort());
        }
        for (int i = 0; i < 3; i++) {
            nodes.add(start(i, TestNode.freePort()));
        }
        for (NodeProcess node : nodes) {
            node.awaitMembers(http, 3, 120_000);
        }
    }

    private NodeProcess start(int i, int httpPort) throws Exception {
        return NodeProcess.start("revocation-node" + (i + 1), httpPort, clusterPorts.get(i), clusterPorts,
                Map.of("BW_MQTT_PORT", String.valueOf(mqttPorts.get(i)),
                        "BW_COT_PORT", String.valueOf(cotPorts.get(i))));
    }

    @AfterEach
    void stopCluster() throws Exception {
        for (NodeProcess node : nodes) {
            node.stop();
        }
        TestNode.await(vertx.close());
        System.out.println("REVOCATION cluster (ms from the request on node1): " + measured);
    }

    @Test
    void aDisabledUserAndARotatedKeyAreRefusedOnEveryNodeWithinASecond() throws Exception {
        String admin = login(0, "admin", TestNode.ADMIN_PASSWORD);
        assertThat(post(0, admin, "/api/v1/users", new JsonObject().put("username", "watcher")
                .put("password", PASSWORD).put("role", "viewer")).statusCode()).isEqualTo(201);
        HttpResponse<Buffer> unit = post(1, admin, "/api/v1/units", new JsonObject().put("id", "PV-01")
                .put("type", "vehicle"));
        assertThat(unit.statusCode()).isEqualTo(201);
        String oldKey = unit.bodyAsJsonObject().getString("deviceKey");
        String token = login(1, "watcher", PASSWORD);
        for (int i = 0; i < 3; i++) {
            assertThat(get(i, token, "/api/v1/units").statusCode()).as("node%d", i + 1).isEqualTo(200);
            assertThat(position(i, oldKey).statusCode()).as("node%d", i + 1).isEqualTo(202);
        }

        // The watcher's connections on node2 and node3; the device's on node2 (MQTT) and node3 (CoT).
        CompletableFuture<Long> live2 = webSocket(1, "/ws/live", token);
        CompletableFuture<Long> live3 = webSocket(2, "/ws/live", token);
        CompletableFuture<Long> alerts3 = webSocket(2, "/ws/alerts", token);
        MqttClient floor = mqtt(2, "watcher", PASSWORD);
        TestNode.await(floor.subscribe("alerts/#", MqttQoS.AT_LEAST_ONCE.value()));
        CompletableFuture<Long> floorClosed = closedAt(floor);
        TakClient wintak = TakClient.connect(vertx, cotPorts.get(1));
        wintak.auth("watcher", PASSWORD, "WINTAK-1");
        MqttClient device = mqtt(1, "PV-01", oldKey);
        CompletableFuture<Long> deviceClosed = closedAt(device);
        TakClient atak = TakClient.connect(vertx, cotPorts.get(2));
        atak.auth("PV-01", oldKey, "ANDROID-PV-01");
        Thread.sleep(500); // both TAK clients signed in (a password check runs off the event loop)
        CompletableFuture<Long> wintakClosed = closedAt(wintak);
        CompletableFuture<Long> atakClosed = closedAt(atak);

        long disabledAt = System.nanoTime();
        HttpResponse<Buffer> disabled = patch(0, admin, "/api/v1/users/watcher",
                new JsonObject().put("disabled", true));
        assertThat(disabled.statusCode()).isEqualTo(200);
        measure("disable: HTTP 401 on node2", untilStatus(disabledAt, 401, () -> get(1, token, "/api/v1/units")
                .statusCode()));
        measure("disable: HTTP 401 on node3", untilStatus(disabledAt, 401, () -> get(2, token, "/api/v1/units")
                .statusCode()));
        measure("disable: /ws/live closed on node2", since(disabledAt, live2));
        measure("disable: /ws/live closed on node3", since(disabledAt, live3));
        measure("disable: /ws/alerts closed on node3", since(disabledAt, alerts3));
        measure("disable: MQTT closed on node3", since(disabledAt, floorClosed));
        measure("disable: CoT closed on node2", since(disabledAt, wintakClosed));
        assertThat(loginStatus(2, "watcher", PASSWORD)).isEqualTo(401);

        long rotatedAt = System.nanoTime();
        HttpResponse<Buffer> rotated = post(0, admin, "/api/v1/units/PV-01/key", new JsonObject());
        assertThat(rotated.statusCode()).isEqualTo(200);
        String newKey = rotated.bodyAsJsonObject().getString("deviceKey");
        measure("rotate: old key 401 on node2", untilStatus(rotatedAt, 401, () -> position(1, oldKey).statusCode()));
        measure("rotate: old key 401 on node3", untilStatus(rotatedAt, 401, () -> position(2, oldKey).statusCode()));
        measure("rotate: MQTT closed on node2", since(rotatedAt, deviceClosed));
        measure("rotate: CoT closed on node3", since(rotatedAt, atakClosed));
        assertThatThrownBy(() -> mqtt(2, "PV-01", oldKey)).as("MQTT CONNECT with the old key").isNotNull();
        assertThat(position(2, newKey).statusCode()).isEqualTo(202);

        assertThat(measured.values()).allMatch(ms -> ms < LIMIT_MS);

        // A node that starts after the revocations reads them: node3 again, as a new JVM on the same ports.
        NodeProcess late = nodes.get(2);
        late.stop();
        nodes.set(2, start(2, late.httpPort));
        for (NodeProcess node : nodes) {
            node.awaitMembers(http, 3, 120_000);
        }
        assertThat(get(2, token, "/api/v1/units").statusCode()).isEqualTo(401);
        assertThat(position(2, oldKey).statusCode()).isEqualTo(401);
        assertThat(position(2, newKey).statusCode()).isEqualTo(202);
        assertThat(loginStatus(2, "watcher", PASSWORD)).isEqualTo(401);
    }

    private void measure(String what, long ms) {
        measured.put(what, ms);
    }

    private static long since(long start, CompletableFuture<Long> closedAt) throws Exception {
        return TimeUnit.NANOSECONDS.toMillis(closedAt.get(5, TimeUnit.SECONDS) - start);
    }

    /** Milliseconds from {@code start} until {@code call} answers {@code status}; fails after 5 s. */
    private static long untilStatus(long start, int status, Check call) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (call.status() == status) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("still not " + status + " after 5 s");
    }

    /** A request whose status is awaited. */
    @FunctionalInterface
    private interface Check {
        int status() throws Exception;
    }

    private CompletableFuture<Long> webSocket(int node, String path, String token) throws Exception {
        CompletableFuture<Long> closedAt = new CompletableFuture<>();
        TestNode.await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                        .setPort(nodes.get(node).httpPort).setURI(path + "?access_token=" + token)))
                .closeHandler(v -> closedAt.complete(System.nanoTime()));
        return closedAt;
    }

    private MqttClient mqtt(int node, String username, String password) throws Exception {
        MqttClient client = MqttClient.create(vertx, new MqttClientOptions().setUsername(username)
                .setPassword(password).setClientId(username + "-" + System.nanoTime()));
        TestNode.await(client.connect(mqttPorts.get(node), "127.0.0.1"));
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

    private HttpResponse<Buffer> position(int node, String key) throws Exception {
        fixes++;
        return post(node, key, "/api/v1/positions", fix("PV-01", t0.plusSeconds(fixes).toString(), 31.6,
                -106.3 + fixes * 0.001));
    }

    private String login(int node, String username, String password) throws Exception {
        HttpResponse<Buffer> response = TestNode.await(http.post(nodes.get(node).httpPort, "127.0.0.1",
                "/api/v1/login").sendJsonObject(new JsonObject().put("username", username).put("password", password)));
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject().getString("token");
    }

    private int loginStatus(int node, String username, String password) throws Exception {
        return TestNode.await(http.post(nodes.get(node).httpPort, "127.0.0.1", "/api/v1/login")
                .sendJsonObject(new JsonObject().put("username", username).put("password", password))).statusCode();
    }

    private HttpResponse<Buffer> get(int node, String token, String path) throws Exception {
        return TestNode.await(http.get(nodes.get(node).httpPort, "127.0.0.1", path).bearerTokenAuthentication(token)
                .send());
    }

    private HttpResponse<Buffer> post(int node, String token, String path, JsonObject body) throws Exception {
        return TestNode.await(http.post(nodes.get(node).httpPort, "127.0.0.1", path).bearerTokenAuthentication(token)
                .sendJsonObject(body));
    }

    private HttpResponse<Buffer> patch(int node, String token, String path, JsonObject body) throws Exception {
        return TestNode.await(http.patch(nodes.get(node).httpPort, "127.0.0.1", path)
                .bearerTokenAuthentication(token).sendJsonObject(body));
    }
}
