package org.borderwatch.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.borderwatch.ingest.mqtt.Mosquitto;
import org.borderwatch.tls.TestCertificates;
import org.borderwatch.tls.TestCertificates.KeyKind;
import org.borderwatch.tls.TestCertificates.Pem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A node with {@code BW_TLS_CERT} and {@code BW_TLS_KEY} (a certificate made by the test with openssl): HTTPS and WSS
 * for clients that trust the test CA, MQTT over TLS with mosquitto's own {@code --cafile}, and nothing in clear text
 * on those ports.
 */
class TlsIT {

    @TempDir
    static Path dir;
    private static Pem ca;
    private static Pem server;

    private TestNode node;
    private int mqttPort;
    private WebClient https;
    private Instant t;

    @BeforeAll
    static void certificates() throws Exception {
        TestCertificates certificates = new TestCertificates(dir);
        ca = certificates.authority("tls-it");
        server = certificates.server(ca, KeyKind.RSA_PKCS8);
    }

    @BeforeEach
    void start() throws Exception {
        mqttPort = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_TLS_CERT", server.cert().toString(), "BW_TLS_KEY", server.key().toString(),
                "BW_MQTT_PORT", String.valueOf(mqttPort)));
        // A client as a browser or integration would be set up: it trusts the deployment's CA and checks the name.
        https = WebClient.create(node.vertx, new WebClientOptions().setSsl(true).setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(ca.cert().toString())));
        t = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void httpsAnswersAClientThatTrustsTheCaAndWssStreamsTheSnapshot() throws Exception {
        HttpResponse<Buffer> live = TestNode.await(https.get(node.port, "127.0.0.1", "/health/live").send());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.getHeader("Strict-Transport-Security")).isEqualTo("max-age=31536000");

        HttpResponse<Buffer> login = TestNode.await(https.post(node.port, "127.0.0.1", "/api/v1/login")
                .sendJsonObject(new JsonObject().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD)));
        assertThat(login.statusCode()).isEqualTo(200);
        String token = login.bodyAsJsonObject().getString("token");
        String key = node.createUnit("UAV-07", "drone");
        assertThat(node.post("/api/v1/positions", key, Fixtures.fix("UAV-07", t.toString(), 31.7, -106.4))
                .statusCode()).isEqualTo(202);

        WebSocketClient wss = node.vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
                .setVerifyHost(true).setTrustOptions(new PemTrustOptions().addCertPath(ca.cert().toString())));
        BlockingQueue<JsonObject> frames = new ArrayBlockingQueue<>(100);
        WebSocket socket = TestNode.await(wss.connect(new WebSocketConnectOptions().setSsl(true)
                        .setHost("127.0.0.1").setPort(node.port).setURI("/ws/live?access_token=" + token))
                .onSuccess(ws -> ws.textMessageHandler(text -> frames.offer(new JsonObject(text)))));
        JsonObject snapshot = frames.poll(10, TimeUnit.SECONDS);
        assertThat(snapshot).isNotNull();
        assertThat(snapshot.getString("type")).isEqualTo("snapshot");
        assertThat(snapshot.getJsonArray("units").getJsonObject(0).getString("id")).isEqualTo("UAV-07");
        TestNode.await(socket.close());
        TestNode.await(wss.close());
    }

    @Test
    void clearTextAndClientsThatDoNotTrustTheCaGetNothing() throws Exception {
        WebClient plain = WebClient.create(node.vertx);
        assertThatThrownBy(() -> TestNode.await(plain.get(node.port, "127.0.0.1", "/health/live")
                .timeout(5000).send()))
                .isInstanceOf(ExecutionException.class);

        WebSocketClient ws = node.vertx.createWebSocketClient();
        assertThatThrownBy(() -> TestNode.await(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                .setPort(node.port).setURI("/ws/live?access_token=" + node.adminToken()).setTimeout(5000))))
                .isInstanceOf(ExecutionException.class);

        // The JDK's own trust store knows nothing of the test CA: the handshake fails, nothing is sent.
        WebClient untrusting = WebClient.create(node.vertx, new WebClientOptions().setSsl(true));
        assertThatThrownBy(() -> TestNode.await(untrusting.post(node.port, "127.0.0.1", "/api/v1/login")
                .sendJsonObject(new JsonObject().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD))))
                .hasRootCauseInstanceOf(CertPathBuilderException.class);
        plain.close();
        untrusting.close();
        TestNode.await(ws.close());
    }

    @Test
    void mqttSpeaksTlsToMosquittoWithTheCaFile() throws Exception {
        String key = node.createUnit("UAV-01", "drone");
        node.createUnit("UAV-02", "drone");
        node.createUser("floor-1", "watch-floor-password", "viewer");
        List<String> tls = List.of("--cafile", ca.cert().toString());

        try (Mosquitto floor = Mosquitto.sub(tls, mqttPort, "floor-1", "watch-floor-password", 1,
                "units/+/position").subscribed()) {
            Mosquitto.Result published = Mosquitto.pub(tls, mqttPort, "UAV-01", key, 1, "units/UAV-01/position",
                    new JsonObject().put("time", t.toString()).put("lat", 31.5).put("lon", -106.1).encode());

            assertThat(published.exitCode()).as(published.output()).isZero();
            // QoS 1: mosquitto_pub exits after the PUBACK, which comes only once the fix is durable.
            assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'UAV-01'")).isEqualTo(1);
            String line = floor.await(l -> l.startsWith("units/UAV-01/position "), "UAV-01's position");
            assertThat(new JsonObject(line.substring(line.indexOf(' ') + 1)).getDouble("lat")).isEqualTo(31.5);
        }

        Mosquitto.Result clearText = Mosquitto.pub(mqttPort, "UAV-01", key, 1, "units/UAV-01/position",
                new JsonObject().put("time", t.plusSeconds(1).toString()).put("lat", 31.6).put("lon", -106.1)
                        .encode());
        assertThat(clearText.exitCode()).as(clearText.output()).isNotZero();
        assertThat(node.count("SELECT count(*) FROM positions WHERE unit_id = 'UAV-01'")).isEqualTo(1);
    }
}
