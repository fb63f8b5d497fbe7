package org.borderwatch.docs;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.sqlclient.Row;
import org.borderwatch.DbRelay;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.borderwatch.ingest.adsb.SbsMessage;
import org.borderwatch.ingest.ais.AisDecoder;
import org.borderwatch.ingest.cot.CotEncoder;
import org.borderwatch.ingest.cot.CotEvent;
import org.borderwatch.ingest.cot.CotMessage;
import org.borderwatch.ingest.cot.TakClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.borderwatch.ingest.cot.TakClient.type;
import static org.borderwatch.ingest.cot.TakClient.uid;

/**
 * Keeps {@code docs/protocols.md} honest. Each sample there is tagged by an HTML comment on the line before its
 * fence, {@code <!-- sample: KIND NAME -->}, where KIND is {@code cot-in}, {@code cot-out}, {@code json-in} or
 * {@code json-out}. Samples "in" are sent to a real node and must be taken (and stored where they are fixes);
 * samples "out" must have the shape of what a real node sends, and CoT ones must be exactly what the encoder writes
 * for the values they show.
 */
class ProtocolsDocIT {

    private static final Path DOCUMENT = Path.of("..", "docs", "protocols.md");
    private static final Pattern SAMPLE = Pattern.compile(
            "<!-- sample: (\\S+) (\\S+) -->\\n```(\\w+)\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Set<String> EXPECTED = Set.of("ws-subscribe", "ws-error", "ws-snapshot", "ws-positions",
            "ws-alert", "ws-geofence-upsert", "ws-geofence-delete", "ws-status", "ws-ack", "ws-health",
            "ws-alerts-frame", "mqtt-position-in", "mqtt-position-out", "mqtt-alert-out", "auth", "atak-sa",
            "cot-stored", "key-as-uid", "atak-ping", "pong", "unit", "alarm-geofence", "alarm", "ws-contacts",
            "adsb-lines", "ais-sentences");
    private static final String FLOOR_PASSWORD = "watch-floor-password";

    record Sample(String kind, String name, String language, String text) {

        JsonObject json() {
            return new JsonObject(text);
        }

        Element xml() {
            return dom(text);
        }
    }

