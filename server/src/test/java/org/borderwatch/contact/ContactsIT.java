package org.borderwatch.contact;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contacts (API.md §10) as a radar, an operator and the maps meet them: reported over HTTP, read by time and area,
 * pushed to {@code /ws/live} coalesced, stale and dropped after silence, and seen only by the agencies that may.
 */
class ContactsIT {

    private static final String PASSWORD = "correct-horse-battery";

    private TestNode node;
    /** Held for the test: a client the collector takes can drop a handshake in flight. */
    private WebSocketClient webSockets;

    @AfterEach
    void stop() throws Exception {
        for (WebSocket socket : sockets.values()) {
            // A socket still open when the node closes holds the close up for 30 s.
            TestNode.await(socket.close());
        }
        if (node != null) {
            node.close();
        }
    }

    static JsonObject contact(String source, String trackId, Instant time, double lat, double lon) {
        return new JsonObject().put("source", source).put("trackId", trackId)
                .put("time", time.truncatedTo(ChronoUnit.MILLIS).toString()).put("lat", lat).put("lon", lon);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private void agency(String id) throws Exception {
        assertThat(node.post("/api/v1/agencies", node.adminToken(), new JsonObject().put("id", id)
                .put("name", id)).statusCode()).isEqualTo(201);
    }

    private String user(String name, String role, String agency) throws Exception {
        HttpResponse<Buffer> created = node.post("/api/v1/users", node.adminToken(), new JsonObject()
                .put("username", name).put("password", PASSWORD).put("role", role).put("agency", agency));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        return node.login(name, PASSWORD);
    }

    private JsonArray features(String query, String token) throws Exception {
        HttpResponse<Buffer> response = node.get("/api/v1/contacts" + query, token);
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject().getJsonArray("features");
    }

    @Test
    void anOperatorReportsContactsAndTheFloorReadsTheNewestOfEachByTimeAndArea() throws Exception {
        node = TestNode.fresh();
        String operator = user("radar-desk", "operator", "root");
        Instant t = now().minusSeconds(10);
        JsonArray report = new JsonArray()
                .add(contact("radar-7", "17", t, 31.70, -106.45).put("kind", "person").put("speed", 1.4)
                        .put("heading", 200.0).put("attributes", new JsonObject().put("rcs", 0.8)))
                .add(contact("radar-7", "17", t.plusSeconds(2), 31.71, -106.46).put("speed", 1.5))
                .add(contact("radar-7", "18", t.plusSeconds(1), 31.60, -106.30).put("kind", "vehicle")
                        .put("name", "pickup"));

        HttpResponse<Buffer> accepted = node.post("/api/v1/contacts", operator, report);
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        assertThat(accepted.bodyAsJsonObject().getInteger("accepted")).isEqualTo(3);

        JsonArray all = features("", operator);
        assertThat(all).hasSize(2);
        JsonObject person = all.stream().map(JsonObject.class::cast)
                .filter(f -> f.getString("id").equals("radar-7:17")).findFirst().orElseThrow();
        assertThat(person.getJsonObject("geometry").getJsonArray("coordinates").getList())
                .containsExactly(-106.46, 31.71);
        JsonObject props = person.getJsonObject("properties");
        assertThat(props.getString("source")).isEqualTo("radar-7");
        assertThat(props.getString("trackId")).isEqualTo("17");
        assertThat(props.getString("kind")).as("a fix without a kind keeps the contact's").isEqualTo("person");
        assertThat(props.getDouble("speed")).isEqualTo(1.5);
        assertThat(props.getString("time")).isEqualTo(t.plusSeconds(2).toString());
        assertThat(props.getString("agency")).isEqualTo("root");
        assertThat(props.getString("status")).isEqualTo("live");
        assertThat(props.getJsonObject("attributes")).isEqualTo(new JsonObject().put("rcs", 0.8));

        assertThat(features("?bbox=-106.5,31.65,-106.4,31.75", operator)).hasSize(1);
        assertThat(features("?bbox=-100,20,-99,21", operator)).isEmpty();
        assertThat(features("?since=" + t.plusSeconds(2), operator)).hasSize(1);
        assertThat(features("?since=" + t.plusSeconds(3), operator)).isEmpty();
        assertThat(features("?limit=1", operator)).hasSize(1);

        JsonObject trail = node.get("/api/v1/contacts/radar-7:17/track?from=" + t.minusSeconds(60), operator)
                .bodyAsJsonObject();
        assertThat(trail.getJsonObject("geometry").getJsonArray("coordinates")).hasSize(2);
        assertThat(trail.getJsonObject("properties").getJsonArray("times").getList())
                .containsExactly(t.toString(), t.plusSeconds(2).toString());
        assertThat(node.get("/api/v1/contacts/radar-7:99/track", operator).statusCode()).isEqualTo(404);
        assertThat(node.get("/api/v1/contacts/nonsense/track", operator).statusCode()).isEqualTo(404);

        // The same fix again is taken and stored once; an older one joins the trail but does not move the contact.
        assertThat(node.post("/api/v1/contacts", operator, report.getJsonObject(1)).statusCode()).isEqualTo(202);
        assertThat(node.post("/api/v1/contacts", operator, contact("radar-7", "17", t.minusSeconds(5), 31.0,
                -106.0)).statusCode()).isEqualTo(202);
        assertThat(node.count("SELECT count(*) FROM contact_positions WHERE contact_id = 'radar-7:17'"))
                .isEqualTo(3);
        assertThat(node.sql("SELECT lat FROM contacts WHERE id = 'radar-7:17'").iterator().next().getDouble("lat"))
                .isEqualTo(31.71);
    }

    @Test
    void aSensorsKeyReportsContactsOfItsAgencyAndOtherKeysAndViewersMayNot() throws Exception {
        node = TestNode.fresh();
        agency("coast");
        HttpResponse<Buffer> created = node.post("/api/v1/units", node.adminToken(), new JsonObject()
                .put("id", "RADAR-1").put("type", "sensor").put("agency", "coast"));
        String radarKey = created.bodyAsJsonObject().getString("deviceKey");
        String droneKey = node.createUnit("UAV-1", "drone");
        String viewer = user("watch", "viewer", "root");
        JsonObject fix = contact("radar-1", "4", now(), 26.0, -97.2).put("kind", "vessel");

        assertThat(node.post("/api/v1/contacts", radarKey, fix).statusCode()).isEqualTo(202);
        assertThat(node.post("/api/v1/contacts", droneKey, fix).statusCode()).isEqualTo(403);
        assertThat(node.post("/api/v1/contacts", viewer, fix).statusCode()).isEqualTo(403);
        assertThat(TestNode.await(node.http.post("/api/v1/contacts").sendJsonObject(fix)).statusCode())
                .isEqualTo(401);
        assertThat(node.get("/api/v1/contacts", radarKey).statusCode()).isEqualTo(403);

        var row = node.sql("SELECT agency, reported_by FROM contacts WHERE id = 'radar-1:4'").iterator().next();
        assertThat(row.getString("agency")).isEqualTo("coast");
        assertThat(row.getString("reported_by")).isEqualTo("RADAR-1");

        // Root's operator may not move coast's contact: it stays coast's, and nothing of the report is stored.
        HttpResponse<Buffer> refused = node.post("/api/v1/contacts", node.adminToken(), new JsonArray()
                .add(contact("radar-1", "5", now(), 26.0, -97.2))
                .add(contact("radar-1", "4", now().plusMillis(1), 26.1, -97.3)));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.bodyAsJsonObject().getString("field")).isEqualTo("trackId");
        assertThat(refused.bodyAsJsonObject().getInteger("index")).isEqualTo(1);
        assertThat(node.count("SELECT count(*) FROM contacts WHERE id = 'radar-1:5'")).isZero();
    }

