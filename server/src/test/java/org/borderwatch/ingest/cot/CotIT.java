package org.borderwatch.ingest.cot;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.ingest.cot.TakClient.child;
import static org.borderwatch.ingest.cot.TakClient.type;
import static org.borderwatch.ingest.cot.TakClient.uid;

/** Cursor-on-Target both ways, as ATAK, iTAK and a watch-only TAK client use a TAK server's streaming port. */
class CotIT {

    private static final String ATAK_UID = "ANDROID-589520ccfcd20f01";

    private TestNode node;
    private int cotPort;
    private String patrolKey;
    private String droneKey;
    private Instant t;

    @BeforeEach
    void start() throws Exception {
        cotPort = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_COT_PORT", String.valueOf(cotPort), "BW_STALE_SECONDS", "3600"));
        patrolKey = node.createUnit("PV-14", "foot");
        droneKey = node.createUnit("UAV-02", "drone");
        t = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private long stored(String unit) throws Exception {
        return node.count("SELECT count(*) FROM positions WHERE unit_id = $1", unit);
    }

    private void drone(Instant time, double lat, double lon) throws Exception {
        assertThat(node.post("/api/v1/positions", droneKey, Fixtures.fix("UAV-02", time.toString(), lat, lon))
                .statusCode()).isEqualTo(202);
    }

    @Test
    void anAtakClientSignsInReportsAndSeesThePictureAndItsAlerts() throws Exception {
        node.createFence(Fixtures.square("El Paso POE"));
        drone(t, 31.65, -106.45); // known before ATAK connects: part of the first picture

        try (TakClient atak = TakClient.connect(node.vertx, cotPort)) {
            atak.auth("PV-14", patrolKey, ATAK_UID);
            Element first = atak.await(uid("UAV-02"), "the drone in the first picture");
            assertThat(first.getAttribute("type")).isEqualTo("a-f-A-M-F-Q");
            assertThat(child(first, "contact").getAttribute("callsign")).isEqualTo("UAV-02");
            assertThat(child(first, "point").getAttribute("lat")).isEqualTo("31.65");

            atak.send(CotSamples.sample("atak-sa", t));
            atak.send(CotSamples.sample("atak-ping", t.plusSeconds(1)));
            atak.await(type("t-x-c-t-r"), "pong");
            assertThat(node.awaitCount(1, "SELECT count(*) FROM positions WHERE unit_id = 'PV-14'")).isEqualTo(1);

            drone(t.plusSeconds(1), 31.75, -106.45); // into the fence
            Element moved = atak.await(uid("UAV-02").and(e -> "31.75".equals(child(e, "point")
                    .getAttribute("lat"))), "the drone's move");
            assertThat(Instant.parse(moved.getAttribute("stale"))).as("stale when the server calls it stale")
                    .isEqualTo(t.plusSeconds(1).plusSeconds(3600));
            Element alarm = atak.await(type("b-a-g").and(e -> "UAV-02".equals(child(e, "link").getAttribute("uid"))),
                    "the drone's geofence breach alarm");
            assertThat(child(alarm, "remarks").getTextContent()).contains("ENTER", "El Paso POE");
            assertThat(atak.seen()).as("its own unit is not echoed back").noneMatch(uid("PV-14"));
        }
        assertThat(stored("PV-14")).as("the ping is never stored").isEqualTo(1);
        Row row = node.sql("SELECT ST_Y(geom) AS lat, heading, speed, battery, accuracy, attributes FROM positions "
                + "WHERE unit_id = 'PV-14'").iterator().next();
        assertThat(row.getDouble("lat")).isEqualTo(31.7601);
        assertThat(row.getDouble("heading")).isEqualTo(271.5);
        assertThat(row.getDouble("battery")).isEqualTo(78.0);
        JsonObject attributes = (JsonObject) row.getJson("attributes");
        assertThat(attributes.getString("callsign")).isEqualTo("HOTEL 3-1");
        assertThat(attributes.getString("group")).isEqualTo("Cyan");
        assertThat(attributes.getString("role")).isEqualTo("Team Lead");
        assertThat(attributes.getString("cotUid")).isEqualTo(ATAK_UID);
        assertThat(node.count("SELECT count(*) FROM alerts WHERE unit_id = 'UAV-02'")).isEqualTo(1);
    }

    @Test
    void aWatchOnlyUserSeesTheFeedAndStoresNothing() throws Exception {
        node.createUser("floor-1", "watch-floor-password", "viewer");
        try (TakClient wintak = TakClient.connect(node.vertx, cotPort)) {
            wintak.auth("floor-1", "watch-floor-password", "WINTAK-1");
            wintak.send(CotSamples.withUid(CotSamples.sample("itak-sa", t), "WINTAK-1"));
            drone(t, 31.5, -106.2);
            wintak.await(uid("UAV-02"), "the drone");
        }
        assertThat(node.count("SELECT count(*) FROM positions")).isEqualTo(1);
    }

    @Test
    void aTakClientThatStopsReadingSlowsNobody() throws Exception {
        node.createUser("floor-1", "watch-floor-password", "viewer");
        JsonArray units = new JsonArray();
        for (int i = 0; i < 200; i++) {
            units.add(new JsonObject().put("id", "V-" + i).put("name", "V-" + i).put("type", "vehicle"));
        }
        for (Object unit : units) {
            assertThat(node.post("/api/v1/units", node.adminToken(), unit).statusCode()).isEqualTo(201);
        }
        try (TakClient stalled = TakClient.connect(node.vertx, cotPort);
             TakClient reading = TakClient.connect(node.vertx, cotPort)) {
            stalled.auth("floor-1", "watch-floor-password", "STALLED");
            reading.auth("floor-1", "watch-floor-password", "READING");
            stalled.pause();
            List<Future<HttpResponse<Buffer>>> posts = new ArrayList<>();
            for (int round = 0; round < 100; round++) {
                JsonArray fixes = new JsonArray();
                for (int i = 0; i < 200; i++) {
                    fixes.add(Fixtures.fix("V-" + i, t.plusSeconds(round).toString(), 31.0 + round * 0.01,
                            -106.0 - i * 0.001));
                }
                // All at once: arriving out of order never moves a unit backwards, so the last round still wins.
                posts.add(node.http.post("/api/v1/positions").bearerTokenAuthentication(node.adminToken())
                        .sendJson(fixes));
            }
            for (Future<HttpResponse<Buffer>> post : posts) {
                assertThat(TestNode.await(post).statusCode()).isEqualTo(202);
            }
            // The reader gets every unit's last position although the other client has read nothing for 20,000 fixes
            // (12 MB of CoT, more than the kernel's socket buffers hold).
            String last = String.valueOf(31.0 + 99 * 0.01);
            for (int i = 0; i < 200; i++) {
                reading.await(uid("V-" + i).and(e -> last.equals(child(e, "point").getAttribute("lat"))), "V-" + i);
            }
            assertThat(stalled.isClosed()).as("positions are coalesced, not a reason to disconnect").isFalse();
            stalled.resume();
            for (int i = 0; i < 200; i++) {
                stalled.await(uid("V-" + i).and(e -> last.equals(child(e, "point").getAttribute("lat"))), "V-" + i);
            }
            assertThat(stalled.seen()).as("it skipped fixes instead of the server buffering them all")
                    .hasSizeLessThan(20_000);
        }
    }

    @Test
    void wrongCredentialsOrNoAuthCloseTheConnection() throws Exception {
        try (TakClient wrong = TakClient.connect(node.vertx, cotPort)) {
            wrong.auth("PV-14", droneKey, ATAK_UID); // another unit's key
            wrong.awaitClosed();
        }
        try (TakClient anonymous = TakClient.connect(node.vertx, cotPort)) {
            anonymous.send(CotSamples.sample("atak-sa", t));
            anonymous.awaitClosed();
        }
        try (TakClient garbage = TakClient.connect(node.vertx, cotPort)) {
            garbage.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            garbage.awaitClosed();
        }
        assertThat(node.count("SELECT count(*) FROM positions")).isZero();
    }

    @Test
    void theDeviceKeyAsUidWorksAndItsPingIsAnsweredNotStored() throws Exception {
        try (TakClient legacy = TakClient.connect(node.vertx, cotPort)) {
            legacy.send(CotSamples.withUid(CotSamples.sample("atak-sa", t), patrolKey));
            legacy.send(CotSamples.withUid(CotSamples.sample("atak-ping", t), patrolKey + "-ping"));
            legacy.await(type("t-x-c-t-r"), "pong");
            legacy.send(CotSamples.withUid(CotSamples.sample("itak-sa", t.plusSeconds(2)), patrolKey));
            assertThat(node.awaitCount(2, "SELECT count(*) FROM positions WHERE unit_id = 'PV-14'")).isEqualTo(2);
            assertThat(legacy.isClosed()).isFalse();
        }
        assertThat(node.sql("SELECT count(*) FROM positions WHERE ST_X(geom) = 0").iterator().next().getLong(0))
                .as("no fix at 0,0 from a ping").isZero();
    }

    @Test
    void udpTakesAnEightKilobyteEventAndDropsStrangers() throws Exception {
        String big = CotSamples.withUid(CotSamples.sample("atak-sa", t), patrolKey)
                .replace("<detail>", "<detail><remarks>" + "x".repeat(8 * 1024) + "</remarks>");
        assertThat(big.length()).isGreaterThan(8 * 1024);
        var udp = node.vertx.createDatagramSocket();
        TestNode.await(udp.send(Buffer.buffer(big), cotPort, "127.0.0.1"));
        TestNode.await(udp.send(Buffer.buffer(CotSamples.sample("adsbcot", t)), cotPort, "127.0.0.1"));
        TestNode.await(udp.send(Buffer.buffer(CotSamples.withUid(CotSamples.sample("itak-sa", t.plusSeconds(1)),
                patrolKey)), cotPort, "127.0.0.1"));

        assertThat(node.awaitCount(2, "SELECT count(*) FROM positions WHERE unit_id = 'PV-14'")).isEqualTo(2);
        String remarks = node.sql("SELECT attributes->>'remarks' AS r FROM positions ORDER BY time LIMIT 1")
                .iterator().next().getString("r");
        assertThat(remarks).hasSize(256).startsWith("xxx");
        assertThat(node.count("SELECT count(*) FROM positions")).isEqualTo(2);
    }
}
