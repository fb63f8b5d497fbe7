package org.borderwatch.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Multi-megabyte position bodies (a device's hours of buffered fixes) are parsed off the event loop: while several
 * of them are posted, {@code /health/live} on the same node keeps answering promptly, and every position is stored.
 */
class LargeBodiesIT {

    private static final int UNITS = 10;
    private static final int BODIES = 4;
    /** About 7.5 MB of JSON per body, the size that stalled the event loop for most of a second before. */
    private static final int PER_BODY = 55_000;
    private static final long PROBE_MS = 10;
    /**
     * Generous: with these bodies parsed on the event loop (and the writer sharing it) the node added 12 s to the p99
     * here; parsed on a worker, 0 to 0.35 s on a two-core machine with a load average of 10 to 13 from other work.
     */
    private static final long MAX_ADDED_MS = 500;

    private TestNode node;
    private Vertx probeVertx;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
        for (int u = 0; u < UNITS; u++) {
            node.createUnit("BULK-" + u, "vehicle");
        }
        probeVertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        TestNode.await(probeVertx.close());
        node.close();
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted;
        synchronized (values) {
            sorted = new ArrayList<>(values);
        }
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * p / 100.0) - 1));
    }

    private static Buffer body(int index, Instant t0) {
        JsonArray positions = new JsonArray();
        for (int i = 0; i < PER_BODY; i++) {
            int n = index * PER_BODY + i;
            positions.add(new JsonObject().put("unitId", "BULK-" + n % UNITS)
                    .put("time", t0.plusMillis(1000L * (n / UNITS)).toString())
                    .put("lat", 31.0 + (n % 1000) * 0.0001).put("lon", -106.0 - (n % 977) * 0.0001)
                    .put("speed", 12.5).put("heading", 90.0).put("accuracy", 5.0)
                    .put("attributes", new JsonObject().put("source", "buffered")));
        }
        return positions.toBuffer();
    }

    @Test
    void largeBodiesDoNotStallTheEventLoop() throws Exception {
        Instant t0 = Instant.now().minus(20, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<Buffer> bodies = new ArrayList<>();
        for (int b = 0; b < BODIES; b++) {
            bodies.add(body(b, t0));
        }
        assertThat(bodies.get(0).length()).as("a body of several megabytes").isGreaterThan(7_000_000);
        String token = node.adminToken();

        // A probe every 10 ms asks the node's /health/live and, at the same moment, a control server on a Vert.x of
        // its own in this JVM: garbage collection and a busy machine delay both alike, a blocked event loop of the
        // node only the first. One probe at a time; one that takes longer also stands for those that fell due
        // meanwhile, each timed from when it was due (no coordinated omission).
        WebClientOptions options = new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.port);
        WebClient poster = WebClient.create(probeVertx, options);
        WebClient probe = WebClient.create(probeVertx, options);
        int control = TestNode.await(probeVertx.createHttpServer()
                .requestHandler(request -> request.response().end("{\"status\":\"up\"}")).listen(0)).actualPort();
        List<Long> health = Collections.synchronizedList(new ArrayList<>());
        List<Long> controls = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean probing = new AtomicBoolean(true);
        Promise<Void> probed = Promise.promise();
        probeVertx.runOnContext(v -> probe(probe, control, health, controls, probing, probed, System.nanoTime()));
        try {
            for (Buffer body : bodies) {
                HttpResponse<Buffer> response = TestNode.await(poster.post("/api/v1/positions")
                        .bearerTokenAuthentication(token).putHeader("Content-Type", "application/json")
                        .sendBuffer(body));
                assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
                assertThat(response.bodyAsJsonObject().getInteger("accepted")).isEqualTo(PER_BODY);
            }
        } finally {
            probing.set(false);
            TestNode.await(probed.future());
        }

        assertThat(node.count("SELECT count(*) FROM positions")).isEqualTo((long) BODIES * PER_BODY);
        long healthP99 = percentile(health, 99);
        long controlP99 = percentile(controls, 99);
        assertThat(health).as("probes answered while the bodies were posted").hasSizeGreaterThan(100);
        assertThat(healthP99 - controlP99).as("what the node's event loop adds to the p99 of /health/live, in ms "
                + "(/health/live p99 %d, max %d; control p99 %d, max %d; %d probes)", healthP99,
                percentile(health, 100), controlP99, percentile(controls, 100), health.size())
                .isLessThan(MAX_ADDED_MS);
    }

    /** One probe pair, then the next when it is due; a late pair records the ones it stood for. */
    private void probe(WebClient probe, int control, List<Long> health, List<Long> controls, AtomicBoolean probing,
                       Promise<Void> done, long due) {
        if (!probing.get()) {
            done.complete();
            return;
        }
        Future<Long> live = probe.get("/health/live").send()
                .map(r -> r.statusCode() == 200 ? System.nanoTime() - due : Long.MAX_VALUE / 2);
        Future<Long> ping = probe.get(control, "127.0.0.1", "/").send().map(r -> System.nanoTime() - due);
        Future.all(live, ping).onComplete(ar -> {
            long interval = PROBE_MS * 1_000_000;
            long a = ar.succeeded() ? live.result() : Long.MAX_VALUE / 2;
            long b = ar.succeeded() ? ping.result() : 0;
            long next = due;
            // This probe and each that fell due while it was out, with the latency it would have seen.
            for (long k = 0; a - k * interval > 0 || k == 0; k++) {
                health.add(Math.max(0, a - k * interval) / 1_000_000);
                controls.add(Math.max(0, b - k * interval) / 1_000_000);
                next = due + (k + 1) * interval;
                if (k > 100_000) {
                    break;
                }
            }
            long following = next;
            long wait = Math.max(1, (following - System.nanoTime()) / 1_000_000);
            probeVertx.setTimer(wait, t -> probe(probe, control, health, controls, probing, done, following));
        });
    }
}
