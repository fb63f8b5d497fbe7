package org.borderwatch.alert;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.Fixtures.fix;
import static org.borderwatch.Fixtures.square;

/** Webhooks against a real HTTP receiver that fails twice before it accepts. */
class WebhookIT {

    private record Received(String delivery, String signature, Buffer body, int answeredWith) {
    }

    private TestNode node;
    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        // The receiver runs on this machine, a private address a webhook may only target when allowed.
        node = TestNode.fresh(java.util.Map.of("BW_WEBHOOK_ALLOW_PRIVATE", "true"));
        AtomicInteger calls = new AtomicInteger();
        receiver = TestNode.await(node.vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    int status = calls.incrementAndGet() <= 2 ? 500 : 204;
                    received.add(new Received(request.getHeader("X-Borderwatch-Delivery"),
                            request.getHeader("X-Borderwatch-Signature"), body, status));
                    request.response().setStatusCode(status).end();
                }))
                .listen(0, "127.0.0.1"));
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void eachMatchingAlertIsSignedRetriedWithBackoffAndDeliveredOnce() throws Exception {
        String url = "http://127.0.0.1:" + receiver.actualPort() + "/hooks/borderwatch";
        HttpResponse<Buffer> created = node.post("/api/v1/webhooks", node.adminToken(), new JsonObject()
                .put("url", url).put("secret", "s3cret-for-hmac").put("types", new JsonArray().add("enter")));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        String key = node.createUnit("PV-01", "vehicle");
        node.post("/api/v1/geofences", node.adminToken(), square("Port zone"));

        node.post("/api/v1/positions", key, new JsonArray()
                .add(fix("PV-01", "2026-11-25T10:00:00.000Z", 31.65, -106.45))
                .add(fix("PV-01", "2026-11-25T10:00:10.000Z", 31.75, -106.45))
                .add(fix("PV-01", "2026-11-25T10:00:20.000Z", 31.85, -106.45)));
        long deadline = System.currentTimeMillis() + 20_000;
        while (received.stream().noneMatch(r -> r.answeredWith() == 204) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(2_500);

        JsonObject enter = node.get("/api/v1/alerts?type=enter", node.adminToken()).bodyAsJsonArray()
                .getJsonObject(0);
        assertThat(received).extracting(Received::answeredWith).containsExactly(500, 500, 204);
        for (Received r : received) {
            assertThat(r.delivery()).isEqualTo(enter.getString("id"));
            assertThat(r.signature()).isEqualTo("sha256=" + hmac("s3cret-for-hmac", r.body()));
            assertThat(r.body().toJsonObject()).isEqualTo(enter);
        }
        assertThat(node.count("SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NOT NULL "
                + "AND attempts = 3")).isEqualTo(1);
        assertThat(node.count("SELECT count(*) FROM webhook_deliveries")).as("exit is not subscribed").isEqualTo(1);
    }

    @Test
    void badSubscriptionsAreRefused() throws Exception {
        HttpResponse<Buffer> noUrl = node.post("/api/v1/webhooks", node.adminToken(), new JsonObject()
                .put("url", "ftp://example.org/x").put("secret", "long-enough"));
        HttpResponse<Buffer> badType = node.post("/api/v1/webhooks", node.adminToken(), new JsonObject()
                .put("url", "http://127.0.0.1:9/x").put("secret", "long-enough")
                .put("types", new JsonArray().add("boom")));

        assertThat(noUrl.statusCode()).isEqualTo(400);
        assertThat(noUrl.bodyAsJsonObject().getString("field")).isEqualTo("url");
        assertThat(badType.bodyAsJsonObject().getString("field")).isEqualTo("types");
    }

    private static String hmac(String secret, Buffer body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    }
}
