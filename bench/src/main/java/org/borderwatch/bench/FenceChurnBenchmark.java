package org.borderwatch.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import org.borderwatch.Borderwatch;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.config.Config;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.borderwatch.bench.IngestBenchmark.BATCH;
import static org.borderwatch.bench.IngestBenchmark.IN_FLIGHT;
import static org.borderwatch.bench.IngestBenchmark.await;

/**
 * What a bulk of fence changes does to ingest (issue 14): 10,000 units report in batches of 1,000 with 1,000 fences
 * loaded, as fast as a node takes them; ten seconds in, an operator's import creates {@link #NEW_FENCES} fences over
 * the API, 16 at a time. Each fence must be re-baselined against every unit's last position before it decides
 * crossings. Reports the accepted positions per second before, during (from the first fence posted until two seconds
 * after the last) and after, each as a ratio to the rate before, the worst second, and every second's rate.
 *
 * <p>{@code java -cp bench/target/borderwatch-bench.jar org.borderwatch.bench.FenceChurnBenchmark} with
 * {@code BW_BENCH_DB_URL} as {@link IngestBenchmark}.
 */
public final class FenceChurnBenchmark {

    static final int NEW_FENCES = 900;
    static final int SECONDS = 60;
    static final int CHURN_AT = 10;

    private FenceChurnBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String dbUrl = System.getenv().getOrDefault("BW_BENCH_DB_URL", IngestBenchmark.DEFAULT_DB_URL);
        Vertx vertx = Vertx.vertx();
        Pool pool = IngestBenchmark.fixtures(vertx, dbUrl, 1_000);
        int rounds = 400;
        List<Buffer> bodies = IngestBenchmark.bodies(rounds, 0, new Random(2),
                IngestBenchmark.startOfRounds(rounds));

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Vertx node = Vertx.vertx();
        Config config = Config.from(Map.of("BW_DB_URL", dbUrl, "BW_HTTP_PORT", String.valueOf(port),
                "BW_ADMIN_PASSWORD", "bench-password", "BW_STALE_SECONDS", IngestBenchmark.SILENCE_OFF,
                "BW_MQTT_PORT", "0", "BW_OSMAND_PORT", "0", "BW_COT_PORT", "0"));
        await(Borderwatch.deploy(node, config, ClusterView.single()));
        Vertx load = Vertx.vertx();
        WebClient http = WebClient.create(load, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(IN_FLIGHT + 16));
        String token = await(http.post("/api/v1/login").sendJsonObject(new JsonObject().put("username", "admin")
                .put("password", "bench-password"))).bodyAsJsonObject().getString("token");

