package org.borderwatch.contact;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.contact.ContactsIT.contact;

/**
 * Geofences whose {@code targets} include contacts (API.md §5, §10): a contact entering one raises one alert, once,
 * with the fence's severity, seen by whoever sees the contact; a fence for units only never alerts for contacts and a
 * fence for contacts only never for units.
 */
class ContactFencesIT {

    private static final String PASSWORD = "correct-horse-battery";

    private TestNode node;
    /** Held for the test: a client the collector takes can drop a handshake in flight. */
    private WebSocketClient webSockets;
    private String admin;
    private final List<WebSocket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
        admin = node.adminToken();
    }

    @AfterEach
    void stop() throws Exception {
        for (WebSocket socket : sockets) {
            TestNode.await(socket.close());
        }
        node.close();
    }

    /** {@link Fixtures#square} around El Paso, watching {@code targets}. */
    private static JsonObject fence(String name, String... targets) {
        JsonObject fence = Fixtures.square(name);
        fence.getJsonObject("properties").put("targets", new JsonArray(List.of((Object[]) targets)));
        return fence;
    }

    private void report(JsonObject... contacts) throws Exception {
        HttpResponse<Buffer> response = node.post("/api/v1/contacts", admin,
                new JsonArray(List.of((Object[]) contacts)));
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    }

    private JsonArray alerts(String query, String token) throws Exception {
        HttpResponse<Buffer> response = node.get("/api/v1/alerts" + query, token);
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonArray();
    }

    private BlockingQueue<JsonObject> alertStream(String token) throws Exception {
        BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        sockets.add(TestNode.await(client().connect(new WebSocketConnectOptions()
                        .setHost("127.0.0.1").setPort(node.port).setURI("/ws/alerts?access_token=" + token))
                .onSuccess(s -> s.textMessageHandler(text -> frames.add(new JsonObject(text))))));
        return frames;
    }

    @Test
    void aContactEnteringAContactsFenceRaisesOneCriticalAlertAndAUnitsFenceNone() throws Exception {
        String contactsFence = node.createFence(fence("Restricted airspace", "contacts"));
        String unitsFence = node.createFence(fence("POE apron", "units"));
        assertThat(node.get("/api/v1/geofences/" + contactsFence, admin).bodyAsJsonObject()
                .getJsonObject("properties").getJsonArray("targets").getList()).containsExactly("contacts");
        assertThat(node.get("/api/v1/geofences/" + unitsFence, admin).bodyAsJsonObject()
                .getJsonObject("properties").getJsonArray("targets").getList()).containsExactly("units");
        BlockingQueue<JsonObject> stream = alertStream(admin);
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(30);

        // Outside, inside twice (one batch), then the same fixes again: one enter.
        report(contact("adsb", "A1B2C3", t, 31.65, -106.45).put("kind", "aircraft").put("alt", 300.0));
        JsonObject inside = contact("adsb", "A1B2C3", t.plusSeconds(1), 31.75, -106.45).put("alt", 300.0);
        JsonObject still = contact("adsb", "A1B2C3", t.plusSeconds(2), 31.76, -106.44).put("alt", 310.0);
        report(inside, still);
        report(inside, still);

        JsonObject alert = stream.poll(10, TimeUnit.SECONDS);
        assertThat(alert).as("the enter on /ws/alerts").isNotNull();
        assertThat(alert.getString("type")).isEqualTo("enter");
        assertThat(alert.getString("severity")).isEqualTo("critical");
        assertThat(alert.getString("unitId")).isEqualTo("adsb:A1B2C3");
        assertThat(alert.getString("contactId")).isEqualTo("adsb:A1B2C3");
        assertThat(alert.getString("contactAgency")).isEqualTo("root");
        assertThat(alert.getString("geofenceId")).isEqualTo(contactsFence);
        assertThat(alert.getString("geofenceName")).isEqualTo("Restricted airspace");
        assertThat(alert.getString("time")).isEqualTo(t.plusSeconds(1).toString());
        assertThat(alert.getDouble("lat")).isEqualTo(31.75);

        JsonArray stored = alerts("?unitId=adsb:A1B2C3", admin);
        assertThat(stored).hasSize(1);
        assertThat(stored.getJsonObject(0).getString("id")).isEqualTo(alert.getString("id"));
        assertThat(node.count("SELECT count(*) FROM alerts WHERE geofence_id = $1::uuid",
                UUID.fromString(unitsFence))).as("a units fence ignores contacts").isZero();

        // Leaving raises one exit; a unit crossing the contacts fence raises nothing there, the units fence's enter.
        report(contact("adsb", "A1B2C3", t.plusSeconds(3), 31.85, -106.45).put("alt", 320.0));
        JsonObject exit = stream.poll(10, TimeUnit.SECONDS);
        assertThat(exit.getString("type")).isEqualTo("exit");
        String key = node.createUnit("PV-1", "vehicle");
        node.post("/api/v1/positions", key, Fixtures.fix("PV-1", t.toString(), 31.65, -106.45));
        node.post("/api/v1/positions", key, Fixtures.fix("PV-1", t.plusSeconds(1).toString(), 31.75, -106.45));
        JsonObject unitAlert = stream.poll(10, TimeUnit.SECONDS);
        assertThat(unitAlert.getString("unitId")).isEqualTo("PV-1");
        assertThat(unitAlert.getString("geofenceId")).isEqualTo(unitsFence);
        assertThat(unitAlert.containsKey("contactId")).isFalse();
        assertThat(stream.poll(1, TimeUnit.SECONDS)).as("nothing more").isNull();
        assertThat(node.count("SELECT count(*) FROM alerts")).isEqualTo(3);
    }

    @Test
    void aFenceForBothWatchesBothAndItsCeilingLetsAircraftAboveItPass() throws Exception {
        JsonObject zone = fence("Low-level corridor", "units", "contacts");
        zone.getJsonObject("properties").put("severity", "warning").put("maxAltitudeMeters", 500)
                .put("contactKinds", new JsonArray().add("aircraft"));
        String fence = node.createFence(zone);
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(30);

        // High over it: no alert. Down below the ceiling: enter. A vessel (not a watched kind): nothing.
        report(contact("adsb", "HIGH01", t, 31.65, -106.45).put("kind", "aircraft").put("alt", 3000.0),
                contact("adsb", "HIGH01", t.plusSeconds(1), 31.75, -106.45).put("alt", 3000.0),
                contact("adsb", "LOW001", t, 31.65, -106.45).put("kind", "aircraft").put("alt", 3000.0),
                contact("adsb", "LOW001", t.plusSeconds(1), 31.75, -106.45).put("alt", 3000.0),
                contact("adsb", "LOW001", t.plusSeconds(2), 31.75, -106.45).put("alt", 200.0),
                contact("ais", "366053209", t, 31.65, -106.45).put("kind", "vessel"),
                contact("ais", "366053209", t.plusSeconds(1), 31.75, -106.45));
        String key = node.createUnit("PV-2", "foot");
        node.post("/api/v1/positions", key, Fixtures.fix("PV-2", t.toString(), 31.65, -106.45));
        node.post("/api/v1/positions", key, Fixtures.fix("PV-2", t.plusSeconds(1).toString(), 31.75, -106.45));

        assertThat(node.awaitCount(2, "SELECT count(*) FROM alerts")).isEqualTo(2);
        JsonArray raised = alerts("?geofenceId=" + fence, admin);
        assertThat(raised.stream().map(a -> ((JsonObject) a).getString("unitId")).toList())
                .containsExactlyInAnyOrder("adsb:LOW001", "PV-2");
        assertThat(raised.getJsonObject(0).getString("severity")).isEqualTo("warning");
        JsonObject low = alerts("?unitId=adsb:LOW001", admin).getJsonObject(0);
        assertThat(low.getString("time")).isEqualTo(t.plusSeconds(2).toString());
    }

    @Test
    void aFenceDrawnAroundAContactRaisesNothingUntilItReallyCrosses() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(30);
        report(contact("ais", "338091445", t, 31.75, -106.45).put("kind", "vessel"));
        String fence = node.createFence(fence("Anchorage", "contacts"));
        // The re-baseline runs in turn with the commits: the next fix, still inside, raises nothing.
        report(contact("ais", "338091445", t.plusSeconds(1), 31.751, -106.45));
        report(contact("ais", "338091445", t.plusSeconds(2), 31.85, -106.45));

        assertThat(node.awaitCount(1, "SELECT count(*) FROM alerts")).isEqualTo(1);
        assertThat(node.alertTypes("ais:338091445")).containsExactly("exit");

        // Retargeted to units only: the contact, back inside, raises nothing.
        JsonObject units = fence("Anchorage", "units");
        assertThat(node.put("/api/v1/geofences/" + fence, admin, units).statusCode()).isEqualTo(200);
        report(contact("ais", "338091445", t.plusSeconds(3), 31.75, -106.45));
        Thread.sleep(500);
        assertThat(node.alertTypes("ais:338091445")).containsExactly("exit");
    }

    @Test
    void aContactAlertIsSeenByTheAgenciesThatSeeTheContactOnly() throws Exception {
        for (String agency : List.of("coast", "army")) {
            assertThat(node.post("/api/v1/agencies", admin, new JsonObject().put("id", agency).put("name", agency))
                    .statusCode()).isEqualTo(201);
        }
        String coast = user("coast-ops", "operator", "coast");
        String army = user("army-watch", "viewer", "army");
        String[] hooks = new String[2];
        for (int i = 0; i < 2; i++) {
            String agency = i == 0 ? "coast" : "army";
            String agencyAdmin = user(agency + "-admin", "admin", agency);
            hooks[i] = node.post("/api/v1/webhooks", agencyAdmin, new JsonObject()
                    .put("url", "https://soc.example.org/" + agency).put("secret", "long-enough-secret"))
                    .bodyAsJsonObject().getString("id");
        }
        node.createFence(fence("Harbour", "contacts"));
        BlockingQueue<JsonObject> armyStream = alertStream(army);
        BlockingQueue<JsonObject> coastStream = alertStream(coast);
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(30);

        assertThat(node.post("/api/v1/contacts", coast, new JsonArray()
                .add(contact("harbour-radar", "3", t, 31.65, -106.45))
                .add(contact("harbour-radar", "3", t.plusSeconds(1), 31.75, -106.45))).statusCode()).isEqualTo(202);

        JsonObject seen = coastStream.poll(10, TimeUnit.SECONDS);
        assertThat(seen.getString("contactAgency")).isEqualTo("coast");
        assertThat(alerts("", coast)).hasSize(1);
        assertThat(alerts("", army)).isEmpty();
        assertThat(node.count("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = $1::uuid",
                UUID.fromString(hooks[0]))).as("coast's webhook gets it").isEqualTo(1);
        assertThat(node.count("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = $1::uuid",
                UUID.fromString(hooks[1]))).as("army's does not").isZero();
        assertThat(armyStream.poll(500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(node.post("/api/v1/alerts/" + seen.getString("id") + "/ack", army, new JsonObject())
                .statusCode()).as("army may not even find it").isIn(403, 404);
        assertThat(node.post("/api/v1/alerts/" + seen.getString("id") + "/ack", coast, new JsonObject())
                .statusCode()).isEqualTo(200);
    }

    private String user(String name, String role, String agency) throws Exception {
        assertThat(node.post("/api/v1/users", admin, new JsonObject().put("username", name).put("password", PASSWORD)
                .put("role", role).put("agency", agency)).statusCode()).isEqualTo(201);
        return node.login(name, PASSWORD);
    }

    @Test
    void badContactFencePropertiesAre400sNamingTheField() throws Exception {
        for (Object targets : List.of("contacts", new JsonArray(), new JsonArray().add("boats"),
                new JsonArray().add("units").add("units"))) {
            JsonObject bad = Fixtures.square("x");
            bad.getJsonObject("properties").put("targets", targets);
            HttpResponse<Buffer> response = node.post("/api/v1/geofences", admin, bad);
            assertThat(response.statusCode()).as(String.valueOf(targets)).isEqualTo(400);
            assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo("targets");
        }
        JsonObject ceiling = fence("x", "contacts");
        ceiling.getJsonObject("properties").put("maxAltitudeMeters", -1);
        assertThat(node.post("/api/v1/geofences", admin, ceiling).bodyAsJsonObject().getString("field"))
                .isEqualTo("maxAltitudeMeters");
        JsonObject kinds = fence("x", "contacts");
        kinds.getJsonObject("properties").put("contactKinds", new JsonArray().add("submarine"));
        assertThat(node.post("/api/v1/geofences", admin, kinds).bodyAsJsonObject().getString("field"))
                .isEqualTo("contactKinds");
    }

    private WebSocketClient client() {
        if (webSockets == null) {
            webSockets = node.vertx.createWebSocketClient();
        }
        return webSockets;
    }
}
