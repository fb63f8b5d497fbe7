package org.borderwatch.ingest.ais;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.borderwatch.TestNode;
import org.borderwatch.db.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The AIS feed against a real UDP sender, as an AIS receiver forwards NMEA: single sentences and a two-fragment type
 * 5 in separate datagrams, several sentences in one datagram, and a sentence spoilt in transit, which is dropped while
 * the rest go through. The feed's contacts belong to the agency {@code BW_CONTACT_FEED_AGENCY} names.
 */
class AisFeedIT {

    private TestNode node;
    private DatagramSocket sender;

    @AfterEach
    void stop() throws Exception {
        if (sender != null) {
            TestNode.await(sender.close());
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void vesselsHeardOverUdpBecomeContactsOfTheFeedsAgency() throws Exception {
        Vertx vertx = Vertx.vertx();
        TestNode.resetDatabase(vertx);
        Pool pool = Database.fromUrl(TestNode.DB_URL).pool(vertx, 1);
        TestNode.await(pool.query("INSERT INTO agencies (id, name) VALUES ('coast', 'Coast Guard')").execute());
        TestNode.await(pool.close());
        int port = TestNode.freePort();
        node = TestNode.start(vertx, Map.of("BW_AIS_UDP_PORT", String.valueOf(port),
                "BW_CONTACT_FEED_AGENCY", "coast"));
        sender = vertx.createDatagramSocket();

        // gpsd's type 5 in two datagrams, then that vessel's position; two captured reports in one datagram, the
        // second of them with a payload character spoilt (its checksum no longer matches).
        send(port, "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C\r\n");
        send(port, "!AIVDM,2,2,1,A,88888888880,2*25\r\n");
        send(port, AisEncoder.positionA(351759000, 26.05, -97.15, 12.0, 270.0, 268, 0, 30).get(0) + "\r\n");
        send(port, "!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C\r\n"
                + "!AIVDM,1,1,,A,B5NJ;PP005l4ot5Isbl03wsUkP07,0*76\r\n"
                + "!AIVDM,1,1,,A,B5NJ;PP005l4ot5Isbl03wsUkP06,0*76\r\n");

        assertThat(node.awaitCount(3, "SELECT count(*) FROM contacts")).isEqualTo(3);
        Row ever = node.sql("SELECT * FROM contacts WHERE id = 'ais:351759000'").iterator().next();
        assertThat(ever.getString("name")).isEqualTo("EVER DIADEM");
        assertThat(ever.getString("kind")).isEqualTo("vessel");
        assertThat(ever.getString("agency")).isEqualTo("coast");
        assertThat(ever.getDouble("lat")).isCloseTo(26.05, within(1e-6));
        assertThat(((JsonObject) ever.getJson("attributes")).getString("destination")).isEqualTo("NEW YORK");
        Row captured = node.sql("SELECT * FROM contacts WHERE id = 'ais:366053209'").iterator().next();
        assertThat(captured.getDouble("lat")).isCloseTo(37.802118, within(1e-6));
        assertThat(captured.getDouble("lon")).isCloseTo(-122.341618, within(1e-6));
        assertThat(captured.getDouble("heading")).isEqualTo(219.3);
        assertThat(node.count("SELECT count(*) FROM contacts WHERE id = 'ais:367430530'")).isEqualTo(1);

        assertThat(node.metric("bw_ais_bad_sentences_total")).isEqualTo(1);
        assertThat(node.metric("bw_ais_sentences_total")).isEqualTo(6);

        // Root sees the coast guard's vessels; the contacts belong to the coast guard.
        JsonArray features = node.get("/api/v1/contacts", node.adminToken()).bodyAsJsonObject()
                .getJsonArray("features");
        assertThat(features).hasSize(3);
    }

    @Test
    void aFeedAgencyThatDoesNotExistStopsTheNodeFromStartingAndSaysWhy() throws Exception {
        Vertx vertx = Vertx.vertx();
        TestNode.resetDatabase(vertx);
        try {
            assertThatThrownBy(() -> TestNode.start(vertx, Map.of("BW_AIS_UDP_PORT",
                    String.valueOf(TestNode.freePort()), "BW_CONTACT_FEED_AGENCY", "nowhere")))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("BW_CONTACT_FEED_AGENCY");
        } finally {
            TestNode.await(vertx.close());
        }
    }

    private void send(int port, String datagram) throws Exception {
        TestNode.await(sender.send(Buffer.buffer(datagram), port, "127.0.0.1"));
    }
}