        AtomicLongArray perSecond = new AtomicLongArray(SECONDS + 1);
        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        AtomicLong stopAt = new AtomicLong(start + SECONDS * 1_000_000_000L);
        List<Future<Void>> lanes = new ArrayList<>();
        for (int lane = 0; lane < IN_FLIGHT; lane++) {
            lanes.add(lane(http, token, bodies, next, perSecond, start, stopAt));
        }
        Thread.sleep(CHURN_AT * 1000L);
        long churnStart = System.nanoTime();
        await(createFences(http, token));
        long posted = System.nanoTime();
        // The writer re-baselines behind the posts; two seconds more cover its last turn (the series shows it).
        long settled = posted + 2_000_000_000L;
        await(Future.all(lanes));
        int from = (int) ((churnStart - start) / 1_000_000_000L);
        int to = (int) Math.ceil((settled - start) / 1e9);
        double before = rate(perSecond, 2, from);
        double during = rate(perSecond, from, to);
        double after = rate(perSecond, to, SECONDS);
        long worst = Long.MAX_VALUE;
        for (int s = from; s < to && s < SECONDS; s++) {
            worst = Math.min(worst, perSecond.get(s));
        }
        System.out.printf("fence churn: %,d fences loaded, %,d created over the API at second %d, %d positions per"
                + " request, %d in flight; load average %s%n", 1_000, NEW_FENCES, CHURN_AT, BATCH, IN_FLIGHT,
                Machine.loadAverage());
        System.out.printf("  posting the fences took %.1f s%n", (posted - churnStart) / 1e9);
        System.out.printf("  before  %,8.0f positions/s%n", before);
        System.out.printf("  during  %,8.0f positions/s  %.2f x before (worst second %,d, %.2f x)%n", during,
                during / before, worst, worst / before);
        System.out.printf("  after   %,8.0f positions/s  %.2f x before%n", after, after / before);
        StringBuilder seconds = new StringBuilder("  per second:");
        for (int s = 0; s < SECONDS; s++) {
            seconds.append(' ').append(perSecond.get(s) / 1000).append('k');
        }
        System.out.println(seconds);
        await(load.close());
        await(node.close());
        await(vertx.close());
    }

    private static double rate(AtomicLongArray perSecond, int from, int to) {
        long sum = 0;
        for (int s = from; s < to && s < SECONDS; s++) {
            sum += perSecond.get(s);
        }
        return to > from ? (double) sum / (Math.min(to, SECONDS) - from) : 0;
    }

    private static Future<Void> lane(WebClient http, String token, List<Buffer> bodies, AtomicInteger next,
                                     AtomicLongArray perSecond, long start, AtomicLong stopAt) {
        if (System.nanoTime() >= stopAt.get()) {
            return Future.succeededFuture();
        }
        Buffer body = bodies.get(next.getAndIncrement() % bodies.size());
        return http.post("/api/v1/positions").bearerTokenAuthentication(token)
                .putHeader("Content-Type", "application/json").sendBuffer(body)
                .compose(response -> {
                    if (response.statusCode() == 202) {
                        int second = (int) ((System.nanoTime() - start) / 1_000_000_000L);
                        if (second <= SECONDS) {
                            perSecond.addAndGet(second, BATCH);
                        }
                    }
                    return lane(http, token, bodies, next, perSecond, start, stopAt);
                });
    }

    /** {@link #NEW_FENCES} squares of 1–5 km over the units' region, 16 requests at a time. */
    private static Future<Void> createFences(WebClient http, String token) {
        Random random = new Random(7);
        List<JsonObject> fences = new ArrayList<>();
        for (int i = 0; i < NEW_FENCES; i++) {
            double lon = -117.0 + random.nextDouble() * 19.8;
            double lat = 25.9 + random.nextDouble() * 6.8;
            double half = (1 + random.nextDouble() * 4) / 2 / 111.0;
            JsonArray ring = new JsonArray()
                    .add(new JsonArray().add(lon - half).add(lat - half)).add(new JsonArray().add(lon + half)
                            .add(lat - half)).add(new JsonArray().add(lon + half).add(lat + half))
                    .add(new JsonArray().add(lon - half).add(lat + half)).add(new JsonArray().add(lon - half)
                            .add(lat - half));
            fences.add(new JsonObject().put("type", "Feature")
                    .put("geometry", new JsonObject().put("type", "Polygon").put("coordinates",
                            new JsonArray().add(ring)))
                    .put("properties", new JsonObject().put("name", "Imported " + i).put("severity", "warning")
                            .put("rules", new JsonObject().put("enter", true).put("exit", true))));
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<Void>> lanes = new ArrayList<>();
        for (int lane = 0; lane < 16; lane++) {
            lanes.add(post(http, token, fences, next));
        }
        return Future.all(lanes).mapEmpty();
    }

    private static Future<Void> post(WebClient http, String token, List<JsonObject> fences, AtomicInteger next) {
        int i = next.getAndIncrement();
        if (i >= fences.size()) {
            return Future.succeededFuture();
        }
        return http.post("/api/v1/geofences").bearerTokenAuthentication(token).sendJsonObject(fences.get(i))
                .compose(response -> response.statusCode() == 201 ? post(http, token, fences, next)
                        : Future.failedFuture("HTTP " + response.statusCode() + ": " + response.bodyAsString()));
    }
}
