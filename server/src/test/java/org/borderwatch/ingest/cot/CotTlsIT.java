package org.borderwatch.ingest.cot;

import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.borderwatch.tls.TestCertificates;
import org.borderwatch.tls.TestCertificates.KeyKind;
import org.borderwatch.tls.TestCertificates.Pem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.ingest.cot.TakClient.child;
import static org.borderwatch.ingest.cot.TakClient.type;
import static org.borderwatch.ingest.cot.TakClient.uid;

/**
 * CoT over mutual TLS on {@code BW_COT_TLS_PORT}, as a TAK Server's 8089: the client certificate's CN signs the client
 * in as a unit (its reports are stored, no auth message) or as a user (watch-only); a client without a certificate or
 * with one from another CA is refused at the handshake. Certificates are made with openssl by the test.
 */
class CotTlsIT {

    @TempDir
    static Path dir;
    private static Pem ca;
    private static Pem server;
    private static Pem patrol;
    private static Pem floor;
    private static Pem stranger;
    private static Pem rogue;

    private final List<NetClient> clients = new ArrayList<>();
    private TestNode node;
    private int tlsPort;
    private int plainPort;
    private String droneKey;
    private Instant t;

    @BeforeAll
    static void certificates() throws Exception {
        TestCertificates certificates = new TestCertificates(dir);
        ca = certificates.authority("tak");
        server = certificates.server(ca, KeyKind.EC_SEC1);
        patrol = certificates.client(ca, "PV-14");
        floor = certificates.client(ca, "floor-1");
        stranger = certificates.client(ca, "nobody-here");
        // Another CA, and a certificate from it naming a real unit: a forgery as far as this deployment goes.
        rogue = certificates.client(certificates.authority("rogue"), "PV-14");
    }

