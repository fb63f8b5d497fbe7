package org.borderwatch.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API.md §8: while the database is unreachable, routes that need it answer 503 with Retry-After, never 500, and
 * recover by themselves. The node reaches PostgreSQL through a TCP relay this test cuts, so the shared database
 * never stops.
 */
class DatabaseDownIT {

    private Vertx relayVertx;
    private Relay relay;
    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        relayVertx = Vertx.vertx();
        URI db = URI.create(TestNode.DB_URL);
        relay = new Relay(relayVertx, db.getHost(), db.getPort() > 0 ? db.getPort() : 5432, TestNode.freePort());
        relay.open();
        String viaRelay = TestNode.DB_URL.replace(db.getHost() + ":" + db.getPort(), "127.0.0.1:" + relay.port);
        node = TestNode.fresh(Map.of("BW_DB_URL", viaRelay));
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
        TestNode.await(relayVertx.close());
    }

    @Test
    void routesAnswer503WithRetryAfterWhileTheDatabaseIsUnreachableAndRecoverAfter() throws Exception {
        String admin = node.adminToken();
        String key = node.createUnit("UAV-07", "drone");
        JsonObject fix = new JsonObject().put("unitId", "UAV-07").put("time", java.time.Instant.now().toString())
                .put("lat", 31.7).put("lon", -106.4);
        assertThat(node.get("/api/v1/units", admin).statusCode()).isEqualTo(200);

        relay.cut();
        URI db = URI.create(TestNode.DB_URL);

        for (int round = 0; round < 2; round++) {
            // The first round meets pooled connections closing under it, the second fresh connects refused.
            assertUnavailable(node.get("/api/v1/units", admin));
            assertUnavailable(node.get("/api/v1/geofences", admin));
            assertUnavailable(node.get("/api/v1/alerts", admin));
            assertUnavailable(TestNode.await(node.http.post("/api/v1/login").sendJsonObject(
                    new JsonObject().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD))));
            assertUnavailable(node.post("/api/v1/units", admin,
                    new JsonObject().put("id", "PV-02").put("type", "vehicle")));
            assertUnavailable(node.post("/api/v1/positions", key, fix));
        }
        HttpResponse<Buffer> ready = node.get("/health/ready", admin);
        assertThat(ready.statusCode()).isEqualTo(503);
        // API.md §8: the failing part is named, its address is not.
        assertThat(ready.bodyAsJsonObject().getString("reason")).isEqualTo("database unreachable");
        assertThat(ready.bodyAsString()).doesNotContain(String.valueOf(relay.port)).doesNotContain("127.0.0.1")
                .doesNotContain(db.getHost());

        relay.open();

        HttpResponse<Buffer> units = node.get("/api/v1/units", admin);
        for (int i = 0; i < 50 && units.statusCode() != 200; i++) {
            Thread.sleep(100);
            units = node.get("/api/v1/units", admin);
        }
        assertThat(units.statusCode()).isEqualTo(200);
        assertThat(node.post("/api/v1/units", admin, new JsonObject().put("id", "PV-02").put("type", "vehicle"))
                .statusCode()).isEqualTo(201);
        assertThat(node.post("/api/v1/positions", key, fix).statusCode()).isEqualTo(202);
    }

    private static void assertUnavailable(HttpResponse<Buffer> response) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isNotBlank();
        assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
    }

    /** Relays TCP from {@code port} to the database; {@link #cut()} drops every connection and stops listening. */
    private static final class Relay {

        private final Vertx vertx;
        private final String targetHost;
        private final int targetPort;
        final int port;
        private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
        private final NetClient client;
        private NetServer server;

        Relay(Vertx vertx, String targetHost, int targetPort, int port) {
            this.vertx = vertx;
            this.targetHost = targetHost;
            this.targetPort = targetPort;
            this.port = port;
            this.client = vertx.createNetClient();
        }

        void open() throws Exception {
            server = TestNode.await(vertx.createNetServer().connectHandler(this::relay).listen(port, "127.0.0.1"));
        }

        private void relay(NetSocket inbound) {
            inbound.pause();
            sockets.add(inbound);
            client.connect(targetPort, targetHost).onComplete(ar -> {
                if (ar.failed()) {
                    inbound.close();
                    return;
                }
                NetSocket outbound = ar.result();
                sockets.add(outbound);
                inbound.pipeTo(outbound);
                outbound.pipeTo(inbound);
                inbound.resume();
            });
        }

        void cut() throws Exception {
            TestNode.await(server.close());
            TestNode.await(Future.all(sockets.stream().map(NetSocket::close).toList()));
            sockets.clear();
        }
    }
}