    @Test
    void badReportsAndQueriesAre400sNamingTheField() throws Exception {
        node = TestNode.fresh();
        String admin = node.adminToken();
        JsonObject good = contact("radar-7", "1", now(), 31.7, -106.4);
        Map<String, JsonObject> bad = Map.of(
                "lat", good.copy().put("lat", 91),
                "lon", good.copy().put("lon", "west"),
                "time", good.copy().put("time", "yesterday"),
                "source", good.copy().put("source", "radar:7"),
                "trackId", good.copy().put("trackId", ""),
                "kind", good.copy().put("kind", "ufo"),
                "heading", good.copy().put("heading", 360),
                "speed", good.copy().put("speed", -1),
                "name", good.copy().put("name", "a\u0000b"),
                "attributes", good.copy().put("attributes", "big"));
        for (Map.Entry<String, JsonObject> entry : bad.entrySet()) {
            HttpResponse<Buffer> response = node.post("/api/v1/contacts", admin, new JsonArray().add(good)
                    .add(entry.getValue()));
            assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(400);
            assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo(entry.getKey());
            assertThat(response.bodyAsJsonObject().getInteger("index")).isEqualTo(1);
        }
        assertThat(node.post("/api/v1/contacts", admin, "{not json").bodyAsJsonObject().getString("field"))
                .isEqualTo("body");
        assertThat(node.post("/api/v1/contacts", admin, new JsonArray()).bodyAsJsonObject().getString("field"))
                .isEqualTo("body");
        assertThat(node.count("SELECT count(*) FROM contacts")).as("nothing of a rejected report").isZero();

        for (String query : List.of("bbox=1,2,3", "bbox=-200,0,0,1", "bbox=a,b,c,d", "since=soon", "limit=0",
                "limit=x")) {
            HttpResponse<Buffer> response = node.get("/api/v1/contacts?" + query, admin);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo(query.substring(0,
                    query.indexOf('=')));
        }
        assertThat(node.get("/api/v1/contacts/radar-7:1/track?from=never", admin).bodyAsJsonObject()
                .getString("field")).isEqualTo("from");
    }