    private TestNode node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private static Map<String, Sample> samples() throws Exception {
        String page = Files.readString(DOCUMENT);
        Map<String, Sample> samples = new LinkedHashMap<>();
        Matcher matcher = SAMPLE.matcher(page);
        while (matcher.find()) {
            Sample sample = new Sample(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4));
            assertThat(samples.put(sample.name(), sample)).as("sample %s is tagged twice", sample.name()).isNull();
        }
        assertThat(page.split("<!-- sample:", -1)).as("every tag is followed directly by its fence")
                .hasSize(samples.size() + 1);
        return samples;
    }

    static Element dom(String xml) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("the JDK cannot parse: " + xml, e);
        }
    }

    @Test
    void everySampleIsTaggedParsesAndIsOneThisTestChecks() throws Exception {
        Map<String, Sample> samples = samples();

        assertThat(samples.keySet()).containsExactlyInAnyOrderElementsOf(EXPECTED);
        for (Sample sample : samples.values()) {
            switch (sample.kind()) {
                case "cot-in" -> {
                    assertThat(sample.language()).isEqualTo("xml");
                    CotMessage.parse(sample.text()); // throws with the reason when the server would refuse it
                }
                case "cot-out" -> {
                    assertThat(sample.language()).isEqualTo("xml");
                    assertThat(sample.xml().getTagName()).isEqualTo("event");
                }
                case "sbs-in" -> {
                    assertThat(sample.language()).isEqualTo("text");
                    sample.text().lines().forEach(line -> assertThat(SbsMessage.parse(line)).as(line).isNotNull());
                }
                case "ais-in" -> {
                    assertThat(sample.language()).isEqualTo("text");
                    AisDecoder decoder = new AisDecoder();
                    sample.text().lines().forEach(line -> decoder.accept(line, Instant.now()));
                }
                case "json-in", "json-out" -> {
                    assertThat(sample.language()).isEqualTo("json");
                    assertThat(Json.decodeValue(sample.text())).as(sample.name()).isInstanceOf(JsonObject.class);
                }
                default -> throw new AssertionError("unknown sample kind " + sample.kind());
            }
        }
        CotMessage.Auth auth = (CotMessage.Auth) CotMessage.parse(samples.get("auth").text());
        CotEvent atak = CotEvent.parse(samples.get("atak-sa").text());
        assertThat(atak.uid()).as("ATAK reports under the uid its auth message names").isEqualTo(auth.uid());
        assertThat(atak.isAtom()).isTrue();
        assertThat(CotEvent.parse(samples.get("atak-ping").text()).isPing()).isTrue();
        assertThat(CotEvent.parse(samples.get("key-as-uid").text()).uid()).isEqualTo(auth.password());
    }

    @Test
    void theCotSamplesAreExactlyWhatTheEncoderWritesForTheValuesTheyShow() throws Exception {
        Map<String, Sample> samples = samples();
        CotEncoder encoder = new CotEncoder(60); // BW_STALE_SECONDS' default, as the page says
        JsonObject unit = samples.get("ws-positions").json().getJsonArray("units").getJsonObject(0);
        JsonObject alert = samples.get("ws-alert").json().getJsonObject("alert");
        String name = samples.get("mqtt-position-out").json().getString("name");

        assertThat(encoder.position(unit, name).toString()).isEqualTo(samples.get("unit").text());
        assertThat(encoder.alert(alert, name).toString()).isEqualTo(samples.get("alarm-geofence").text());
        Element pong = samples.get("pong").xml();
        assertThat(CotEncoder.pong(Instant.parse(pong.getAttribute("time"))).toString())
                .isEqualTo(samples.get("pong").text());

        Element alarm = samples.get("alarm").xml();
        Element marks = child(alarm, "__borderwatch");
        Element point = child(alarm, "point");
        String remarks = child(alarm, "remarks").getTextContent();
        JsonObject stale = new JsonObject().put("id", marks.getAttribute("alertId"))
                .put("type", marks.getAttribute("alertType")).put("unitId", marks.getAttribute("unitId"))
                .put("severity", marks.getAttribute("severity"))
                .put("time", remarks.substring(remarks.indexOf("fix at ") + 7, remarks.length() - 1))
                .put("detectedAt", alarm.getAttribute("time"))
                .put("lat", Double.parseDouble(point.getAttribute("lat")))
                .put("lon", Double.parseDouble(point.getAttribute("lon")));
        String staleName = child(alarm, "contact").getAttribute("callsign").substring("STALE: ".length());
        assertThat(encoder.alert(stale, staleName).toString()).isEqualTo(samples.get("alarm").text());

        // The same alert and unit wherever the page shows them.
        assertThat(samples.get("ws-alerts-frame").json()).isEqualTo(alert);
        assertThat(samples.get("mqtt-alert-out").json()).isEqualTo(alert);
        JsonObject mqttUnit = samples.get("mqtt-position-out").json();
        JsonObject asUnit = mqttUnit.copy().put("id", mqttUnit.getString("unitId"));
        asUnit.remove("unitId");
        assertThat(asUnit).isEqualTo(unit.copy().put("name", name));
    }

    @Test
    void theTakSamplesAreStoredByARealNode() throws Exception {
        Map<String, Sample> samples = samples();
        int cotPort = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_COT_PORT", String.valueOf(cotPort)));
        String key = createUnit("PV-14", "HOTEL 3-1", "foot");
        String documentedKey = ((CotMessage.Auth) CotMessage.parse(samples.get("auth").text())).password();

        try (TakClient atak = TakClient.connect(node.vertx, cotPort)) {
            atak.send(samples.get("auth").text().replace(documentedKey, key));
            atak.send(samples.get("atak-sa").text());
            atak.send(samples.get("atak-ping").text());
            Element pong = atak.await(type(CotEvent.PONG_TYPE), "the pong");
            assertThat(structure(pong)).isEqualTo(structure(samples.get("pong").xml()));
            assertThat(node.awaitCount(1, "SELECT count(*) FROM positions WHERE unit_id = 'PV-14'")).isEqualTo(1);
            assertThat(atak.isClosed()).isFalse();
        }

        JsonObject stored = samples.get("cot-stored").json();
        Row row = node.sql("SELECT unit_id, time, ST_Y(geom) AS lat, ST_X(geom) AS lon, alt, accuracy, speed, "
                + "heading, battery, attributes FROM positions WHERE unit_id = 'PV-14'").iterator().next();
        assertThat(row.getString("unit_id")).isEqualTo(stored.getString("unitId"));
        assertThat(row.getOffsetDateTime("time").toInstant()).isEqualTo(Instant.parse(stored.getString("time")));
        for (String field : List.of("lat", "lon", "alt", "accuracy", "speed", "heading", "battery")) {
            assertThat(row.getDouble(field)).as(field).isEqualTo(stored.getDouble(field));
        }
        assertThat(row.getJson("attributes")).isEqualTo(stored.getJsonObject("attributes"));

        var udp = node.vertx.createDatagramSocket();
        TestNode.await(udp.send(Buffer.buffer(samples.get("key-as-uid").text().replace(documentedKey, key)),
                cotPort, "127.0.0.1"));
        assertThat(node.awaitCount(2, "SELECT count(*) FROM positions WHERE unit_id = 'PV-14'")).isEqualTo(2);
        Row byKey = node.sql("SELECT ST_Y(geom) AS lat, attributes FROM positions WHERE unit_id = 'PV-14' "
                + "ORDER BY time DESC LIMIT 1").iterator().next();
        assertThat(byKey.getDouble("lat")).isEqualTo(31.7603);
        assertThat(byKey.getJson("attributes").toString()).as("the key is not kept").doesNotContain(key);
    }

    @Test
    void theFeedSamplesHaveTheShapeOfWhatARealNodeSends() throws Exception {
        Map<String, Sample> samples = samples();
        int mqttPort = TestNode.freePort();
        int cotPort = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_MQTT_PORT", String.valueOf(mqttPort), "BW_COT_PORT",
                String.valueOf(cotPort), "BW_STALE_SECONDS", "3"));
        String droneKey = createUnit("UAV-02", "Raven 2", "drone");
        node.createUser("floor-1", FLOOR_PASSWORD, "viewer");
        String token = node.adminToken();

        List<JsonObject> live = new CopyOnWriteArrayList<>();
        WebSocket map = socket("/ws/live?access_token=" + token, live);
        List<JsonObject> alertFrames = new CopyOnWriteArrayList<>();
        WebSocket alertSocket = socket("/ws/alerts?types=enter,exit&access_token=" + token, alertFrames);
        List<Map.Entry<String, JsonObject>> mqtt = new CopyOnWriteArrayList<>();
        MqttClient floor = MqttClient.create(node.vertx, new MqttClientOptions().setUsername("floor-1")
                .setPassword(FLOOR_PASSWORD).setClientId("floor-1"));
        floor.publishHandler(m -> mqtt.add(Map.entry(m.topicName(), m.payload().toJsonObject())));
        TestNode.await(floor.connect(mqttPort, "127.0.0.1"));
        TestNode.await(floor.subscribe(Map.of("alerts/#", 1, "units/+/position", 1)));
        TakClient tak = TakClient.connect(node.vertx, cotPort);
        tak.auth("floor-1", FLOOR_PASSWORD, "WINTAK-1");
        tak.send(samples.get("atak-ping").text()); // answered once the auth before it is decided
        tak.await(type(CotEvent.PONG_TYPE), "the pong after sign-in");
        await(() -> first(live, "snapshot"), "the first snapshot");

        String fence = node.createFence(Fixtures.square("El Paso POE"));
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        post(droneKey, Fixtures.fix("UAV-02", t.minusSeconds(1).toString(), 31.65, -106.45));
        post(droneKey, Fixtures.fix("UAV-02", t.toString(), 31.75, -106.45).put("speed", 12.5)
                .put("heading", 270.0));

        compare(samples.get("ws-geofence-upsert"), await(() -> first(live, "geofence"), "the new fence"));
        compare(samples.get("ws-positions"), await(() -> first(live, "positions"), "positions"));
        compare(samples.get("ws-alert"), await(() -> first(live, "alert"), "the enter alert"));
        compare(samples.get("ws-alerts-frame"), await(() -> alertFrames.isEmpty() ? null : alertFrames.get(0),
                "the enter alert on /ws/alerts"));
        compare(samples.get("mqtt-position-out"), await(() -> mqttPayload(mqtt, "units/UAV-02/position"),
                "the MQTT position"));
        compare(samples.get("mqtt-alert-out"), await(() -> mqttPayload(mqtt, "alerts/enter"), "the MQTT alert"));
        Element unit = tak.await(uid("UAV-02").and(e -> child(e, "track") != null), "the drone over CoT");
        assertThat(structure(unit)).isEqualTo(structure(samples.get("unit").xml()));
        assertThat(unit.getAttribute("type")).isEqualTo(samples.get("unit").xml().getAttribute("type"));
        Element breach = tak.await(type("b-a-g"), "the geofence alarm");
        assertThat(structure(breach)).isEqualTo(structure(samples.get("alarm-geofence").xml()));

        map.writeTextMessage(samples.get("ws-subscribe").text());
        compare(samples.get("ws-snapshot"), await(() -> live.stream().filter(f -> "snapshot".equals(f.getString(
                "type")) && !f.getJsonArray("units").isEmpty()).findFirst().orElse(null), "the boxed snapshot"));
        map.writeTextMessage("{\"type\":\"subscribe\",\"bbox\":[-107,31,-106]}");
        assertThat(await(() -> first(live, "error"), "the error frame")).isEqualTo(samples.get("ws-error").json());

        // BW_STALE_SECONDS is 3: the drone turns stale on the map and raises a stale alert, a b-a alarm.
        compare(samples.get("ws-status"), await(() -> first(live, "status"), "the stale status"));
        Element silence = tak.await(type("b-a"), "the stale alarm");
        assertThat(structure(silence)).isEqualTo(structure(samples.get("alarm").xml()));

        assertThat(node.get("/api/v1/geofences/" + fence, token).statusCode()).isEqualTo(200);
        assertThat(TestNode.await(node.http.delete("/api/v1/geofences/" + fence).bearerTokenAuthentication(token)
                .send()).statusCode()).isEqualTo(204);
        compare(samples.get("ws-geofence-delete"), await(() -> live.stream().filter(f -> "delete".equals(
                f.getString("op"))).findFirst().orElse(null), "the deleted fence"));
        String alertId = node.get("/api/v1/alerts?limit=1", token).bodyAsJsonArray().getJsonObject(0).getString("id");
        assertThat(node.post("/api/v1/alerts/" + alertId + "/ack", token, new JsonObject().put("comment",
                "Patrol confirms")).statusCode()).isEqualTo(200);
        compare(samples.get("ws-ack"), await(() -> first(live, "ack"), "the ack"));

        // The documented publish, as a device sends it: acknowledged once stored.
        MqttClient device = MqttClient.create(node.vertx, new MqttClientOptions().setUsername("UAV-02")
                .setPassword(droneKey).setClientId("uav-02"));
        TestNode.await(device.connect(mqttPort, "127.0.0.1"));
        Promise<Integer> acknowledged = Promise.promise();
        device.publishCompletionHandler(acknowledged::tryComplete);
        JsonObject published = samples.get("mqtt-position-in").json();
        TestNode.await(device.publish("units/UAV-02/position", published.toBuffer(), MqttQoS.AT_LEAST_ONCE, false,
                false));
        TestNode.await(acknowledged.future());
        Row row = node.sql("SELECT ST_Y(geom) AS lat, battery, attributes FROM positions WHERE unit_id = 'UAV-02' "
                + "AND time = $1", OffsetDateTime.parse(published.getString("time"))).iterator().next();
        assertThat(row.getDouble("lat")).isEqualTo(published.getDouble("lat"));
        assertThat(row.getDouble("battery")).isEqualTo(published.getDouble("battery"));
        assertThat(row.getJson("attributes")).isEqualTo(published.getJsonObject("attributes"));
        tak.close();
        TestNode.await(device.disconnect());
        TestNode.await(floor.disconnect());
        TestNode.await(map.close());
        // An alert socket still open when the node closes holds its close for 30 s.
        TestNode.await(alertSocket.close());
    }

    @Test
    void theHealthSampleIsWhatAMapGetsWhenItsNodeLosesTheDatabase() throws Exception {
        Map<String, Sample> samples = samples();
        Vertx relayVertx = Vertx.vertx();
        try {
            DbRelay relay = DbRelay.open(relayVertx);
            node = TestNode.fresh(Map.of("BW_DB_URL", relay.url()));
            List<JsonObject> live = new CopyOnWriteArrayList<>();
            WebSocket map = socket("/ws/live?access_token=" + node.adminToken(), live);
            await(() -> first(live, "snapshot"), "the first snapshot");

            relay.cut();
            JsonObject down = await(() -> first(live, "health"), "the health frame");
            compare(samples.get("ws-health"), down);
            assertThat(down.getString("database")).isEqualTo(samples.get("ws-health").json().getString("database"));
            relay.open();
            await(() -> live.stream().filter(f -> "up".equals(f.getString("database"))).findFirst().orElse(null),
                    "the health frame saying up");
            TestNode.await(map.close());
        } finally {
            TestNode.await(relayVertx.close());
        }
    }

    @Test
    void theFeedSamplesBecomeContactsThatMapsGetInTheDocumentedShape() throws Exception {
        Map<String, Sample> samples = samples();
        int sbsPort = TestNode.freePort();
        int aisPort = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_ADSB_SBS", "127.0.0.1:" + sbsPort, "BW_AIS_UDP_PORT",
                String.valueOf(aisPort)));
        List<JsonObject> live = new CopyOnWriteArrayList<>();
        // Held to the end: a client the collector takes can drop a handshake in flight.
        WebSocketClient client = node.vertx.createWebSocketClient();
        WebSocket map = TestNode.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                        .setPort(node.port).setURI("/ws/live?access_token=" + node.adminToken()))
                .onSuccess(socket -> socket.textMessageHandler(text -> live.add(new JsonObject(text)))));
        await(() -> first(live, "snapshot"), "the first snapshot");
        // The receiver comes up once the map is open; the node, trying all along, connects and gets its lines.
        NetServer receiver = node.vertx.createNetServer().connectHandler(socket -> socket.write(
                samples.get("adsb-lines").text().replace("\n", "\r\n") + "\r\n"));
        TestNode.await(receiver.listen(sbsPort, "127.0.0.1"));

        var udp = node.vertx.createDatagramSocket();
        TestNode.await(udp.send(Buffer.buffer(samples.get("ais-sentences").text()), aisPort, "127.0.0.1"));

        JsonObject aircraft = await(() -> live.stream().filter(f -> "contacts".equals(f.getString("type"))
                && !f.getBoolean("snapshot", false) && f.getJsonArray("contacts").stream()
                .anyMatch(c -> ((JsonObject) c).getString("id").equals("adsb:A8F2D4"))).findFirst().orElse(null),
                "the aircraft on the map");
        compare(samples.get("ws-contacts"), aircraft);
        JsonObject documented = samples.get("ws-contacts").json().getJsonArray("contacts").getJsonObject(0);
        JsonObject real = aircraft.getJsonArray("contacts").stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("id").equals("adsb:A8F2D4")).findFirst().orElseThrow();
        for (String field : List.of("id", "source", "trackId", "kind", "name", "lat", "lon", "heading")) {
            assertThat(real.getValue(field)).as(field).isEqualTo(documented.getValue(field));
        }
        assertThat(node.awaitCount(2, "SELECT count(*) FROM contacts")).isEqualTo(2);
        Row vessel = node.sql("SELECT lat, lon FROM contacts WHERE id = 'ais:477553000'").iterator().next();
        assertThat(vessel.getDouble("lat")).isCloseTo(47.582833, within(1e-6));
        TestNode.await(map.close());
        TestNode.await(client.close());
        TestNode.await(receiver.close());
    }

    private String createUnit(String id, String name, String type) throws Exception {
        var response = node.post("/api/v1/units", node.adminToken(), new JsonObject().put("id", id)
                .put("name", name).put("type", type));
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
        return response.bodyAsJsonObject().getString("deviceKey");
    }

    private void post(String key, JsonObject fix) throws Exception {
        assertThat(node.post("/api/v1/positions", key, fix).statusCode()).isEqualTo(202);
    }

    private WebSocket socket(String path, List<JsonObject> frames) throws Exception {
        return node.socket(path, text -> frames.add(new JsonObject(text)));
    }

    private static JsonObject first(List<JsonObject> frames, String type) {
        return frames.stream().filter(f -> type.equals(f.getString("type"))).findFirst().orElse(null);
    }

    private static JsonObject mqttPayload(List<Map.Entry<String, JsonObject>> messages, String topic) {
        return messages.stream().filter(m -> m.getKey().equals(topic)).map(Map.Entry::getValue).findFirst()
                .orElse(null);
    }

    private static <T> T await(Supplier<T> found, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            T value = found.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + what + " within 10 s");
    }

    /** The sample has the keys of the real frame, at every level (values may differ). */
    private static void compare(Sample sample, JsonObject real) {
        assertThat(shape(sample.json())).as("%s against the real %s", sample.name(), real.encode())
                .isEqualTo(shape(real));
    }

    /** Keys and nesting of a JSON value: objects by key, arrays by their first element, every scalar alike. */
    static Object shape(Object value) {
        if (value instanceof JsonObject object) {
            Map<String, Object> keys = new TreeMap<>();
            object.forEach(entry -> keys.put(entry.getKey(), shape(entry.getValue())));
            return keys;
        }
        if (value instanceof JsonArray array) {
            return array.isEmpty() ? List.of() : List.of(shape(array.getValue(0)));
        }
        return "value";
    }

    /** Element names in document order, each with its attribute names and whether it holds text. */
    static List<String> structure(Element root) {
        List<String> out = new ArrayList<>();
        walk(root, "", out);
        return out;
    }

    private static void walk(Element element, String path, List<String> out) {
        String here = path + "/" + element.getTagName();
        Set<String> attributes = new TreeSet<>();
        NamedNodeMap map = element.getAttributes();
        for (int i = 0; i < map.getLength(); i++) {
            attributes.add(map.item(i).getNodeName());
        }
        boolean text = false;
        List<Element> children = new ArrayList<>();
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child) {
                children.add(child);
            } else if (node.getNodeType() == Node.TEXT_NODE && !node.getTextContent().isBlank()) {
                text = true;
            }
        }
        out.add(here + attributes + (text ? " with text" : ""));
        children.forEach(child -> walk(child, here, out));
    }

    private static Element child(Element event, String name) {
        return (Element) event.getElementsByTagName(name).item(0);
    }
}
