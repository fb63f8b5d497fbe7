package org.borderwatch.alert;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks under an alert storm with one endpoint down (issue 10). Alerts and their deliveries are written straight
 * into the database with the statement part the detectors use to queue deliveries ({@link Alerts#QUEUE_WEBHOOKS}),
 * in batches of 1,000: the path under test is delivery, and 10,000 alerts arrive in seconds that way.
 */
class WebhookStormIT {

    private static final int ALERTS = 10_000;
    private static final int BATCH = 1_000;
    /** Raises $2 stale alerts of unit $1, each at its own time (the $3-th second before now onwards). */
    private static final String RAISE = """
            WITH raised AS (
                INSERT INTO alerts (type, unit_id, severity, time, lat, lon)
                SELECT 'stale', $1, 'warning', now() - make_interval(secs => g), 31.7, -106.4
                FROM generate_series($3::int + 1, $3::int + $2) g
                RETURNING id, type, unit_id, units
            ),
            """ + Alerts.QUEUE_WEBHOOKS + "SELECT count(*) FROM raised";

    private TestNode node;
    private HttpServer healthy;
    private HttpServer returning;
    private final LogBytes logs = new LogBytes();

    /** Counts what the node logs, as formatted lines, and remembers whether a line held a given text. */
    private static final class LogBytes extends AppenderBase<ILoggingEvent> {
        final AtomicLong bytes = new AtomicLong();
        final AtomicInteger lines = new AtomicInteger();
        volatile String forbidden = "\u0000";
        volatile boolean sawForbidden;

        @Override
        protected void append(ILoggingEvent event) {
            String line = event.getLoggerName() + " " + event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
            bytes.addAndGet(line.getBytes(StandardCharsets.UTF_8).length + 40); // time, level, thread
            lines.incrementAndGet();
            if (line.contains(forbidden)) {
                sawForbidden = true;
            }
        }
    }

    private Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @AfterEach
    void stop() throws Exception {
        root().detachAppender(logs);
        logs.stop();
        node.close();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aDeadEndpointIsPausedWithoutDelayingAnotherAndGetsEveryAlertOnceWhenItReturns() throws Exception {
        node = TestNode.fresh(Map.of("BW_WEBHOOK_ALLOW_PRIVATE", "true"));
        logs.start();
        root().addAppender(logs);
        Map<String, Long> healthyGot = new ConcurrentHashMap<>();
        Set<String> returningGot = ConcurrentHashMap.newKeySet();
        AtomicInteger returningCalls = new AtomicInteger();
        healthy = TestNode.await(node.vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    healthyGot.putIfAbsent(request.getHeader("X-Borderwatch-Delivery"), System.currentTimeMillis());
                    request.response().setStatusCode(204).end();
                }))
                .listen(0, "127.0.0.1"));
        int downPort = TestNode.freePort(); // nothing listens: connections are refused
        String downPath = "/never-log-this-path-" + "x".repeat(200);
        logs.forbidden = downPath.substring(0, 60);
        String admin = node.adminToken();
        assertThat(node.post("/api/v1/webhooks", admin, new JsonObject().put("secret", "healthy-secret")
                .put("url", "http://127.0.0.1:" + healthy.actualPort() + "/hook")).statusCode()).isEqualTo(201);
        HttpResponse<Buffer> down = node.post("/api/v1/webhooks", admin, new JsonObject()
                .put("secret", "returning-secret").put("url", "http://127.0.0.1:" + downPort + downPath));
        assertThat(down.statusCode()).as(down.bodyAsString()).isEqualTo(201);
        String downId = down.bodyAsJsonObject().getString("id");
        node.createUnit("PV-01", "vehicle");

        long outageStart = System.currentTimeMillis();
        long lastRaised = 0;
        for (int raised = 0; raised < ALERTS; raised += BATCH) {
            assertThat(node.count(RAISE, "PV-01", BATCH, raised)).isEqualTo(BATCH);
            lastRaised = System.currentTimeMillis();
            Thread.sleep(500);
        }
        long healthyDeadline = lastRaised + 15_000;
        while (healthyGot.size() < ALERTS && System.currentTimeMillis() < healthyDeadline) {
            Thread.sleep(100);
        }
        long healthyDone = System.currentTimeMillis();
        assertThat(healthyGot).as("the healthy webhook is not held up by the dead one").hasSize(ALERTS);
        assertThat(healthyGot.values().stream().mapToLong(Long::longValue).max().orElseThrow() - lastRaised)
                .as("ms from the last alert raised to its delivery to the healthy webhook").isLessThan(15_000);
        assertThat(node.count("SELECT failures FROM webhooks WHERE id = $1::uuid", java.util.UUID.fromString(downId)))
                .as("the dead endpoint's circuit is open").isPositive();
        long attemptsWhileDown = node.count("SELECT coalesce(sum(attempts), 0) FROM webhook_deliveries "
                + "WHERE webhook_id = $1::uuid", java.util.UUID.fromString(downId));
        assertThat(attemptsWhileDown).as("one batch, then one probe per back-off step, not 10,000 retries")
                .isLessThan(200);
        String metrics = TestNode.await(node.http.get("/metrics").send()).bodyAsString();
        assertThat(metrics).contains("bw_webhook_pending", "bw_webhook_oldest_pending_seconds",
                "bw_webhook_open_circuits", "bw_webhook_failures_total", "bw_webhook_dead_total");

        // The endpoint is down for about 25 s in all, then comes back on the same port.
        Thread.sleep(Math.max(0, outageStart + 25_000 - System.currentTimeMillis()));
        returning = TestNode.await(node.vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    returningCalls.incrementAndGet();
                    returningGot.add(request.getHeader("X-Borderwatch-Delivery"));
                    request.response().setStatusCode(200).end();
                }))
                .listen(downPort, "127.0.0.1"));
        long back = System.currentTimeMillis();
        long drainDeadline = back + 90_000;
        while (returningGot.size() < ALERTS && System.currentTimeMillis() < drainDeadline) {
            Thread.sleep(200);
        }
        Thread.sleep(2_000); // a duplicate would arrive now

        assertThat(returningGot).as("every alert reaches the returning endpoint").hasSize(ALERTS);
        assertThat(returningCalls.get()).as("each exactly once").isEqualTo(ALERTS);
        assertThat(healthyGot.keySet()).isEqualTo(returningGot);
        assertThat(node.count("SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NULL")).isZero();
        assertThat(node.count("SELECT failures FROM webhooks WHERE id = $1::uuid", java.util.UUID.fromString(downId)))
                .as("circuit closed again").isZero();
        assertThat(logs.bytes.get()).as("log bytes during the storm").isLessThan(1_000_000);
        assertThat(logs.sawForbidden).as("the webhook's URL is never logged").isFalse();
        System.out.printf("storm: healthy all in %d ms after the last batch; down endpoint attempted %d times "
                        + "while down; drained %d in %d ms after it returned; %d log lines, %d bytes%n",
                healthyDone - lastRaised, attemptsWhileDown, ALERTS, System.currentTimeMillis() - back - 2_000,
                logs.lines.get(), logs.bytes.get());
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aDeliveryFailingPastTheRetryTimeIsDeadAndListedAsSuch() throws Exception {
        // 0.001 h = 3.6 s
        node = TestNode.fresh(Map.of("BW_WEBHOOK_ALLOW_PRIVATE", "true", "BW_WEBHOOK_RETRY_HOURS", "0.001"));
        String root = node.adminToken();
        HttpResponse<Buffer> created = node.post("/api/v1/webhooks", root, new JsonObject()
                .put("secret", "dead-secret").put("url", "http://127.0.0.1:" + TestNode.freePort() + "/gone"));
        String id = created.bodyAsJsonObject().getString("id");
        node.createUnit("PV-02", "vehicle");
        assertThat(node.count(RAISE, "PV-02", 3, 0)).isEqualTo(3);

        long deadline = System.currentTimeMillis() + 30_000;
        JsonArray dead = new JsonArray();
        while (dead.size() < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            dead = node.get("/api/v1/webhooks/" + id + "/deliveries?state=dead", root).bodyAsJsonArray();
        }

        assertThat(dead).hasSize(3);
        JsonObject first = dead.getJsonObject(0);
        assertThat(first.getString("state")).isEqualTo("dead");
        assertThat(first.getInteger("attempts")).isPositive();
        assertThat(first.getString("lastError")).isNotBlank();
        assertThat(first.getString("deadAt")).isNotNull();
        assertThat(first.getString("nextAttemptAt")).isNull();
        assertThat(node.get("/api/v1/webhooks/" + id + "/deliveries?state=pending", root).bodyAsJsonArray()).isEmpty();
        assertThat(node.get("/api/v1/webhooks/" + id + "/deliveries?limit=2", root).bodyAsJsonArray()).hasSize(2);
        HttpResponse<Buffer> badState = node.get("/api/v1/webhooks/" + id + "/deliveries?state=lost", root);
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(badState.bodyAsJsonObject().getString("field")).isEqualTo("state");
        assertThat(TestNode.await(node.http.get("/metrics").send()).bodyAsString())
                .containsPattern("bw_webhook_dead_total [1-9]");

        // Another agency's admin cannot see it: 404, as for a webhook that does not exist.
        node.post("/api/v1/agencies", root, new JsonObject().put("id", "state-police").put("name", "State Police"));
        node.post("/api/v1/users", root, new JsonObject().put("username", "chief")
                .put("password", "state-chief-password").put("role", "admin").put("agency", "state-police"));
        String chief = node.login("chief", "state-chief-password");
        assertThat(node.get("/api/v1/webhooks/" + id + "/deliveries", chief).statusCode()).isEqualTo(404);
    }
}