    @BeforeEach
    void start() throws Exception {
        tlsPort = TestNode.freePort();
        plainPort = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_TLS_CERT", server.cert().toString(), "BW_TLS_KEY", server.key().toString(),
                "BW_TLS_CLIENT_CA", ca.cert().toString(), "BW_COT_TLS_PORT", String.valueOf(tlsPort),
                "BW_COT_PORT", String.valueOf(plainPort), "BW_STALE_SECONDS", "3600"));
        node.createUnit("PV-14", "foot");
        droneKey = node.createUnit("UAV-02", "drone");
        node.createUser("floor-1", "watch-floor-password", "viewer");
        t = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
    }

    @AfterEach
    void stop() throws Exception {
        for (NetClient client : clients) {
            TestNode.await(client.close());
        }
        node.close();
    }

    /** A TLS client that trusts the deployment's CA and presents {@code certificate} (none when null). */
    private TakClient connect(Pem certificate) throws Exception {
        NetClientOptions options = new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
                .setTrustOptions(new PemTrustOptions().addCertPath(ca.cert().toString()));
        if (certificate != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.cert().toString())
                    .setKeyPath(certificate.key().toString()));
        }
        // Kept until the test ends: Vert.x closes a client, and its connections, once it is garbage.
        NetClient client = node.vertx.createNetClient(options);
        clients.add(client);
        return TakClient.connect(client, tlsPort);
    }

    private void drone(Instant time, double lat) throws Exception {
        assertThat(node.post("/api/v1/positions", droneKey, Fixtures.fix("UAV-02", time.toString(), lat, -106.45))
                .statusCode()).isEqualTo(202);
    }

    private long stored(String unit) throws Exception {
        return node.count("SELECT count(*) FROM positions WHERE unit_id = $1", unit);
    }

    @Test
    void aUnitsCertificateSignsItInWithoutAnAuthMessage() throws Exception {
        drone(t, 31.65);

        try (TakClient atak = connect(patrol)) {
            atak.await(uid("UAV-02"), "the drone in the first picture");
            atak.send(CotSamples.sample("atak-sa", t));
            assertThat(node.awaitCount(1, "SELECT count(*) FROM positions WHERE unit_id = 'PV-14'")).isEqualTo(1);

            drone(t.plusSeconds(1), 31.75);
            Element moved = atak.await(uid("UAV-02").and(e -> "31.75".equals(child(e, "point")
                    .getAttribute("lat"))), "the drone's move");
            assertThat(moved.getAttribute("type")).isEqualTo("a-f-A-M-F-Q");
        }
    }

    @Test
    void aUsersCertificateWatchesAndStoresNothing() throws Exception {
        drone(t, 31.65);

        try (TakClient watch = connect(floor)) {
            watch.await(uid("UAV-02"), "the drone in the first picture");
            watch.send(CotSamples.sample("atak-sa", t));
            watch.send(CotSamples.sample("atak-ping", t));
            watch.await(type("t-x-c-t-r"), "pong"); // answered in order: the report before it was handled
            drone(t.plusSeconds(1), 31.75);
            watch.await(uid("UAV-02").and(e -> "31.75".equals(child(e, "point").getAttribute("lat"))),
                    "the drone's move");
        }
        assertThat(stored("PV-14")).isZero();
    }

    @Test
    void noCertificateAnotherCasCertificateOrAnUnknownNameIsRefused() throws Exception {
        drone(t, 31.65);
        for (Pem certificate : new Pem[] {null, rogue, stranger}) {
            TakClient refused;
            try {
                refused = connect(certificate);
            } catch (Exception handshakeFailed) {
                continue; // TLS 1.2 or a fast alert: refused before the connection was ever up
            }
            // TLS 1.3 finishes the client's side first; the server's alert (or its refusal of the name) follows.
            refused.awaitClosed();
            assertThat(refused.seen()).as("what a refused client received").isEmpty();
        }
        assertThat(stored("PV-14")).isZero();
    }

    @Test
    void opensslSClientWithTheUnitsCertificateReportsAndReadsTheFeedWithoutOneItIsRefused() throws Exception {
        drone(t, 31.65);
        Process withCertificate = sClient("-cert", patrol.cert().toString(), "-key", patrol.key().toString());
        try (OutputStream in = withCertificate.getOutputStream()) {
            in.write(CotSamples.sample("atak-sa", t).getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(node.awaitCount(1, "SELECT count(*) FROM positions WHERE unit_id = 'PV-14'")).isEqualTo(1);
            String feed = readUntil(withCertificate.getInputStream(), "uid=\"UAV-02\"");
            assertThat(feed).contains("uid=\"UAV-02\"");
        } finally {
            withCertificate.destroy();
        }

        Process without = sClient();
        try (OutputStream in = without.getOutputStream()) {
            in.write(CotSamples.sample("atak-sa", t.plusSeconds(1)).getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(without.waitFor(10, TimeUnit.SECONDS)).as("s_client was cut off").isTrue();
        } catch (IOException pipeClosed) {
            assertThat(without.waitFor(10, TimeUnit.SECONDS)).as("s_client was cut off").isTrue();
        }
        String output = new String(without.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(without.exitValue()).as(output).isNotZero();
        // The JDK's TLS answers a missing certificate with alert 42, bad_certificate.
        assertThat(output).contains("alert bad certificate").doesNotContain("UAV-02");
        assertThat(stored("PV-14")).isEqualTo(1);
    }

    @Test
    void thePlainPortStaysAsItWas() throws Exception {
        try (TakClient atak = TakClient.connect(node.vertx, plainPort)) {
            atak.send(CotSamples.withUid(CotSamples.sample("atak-sa", t), droneKey));
            assertThat(node.awaitCount(1, "SELECT count(*) FROM positions WHERE unit_id = 'UAV-02'")).isEqualTo(1);
        }
    }

    /** openssl s_client as a TAK client's TLS layer: trusts the CA, reads the server's stream to stdout. */
    private Process sClient(String... certificate) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + tlsPort,
                "-CAfile", ca.cert().toString(), "-verify_return_error", "-quiet"));
        command.addAll(List.of(certificate));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the process's output until it holds {@code wanted} or 10 s pass; returns what was read. */
    private static String readUntil(InputStream in, String wanted) throws Exception {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        long deadline = System.currentTimeMillis() + 10_000;
        byte[] buffer = new byte[8192];
        while (System.currentTimeMillis() < deadline && !read.toString(StandardCharsets.UTF_8).contains(wanted)) {
            if (in.available() > 0) {
                read.write(buffer, 0, in.read(buffer));
            } else {
                Thread.sleep(20);
            }
        }
        return read.toString(StandardCharsets.UTF_8);
    }
}