    @Test
    void aFullQueueAnswers503AndStoresNothingOfTheReport() throws Exception {
        node = TestNode.fresh(Map.of("BW_CONTACT_QUEUE_MAX", "2"));
        Instant t = now();
        JsonArray three = new JsonArray().add(contact("radar-7", "1", t, 31.7, -106.4))
                .add(contact("radar-7", "2", t, 31.7, -106.4)).add(contact("radar-7", "3", t, 31.7, -106.4));

        HttpResponse<Buffer> response = node.post("/api/v1/contacts", node.adminToken(), three);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isNotNull();
        assertThat(node.count("SELECT count(*) FROM contacts")).isZero();
        assertThat(node.post("/api/v1/contacts", node.adminToken(), three.getJsonObject(0)).statusCode())
                .isEqualTo(202);
    }

    @Test
    void anotherAgencySeesContactsOnlyOnceTheyAreSharedWithIt() throws Exception {
        node = TestNode.fresh();
        agency("coast");
        agency("army");
        String coastOps = user("coast-ops", "operator", "coast");
        String army = user("army-watch", "viewer", "army");
        BlockingQueue<JsonObject> armyMap = connect(army);
        BlockingQueue<JsonObject> rootMap = connect(node.adminToken());
        next(armyMap, "contacts");
        next(rootMap, "contacts");

        assertThat(node.post("/api/v1/contacts", coastOps, contact("boat-radar", "9", now(), 26.05, -97.15))
                .statusCode()).isEqualTo(202);

        JsonObject seen = next(rootMap, "contacts", f -> !f.getJsonArray("contacts").isEmpty());
        assertThat(seen.getJsonArray("contacts").getJsonObject(0).getString("id")).isEqualTo("boat-radar:9");
        assertThat(features("", army)).isEmpty();
        assertThat(features("", coastOps)).hasSize(1);
        assertThat(node.get("/api/v1/contacts/boat-radar:9/track", army).statusCode()).isEqualTo(404);
        assertThat(poll(armyMap, 700)).as("army's map gets nothing of coast's contacts").isEmpty();

        HttpResponse<Buffer> share = node.post("/api/v1/shares", node.adminToken(), new JsonObject()
                .put("from", "coast").put("to", "army").put("unitTypes", new JsonArray().add("boat")));
        assertThat(share.statusCode()).as(share.bodyAsString()).isEqualTo(201);
        assertThat(features("", army)).as("a share of any units shares the contacts").hasSize(1);
        assertThat(node.get("/api/v1/contacts/boat-radar:9/track", army).statusCode()).isEqualTo(200);
        assertThat(node.post("/api/v1/contacts", coastOps, contact("boat-radar", "9", now(), 26.06, -97.16))
                .statusCode()).isEqualTo(202);
        JsonObject shared = next(armyMap, "contacts", f -> !f.getJsonArray("contacts").isEmpty());
        assertThat(shared.getJsonArray("contacts").getJsonObject(0).getDouble("lat")).isEqualTo(26.06);
    }

