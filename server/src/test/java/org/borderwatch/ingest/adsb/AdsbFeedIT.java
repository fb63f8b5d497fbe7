package org.borderwatch.ingest.adsb;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.sqlclient.Row;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The ADS-B feed against a real TCP server speaking SBS-1 as dump1090 does on port 30003: the node connects as a
 * client, also when the server comes up after it, combines each aircraft's lines into contacts, drops bad lines
 * without losing the connection, reconnects when the server closes it, and its aircraft trip contact fences.
 */
class AdsbFeedIT {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy/MM/dd,HH:mm:ss.SSS");

    private TestNode node;
    private NetServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            TestNode.await(server.close());
        }
        if (node != null) {
            node.close();
        }
    }

    /** A line as dump1090-fa writes it, stamped now (the node ignores the stamps: they carry no zone). */
    private static String line(int type, String icao, String fields) {
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(STAMP);
        return "MSG," + type + ",1,1," + icao + ",1," + stamp + "," + stamp + "," + fields + "\r\n";
    }

    private static String position(String icao, int feet, double lat, double lon) {
        return line(3, icao, "," + feet + ",,," + lat + "," + lon + ",,,0,,0,0");
    }

    @Test
    void aircraftFromAnSbsFeedBecomeContactsThroughBadLinesAndReconnects() throws Exception {
        int port = TestNode.freePort();
        // The node starts first, with nothing listening yet: it keeps trying.
        node = TestNode.fresh(Map.of("BW_ADSB_SBS", "127.0.0.1:" + port));
        String fence = node.createFence(zone());
        BlockingQueue<NetSocket> connections = new LinkedBlockingQueue<>();
        server = node.vertx.createNetServer().connectHandler(connections::add);
        Thread.sleep(700);
        TestNode.await(server.listen(port, "127.0.0.1"));

        NetSocket first = connections.poll(10, TimeUnit.SECONDS);
        assertThat(first).as("the node connected once the feed came up").isNotNull();
        first.write(line(1, "A22123", "AAL433  ,,,,,,,,,,,0")
                + line(4, "A22123", ",,117,240,,,0,,,,,0")
                + "this is not SBS-1\r\n" + "MSG,3,1,1,NOTHEX,1\r\n" + "x".repeat(2000) + "\r\n"
                + position("A22123", 8275, 31.65, -106.45));

        assertThat(node.awaitCount(1, "SELECT count(*) FROM contacts WHERE id = 'adsb:A22123'")).isEqualTo(1);
        Row aircraft = node.sql("SELECT * FROM contacts WHERE id = 'adsb:A22123'").iterator().next();
        assertThat(aircraft.getString("kind")).isEqualTo("aircraft");
        assertThat(aircraft.getString("name")).isEqualTo("AAL433");
        assertThat(aircraft.getString("agency")).isEqualTo("root");
        assertThat(aircraft.getDouble("alt")).isCloseTo(2522.22, within(0.01));
        assertThat(aircraft.getDouble("speed")).isCloseTo(60.19, within(0.01));
        assertThat(aircraft.getDouble("heading")).isEqualTo(240.0);
        assertThat(aircraft.getDouble("lat")).isEqualTo(31.65);

        // The feed drops the connection; the node is back within its first pause and the aircraft flies on, into
        // the fence (below its ceiling): one alert.
        TestNode.await(first.close());
        NetSocket second = connections.poll(10, TimeUnit.SECONDS);
        assertThat(second).as("reconnected").isNotNull();
        second.write(Buffer.buffer(position("A22123", 1200, 31.75, -106.45)));
        assertThat(node.awaitCount(1, "SELECT count(*) FROM alerts")).isEqualTo(1);
        assertThat(node.alertTypes("adsb:A22123")).containsExactly("enter");
        assertThat(node.sql("SELECT geofence_id::text FROM alerts").iterator().next().getString(0)).isEqualTo(fence);
        assertThat(node.count("SELECT count(*) FROM contact_positions WHERE contact_id = 'adsb:A22123'"))
                .isEqualTo(2);

        assertThat(node.metric("bw_adsb_bad_lines_total")).isGreaterThanOrEqualTo(3);
        assertThat(node.metric("bw_adsb_connected")).isEqualTo(1);
    }

    /** A contacts fence around El Paso with a ceiling of 600 m. */
    private static JsonObject zone() {
        JsonObject fence = Fixtures.square("Restricted airspace");
        fence.getJsonObject("properties").put("targets", new JsonArray().add("contacts"))
                .put("maxAltitudeMeters", 600);
        return fence;
    }
}
