package org.borderwatch.alert;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A webhook cannot be turned on the floor's own network: internal targets are refused, by URL and by resolution. */
class WebhookTargetsIT {

    private TestNode node;
    private HttpServer receiver;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
        receiver = TestNode.await(node.vertx.createHttpServer()
                .requestHandler(request -> {
                    received.add(request.uri());
                    request.response().setStatusCode(204).end();
                })
                .listen(0, "0.0.0.0"));
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void internalAddressesLongUrlsAndCredentialsAreRefused() throws Exception {
        for (String url : new String[] {"http://127.0.0.1:8080/x", "http://10.1.2.3/x", "http://192.168.0.7/x",
                "http://172.20.0.1/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/x",
                "http://localhost:5432/", "http://[::ffff:127.0.0.1]/x", "http://[fd00::1]/x", "http://0.0.0.0/",
                "http://100.64.0.1/", "http://user:pw@example.org/x", "gopher://example.org/",
                "http://example.org/" + "x".repeat(2048)}) {
            HttpResponse<Buffer> refused = node.post("/api/v1/webhooks", node.adminToken(), new JsonObject()
                    .put("url", url).put("secret", "long-enough"));
            assertThat(refused.statusCode()).as(url).isEqualTo(400);
            assertThat(refused.bodyAsJsonObject().getString("field")).isEqualTo("url");
        }
        assertThat(node.post("/api/v1/webhooks", node.adminToken(), new JsonObject()
                .put("url", "https://soc.example.org/hook").put("secret", "long-enough")).statusCode()).isEqualTo(201);
    }

    @Test
    void aNameThatResolvesToAnInternalAddressIsNotDeliveredTo() throws Exception {
        // This machine's own name resolves to one of its own, internal, addresses.
        String local = InetAddress.getLocalHost().getHostName();
        HttpResponse<Buffer> created = node.post("/api/v1/webhooks", node.adminToken(), new JsonObject()
                .put("url", "http://" + local + ":" + receiver.actualPort() + "/hook").put("secret", "long-enough"));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        String key = node.createUnit("PV-9", "vehicle");
        node.createFence(Fixtures.square("Zone"));
        node.post("/api/v1/positions", key, Fixtures.fix("PV-9", "2026-11-25T10:00:00Z", 31.6, -106.45));
        node.post("/api/v1/positions", key, Fixtures.fix("PV-9", "2026-11-25T10:00:01Z", 31.75, -106.45));

        assertThat(node.awaitCount(1, "SELECT count(*) FROM webhook_deliveries WHERE last_error IS NOT NULL"))
                .isEqualTo(1);
        assertThat(node.sql("SELECT last_error FROM webhook_deliveries").iterator().next().getString(0))
                .contains("internal address");
        assertThat(received).isEmpty();
    }
}
