package org.borderwatch.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.borderwatch.ingest.cot.CotSamples;
import org.borderwatch.ingest.cot.TakClient;
import org.borderwatch.ingest.mqtt.Mosquitto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what (API.md §3, §9), route by route and door by door, for every kind of caller: nobody, a device key,
 * a viewer, an operator, a root admin, and a viewer and an admin of another agency that shares nothing. Each cell is
 * the status (or, for a WebSocket, the upgrade: 101) the contract gives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixIT {

    private static final String PASSWORD = "matrix-test-passphrase";
    private static final List<String> CALLERS = List.of("nobody", "device", "viewer", "operator", "admin",
            "otherViewer", "otherAdmin", "disabled", "loggedOut", "oldKey");

    private TestNode node;
    private int mqttPort;
    private int cotPort;
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private String alertId;
    private String fenceId;
    private String webhookId;
    private final AtomicInteger counter = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        mqttPort = TestNode.freePort();
        cotPort = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_MQTT_PORT", String.valueOf(mqttPort), "BW_COT_PORT",
                String.valueOf(cotPort)));
        String root = node.adminToken();
        assertThat(node.post("/api/v1/agencies", root, new JsonObject().put("id", "navy").put("name", "Navy"))
                .statusCode()).isEqualTo(201);
        tokens.put("device", node.createUnit("UAV-01", "drone"));
        for (String[] user : new String[][] {{"viewer", "viewer", "root"}, {"operator", "operator", "root"},
                {"otherViewer", "viewer", "navy"}, {"otherAdmin", "admin", "navy"}}) {
            assertThat(node.post("/api/v1/users", root, new JsonObject().put("username", user[0])
                    .put("password", PASSWORD).put("role", user[1]).put("agency", user[2])).statusCode())
                    .isEqualTo(201);
            tokens.put(user[0], node.login(user[0], PASSWORD));
        }
        tokens.put("admin", root);
        // A disabled user's token, a token signed out, and a device key replaced by a new one: all refused (401).
        assertThat(node.post("/api/v1/users", root, new JsonObject().put("username", "gone").put("password",
                PASSWORD).put("role", "admin")).statusCode()).isEqualTo(201);
        tokens.put("disabled", node.login("gone", PASSWORD));
        assertThat(TestNode.await(node.http.patch("/api/v1/users/gone").bearerTokenAuthentication(root)
                .sendJsonObject(new JsonObject().put("disabled", true))).statusCode()).isEqualTo(200);
        tokens.put("loggedOut", node.login("viewer", PASSWORD));
        assertThat(node.post("/api/v1/logout", tokens.get("loggedOut"), new JsonObject()).statusCode())
                .isEqualTo(204);
        String spare = node.createUnit("UAV-99", "drone");
        tokens.put("oldKey", spare);
        assertThat(node.post("/api/v1/units/UAV-99/key", root, new JsonObject()).statusCode()).isEqualTo(200);
        node.createUnit("UAV-R", "drone"); // its key is replaced again and again below
        fenceId = node.createFence(Fixtures.square("Zone"));
        webhookId = node.post("/api/v1/webhooks", root, new JsonObject().put("url", "https://soc.example.org/root")
                .put("secret", "long-enough")).bodyAsJsonObject().getString("id");
        Instant t = Instant.now().minusSeconds(60);
        node.post("/api/v1/positions", tokens.get("device"), Fixtures.fix("UAV-01", t.toString(), 31.6, -106.45));
        node.post("/api/v1/positions", tokens.get("device"), Fixtures.fix("UAV-01", t.plusSeconds(1).toString(),
                31.75, -106.45));
        alertId = node.get("/api/v1/alerts", root).bodyAsJsonArray().getJsonObject(0).getString("id");
        assertThat(node.post("/api/v1/contacts", root, contact("R-1")).statusCode()).isEqualTo(202);
    }

    /** A radar track of the caller's agency: a fresh track id per call, so no agency meets another's contact. */
    private static JsonObject contact(String trackId) {
        return new JsonObject().put("source", "radar").put("trackId", trackId)
                .put("time", Instant.now().minusSeconds(5).toString()).put("lat", 31.6).put("lon", -106.4);
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
    }

    /** One route: how to call it (fresh per call, so creates do not collide) and the status per caller. */
    private record Route(String name, HttpMethod method, Supplier<String> path, Supplier<Object> body,
                         Map<String, Integer> expected) {
    }

    /** The status per caller, in the order of {@link #CALLERS}; revoked credentials get what nobody gets. */
    private static Map<String, Integer> statuses(int... perCaller) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < perCaller.length; i++) {
            map.put(CALLERS.get(i), perCaller[i]);
        }
        for (String revoked : List.of("disabled", "loggedOut", "oldKey")) {
            map.put(revoked, perCaller[0]);
        }
        return map;
    }

    private String unique(String prefix) {
        return prefix + counter.incrementAndGet();
    }

    private List<Route> routes() {
        Supplier<Object> none = () -> null;
        return List.of(
                //                                                                nobody dev view oper admin oV oA
                new Route("list units", HttpMethod.GET, () -> "/api/v1/units", none,
                        statuses(401, 403, 200, 200, 200, 200, 200)),
                new Route("create unit", HttpMethod.POST, () -> "/api/v1/units",
                        () -> new JsonObject().put("id", unique("U-")).put("type", "boat"),
                        statuses(401, 403, 403, 403, 201, 403, 201)),
                new Route("track of a root unit", HttpMethod.GET, () -> "/api/v1/units/UAV-01/track", none,
                        statuses(401, 403, 200, 200, 200, 404, 404)),
                new Route("report the device's unit", HttpMethod.POST, () -> "/api/v1/positions",
                        () -> Fixtures.fix("UAV-01", Instant.now().minusMillis(counter.incrementAndGet())
                                .toString(), 31.5, -106.2),
                        statuses(401, 202, 403, 403, 202, 403, 400)),
                new Route("list geofences", HttpMethod.GET, () -> "/api/v1/geofences", none,
                        statuses(401, 403, 200, 200, 200, 200, 200)),
                new Route("read a root geofence", HttpMethod.GET, () -> "/api/v1/geofences/" + fenceId, none,
                        statuses(401, 403, 200, 200, 200, 404, 404)),
                new Route("create a geofence", HttpMethod.POST, () -> "/api/v1/geofences",
                        () -> Fixtures.square(unique("F-")), statuses(401, 403, 403, 201, 201, 403, 201)),
                new Route("change a root geofence", HttpMethod.PUT, () -> "/api/v1/geofences/" + fenceId,
                        () -> Fixtures.square("Zone"), statuses(401, 403, 403, 200, 200, 403, 404)),
                new Route("list alerts", HttpMethod.GET, () -> "/api/v1/alerts", none,
                        statuses(401, 403, 200, 200, 200, 200, 200)),
                new Route("ack a root unit's alert", HttpMethod.POST, () -> "/api/v1/alerts/" + alertId + "/ack",
                        () -> new JsonObject(), statuses(401, 403, 403, 200, 200, 403, 404)),
                new Route("create a webhook", HttpMethod.POST, () -> "/api/v1/webhooks",
                        () -> new JsonObject().put("url", "https://soc.example.org/" + unique("h"))
                                .put("secret", "long-enough"), statuses(401, 403, 403, 403, 201, 403, 201)),
                new Route("list webhooks", HttpMethod.GET, () -> "/api/v1/webhooks", none,
                        statuses(401, 403, 403, 403, 200, 403, 200)),
                new Route("deliveries of a root webhook", HttpMethod.GET,
                        () -> "/api/v1/webhooks/" + webhookId + "/deliveries", none,
                        statuses(401, 403, 403, 403, 200, 403, 404)),
                new Route("create a user", HttpMethod.POST, () -> "/api/v1/users",
                        () -> new JsonObject().put("username", unique("u")).put("password", PASSWORD)
                                .put("role", "viewer"), statuses(401, 403, 403, 403, 201, 403, 201)),
                new Route("list users", HttpMethod.GET, () -> "/api/v1/users", none,
                        statuses(401, 403, 403, 403, 200, 403, 200)),
                new Route("change a root user", HttpMethod.PATCH, () -> "/api/v1/users/operator",
                        () -> new JsonObject().put("role", "operator"), statuses(401, 403, 403, 403, 200, 403, 404)),
                new Route("replace a root unit's key", HttpMethod.POST, () -> "/api/v1/units/UAV-R/key",
                        () -> new JsonObject(), statuses(401, 403, 403, 403, 200, 403, 404)),
                new Route("read the audit log", HttpMethod.GET, () -> "/api/v1/audit", none,
                        statuses(401, 403, 403, 403, 200, 403, 200)),
                new Route("list agencies", HttpMethod.GET, () -> "/api/v1/agencies", none,
                        statuses(401, 403, 200, 200, 200, 200, 200)),
                new Route("create an agency", HttpMethod.POST, () -> "/api/v1/agencies",
                        () -> new JsonObject().put("id", unique("a")).put("name", "A"),
                        statuses(401, 403, 403, 403, 201, 403, 403)),
                new Route("list shares", HttpMethod.GET, () -> "/api/v1/shares", none,
                        statuses(401, 403, 403, 403, 200, 403, 200)),
                // Before root shares anything with navy: a share, of any units, shows navy root's contacts too.
                new Route("report a contact", HttpMethod.POST, () -> "/api/v1/contacts",
                        () -> contact(unique("T-")), statuses(401, 403, 403, 202, 202, 403, 202)),
                new Route("list contacts", HttpMethod.GET, () -> "/api/v1/contacts", none,
                        statuses(401, 403, 200, 200, 200, 200, 200)),
                new Route("trail of a root contact", HttpMethod.GET, () -> "/api/v1/contacts/radar:R-1/track", none,
                        statuses(401, 403, 200, 200, 200, 404, 404)),
                new Route("share root's units", HttpMethod.POST, () -> "/api/v1/shares",
                        () -> new JsonObject().put("from", "root").put("to", "navy")
                                .put("unitIds", new JsonArray().add(unique("none-"))),
                        statuses(401, 403, 403, 403, 201, 403, 403)),
                new Route("health", HttpMethod.GET, () -> "/health/live", none,
                        statuses(200, 200, 200, 200, 200, 200, 200)),
                new Route("metrics", HttpMethod.GET, () -> "/metrics", none,
                        statuses(200, 200, 200, 200, 200, 200, 200)));
    }

    @Test
    void everyRouteForEveryCaller() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Route route : routes()) {
            for (String caller : CALLERS) {
                HttpRequest<Buffer> request = node.http.request(route.method(), route.path().get());
                if (tokens.containsKey(caller)) {
                    request.bearerTokenAuthentication(tokens.get(caller));
                }
                Object body = route.body().get();
                Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJson(body);
                HttpResponse<Buffer> response = TestNode.await(sent);
                int expected = route.expected().get(caller);
                if (response.statusCode() != expected) {
                    wrong.add(route.name() + " as " + caller + ": " + response.statusCode() + ", not " + expected
                            + " " + response.bodyAsString());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theWebSocketsForEveryCaller() throws Exception {
        Map<String, Integer> expected = statuses(401, 403, 101, 101, 101, 101, 101);
        for (String path : List.of("/ws/live", "/ws/alerts")) {
            for (String caller : CALLERS) {
                String query = tokens.containsKey(caller) ? "?access_token=" + tokens.get(caller) : "";
                int status = TestNode.await(node.vertx.createWebSocketClient().connect(new WebSocketConnectOptions()
                                .setHost("127.0.0.1").setPort(node.port).setURI(path + query))
                        .compose(socket -> socket.close().map(101))
                        .recover(e -> Future.succeededFuture(e.getMessage() != null && e.getMessage()
                                .contains("401") ? 401 : e.getMessage() != null && e.getMessage().contains("403")
                                ? 403 : -1)));
                assertThat(status).as("%s as %s", path, caller).isEqualTo(expected.get(caller));
            }
        }
    }

    @Test
    void mqttTopicsForEveryCaller() throws Exception {
        String fix = Fixtures.fix("UAV-01", Instant.now().minusSeconds(2).toString(), 31.5, -106.2).encode();
        assertThat(Mosquitto.pub(mqttPort, "UAV-01", tokens.get("device"), 1, "units/UAV-01/position", fix)
                .exitCode()).as("a device publishes its own position").isZero();
        assertThat(Mosquitto.pub(mqttPort, "nobody", "nothing", 1, "units/UAV-01/position", fix).exitCode())
                .as("nobody connects").isNotZero();
        assertThat(Mosquitto.pub(mqttPort, "UAV-99", tokens.get("oldKey"), 1, "units/UAV-99/position", fix)
                .exitCode()).as("a replaced key connects no more").isNotZero();
        assertThat(Mosquitto.pub(mqttPort, "gone", PASSWORD, 1, "units/UAV-01/position", fix).exitCode())
                .as("a disabled user connects no more").isNotZero();
        assertThat(Mosquitto.pub(mqttPort, "viewer", PASSWORD, 1, "units/UAV-01/position", fix).output())
                .as("a viewer is no device").isNotBlank();
        for (String[] sub : new String[][] {{"viewer", PASSWORD, "granted"}, {"otherViewer", PASSWORD, "granted"},
                {"UAV-01", tokens.get("device"), "denied"}}) {
            try (Mosquitto client = Mosquitto.sub(mqttPort, sub[0], sub[1], 1, "alerts/#")) {
                if (sub[2].equals("granted")) {
                    client.subscribed();
                    assertThat(client.lines()).noneMatch(line -> line.contains("denied"));
                } else {
                    client.await(line -> line.contains("denied") || line.contains("128"), "a refusal");
                }
            }
        }
    }

    @Test
    void theCotFeedForEveryCaller() throws Exception {
        try (TakClient device = TakClient.connect(node.vertx, cotPort);
             TakClient viewer = TakClient.connect(node.vertx, cotPort);
             TakClient other = TakClient.connect(node.vertx, cotPort);
             TakClient nobody = TakClient.connect(node.vertx, cotPort);
             TakClient wrong = TakClient.connect(node.vertx, cotPort)) {
            viewer.auth("viewer", PASSWORD, "W-1");
            other.auth("otherViewer", PASSWORD, "W-2");
            device.auth("UAV-01", tokens.get("device"), "ANDROID-1");
            viewer.await(TakClient.uid("UAV-01"), "the root unit for a root viewer");
            nobody.send(CotSamples.sample("atak-sa", Instant.now().minusSeconds(1)));
            nobody.awaitClosed();
            wrong.auth("viewer", "not-the-password", "W-3");
            wrong.awaitClosed();
            try (TakClient disabled = TakClient.connect(node.vertx, cotPort);
                 TakClient oldKey = TakClient.connect(node.vertx, cotPort)) {
                disabled.auth("gone", PASSWORD, "W-4");
                oldKey.auth("UAV-99", tokens.get("oldKey"), "ANDROID-99");
                disabled.awaitClosed();
                oldKey.awaitClosed();
            }
            device.send(CotSamples.sample("atak-ping", Instant.now()));
            device.await(TakClient.type("t-x-c-t-r"), "a pong for the device");
            Thread.sleep(300);
            assertThat(other.seen()).as("another agency's viewer sees none of root's units").isEmpty();
            assertThat(other.isClosed()).isFalse();
        }
    }
}