    @Test
    void mapsGetContactsCoalescedInTheirBoxThenStaleThenDropped() throws Exception {
        node = TestNode.fresh(Map.of("BW_CONTACT_STALE_SECONDS", "1"));
        String admin = node.adminToken();
        BlockingQueue<JsonObject> map = connect(admin);
        BlockingQueue<JsonObject> boxed = connect(admin);
        JsonObject snapshot = next(map, "contacts");
        assertThat(snapshot.getBoolean("snapshot")).isTrue();
        assertThat(snapshot.getJsonArray("contacts")).isEmpty();
        next(boxed, "contacts");
        send(boxed, new JsonObject().put("type", "subscribe").put("bbox", new JsonArray().add(-98).add(25)
                .add(-97).add(27)));
        next(boxed, "contacts");

        // Ten fixes of one aircraft within a few hundred milliseconds: a map gets one or two frames, the newest last.
        Instant t = now();
        for (int i = 0; i < 10; i++) {
            assertThat(node.post("/api/v1/contacts", admin, contact("adsb", "A1B2C3", t.plusMillis(i * 10L),
                    31.7 + i * 0.001, -106.4).put("kind", "aircraft").put("alt", 450.0)).statusCode())
                    .isEqualTo(202);
        }
        List<JsonObject> frames = new ArrayList<>();
        JsonObject last;
        do {
            last = next(map, "contacts");
            frames.add(last);
        } while (!last.getJsonArray("contacts").getJsonObject(0).getString("time")
                .equals(t.plusMillis(90).toString()));
        assertThat(frames.size()).as("coalesced at most every 500 ms").isLessThanOrEqualTo(3);
        JsonObject aircraft = last.getJsonArray("contacts").getJsonObject(0);
        assertThat(aircraft.getString("id")).isEqualTo("adsb:A1B2C3");
        assertThat(aircraft.getString("kind")).isEqualTo("aircraft");
        assertThat(aircraft.getDouble("alt")).isEqualTo(450.0);
        assertThat(aircraft.getString("status")).isEqualTo("live");

        // A second map's box is on the Gulf: the aircraft over El Paso never reaches it, a boat off Brownsville does.
        assertThat(node.post("/api/v1/contacts", admin, contact("ais", "366053209", now(), 26.05, -97.15)
                .put("kind", "vessel")).statusCode()).isEqualTo(202);
        JsonObject gulf = next(boxed, "contacts");
        assertThat(gulf.getJsonArray("contacts").stream().map(c -> ((JsonObject) c).getString("id")).toList())
                .containsExactly("ais:366053209");

        // Silence: stale after a second, dropped after five, told to every map that may see it, box or not.
        assertThat(next(map, "contacts", f -> status(f, "adsb:A1B2C3", "stale")).getJsonArray("contacts"))
                .isNotEmpty();
        next(map, "contacts", f -> status(f, "adsb:A1B2C3", "dropped"));
        next(boxed, "contacts", f -> status(f, "adsb:A1B2C3", "dropped"));
        send(map, new JsonObject().put("type", "subscribe").put("bbox", null));
        assertThat(next(map, "contacts", f -> f.getBoolean("snapshot", false)).getJsonArray("contacts").stream()
                .map(c -> ((JsonObject) c).getString("id")).toList()).as("gone from the live picture")
                .doesNotContain("adsb:A1B2C3");
        assertThat(features("?since=" + t.minusSeconds(1), admin)).as("but not from the record").hasSize(2);
    }

    private static boolean status(JsonObject frame, String id, String status) {
        return frame.getJsonArray("contacts").stream().map(JsonObject.class::cast)
                .anyMatch(c -> c.getString("id").equals(id) && c.getString("status").equals(status));
    }

    private final Map<BlockingQueue<JsonObject>, WebSocket> sockets = new IdentityHashMap<>();

    /** A map on {@code /ws/live}: the frames it receives, in order. */
    private BlockingQueue<JsonObject> connect(String token) throws Exception {
        BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        // The handler is set before the handshake, so no frame arriving with the upgrade's answer is missed.
        ClientWebSocket socket = client().webSocket();
        socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
        TestNode.await(socket.connect(new WebSocketConnectOptions()
                .setHost("127.0.0.1").setPort(node.port).setURI("/ws/live?access_token=" + token)));
        sockets.put(frames, socket);
        return frames;
    }

    private void send(BlockingQueue<JsonObject> frames, JsonObject message) throws Exception {
        TestNode.await(sockets.get(frames).writeTextMessage(message.encode()));
    }

    static JsonObject next(BlockingQueue<JsonObject> frames, String type) throws InterruptedException {
        return next(frames, type, f -> true);
    }

    static JsonObject next(BlockingQueue<JsonObject> frames, String type, Predicate<JsonObject> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            JsonObject frame = frames.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && type.equals(frame.getString("type")) && wanted.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no wanted '" + type + "' frame within 10 s");
    }

    /** Every frame that arrives within {@code millis}. */
    private static List<JsonObject> poll(BlockingQueue<JsonObject> frames, long millis) throws InterruptedException {
        List<JsonObject> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            JsonObject frame = frames.poll(50, TimeUnit.MILLISECONDS);
            if (frame != null) {
                got.add(frame);
            }
        }
        return got;
    }

    private WebSocketClient client() {
        if (webSockets == null) {
            webSockets = node.vertx.createWebSocketClient();
        }
        return webSockets;
    }
}
