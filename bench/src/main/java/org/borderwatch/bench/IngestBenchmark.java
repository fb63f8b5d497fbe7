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
import io.vertx.sqlclient.Tuple;
import org.borderwatch.Borderwatch;
import org.borderwatch.Times;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.config.Config;
import org.borderwatch.db.Database;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batched HTTP ingest throughput, in positions per second, for 10,000 units moving along the US–Mexico border with
 * 0, 1,000 and 10,000 geofences loaded, each against the same run's baseline without geofence evaluation. A real
 * node, a real PostGIS, real HTTP on loopback; the load generator shares the machine, so only the ratios travel.
 *
 * <p>{@code java -jar bench/target/borderwatch-bench.jar [rounds]} with {@code BW_BENCH_DB_URL} (default: database
 * {@code borderwatch_bench} on the local cluster of {@code ./run.sh}, created when missing).
 */
public final class IngestBenchmark {

    static final int UNITS = 10_000;
    static final int BATCH = 1_000;
    static final int IN_FLIGHT = 8;
    static final int WARMUP_ROUNDS = 3;
    private static final int PASSES = 2;
    private static final double WEST = -117.0;
    private static final double EAST = -97.2;
    private static final double SOUTH = 25.9;
    private static final double NORTH = 32.7;

    /** Silence detection is not what is measured: runs follow each other for minutes with old fixes. */
    static final String SILENCE_OFF = "31536000";
    static final String DEFAULT_DB_URL = "postgresql://borderwatch:borderwatch@127.0.0.1:55432/borderwatch_bench";

    private record Scenario(String name, int fences, boolean evaluate) {
    }

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String dbUrl = System.getenv().getOrDefault("BW_BENCH_DB_URL", DEFAULT_DB_URL);
        Vertx vertx = Vertx.vertx();
        Pool pool = fixtures(vertx, dbUrl, 0);

        Instant t0 = startOfRounds(rounds);
        List<Buffer> warmup = bodies(WARMUP_ROUNDS, 0, new Random(1), t0);
        List<Buffer> measured = bodies(rounds, WARMUP_ROUNDS, new Random(2), t0);
        List<Scenario> scenarios = List.of(
                new Scenario("baseline: no geofence evaluation", 0, false),
                new Scenario("0 geofences", 0, true),
                new Scenario("1,000 geofences", 1_000, true),
                new Scenario("10,000 geofences", 10_000, true));
        System.out.printf("%d units, %d positions per request, %d requests in flight, %d measured positions per run,"
                + " %d passes (best pass reported)%n", UNITS, BATCH, IN_FLIGHT, rounds * UNITS, PASSES);
        runScenario(pool, dbUrl, new Scenario("JIT warm-up (not reported)", 1_000, true), warmup, measured);
        Map<String, Double> best = new LinkedHashMap<>();
        Map<String, Long> alerts = new HashMap<>();
        for (int pass = 1; pass <= PASSES; pass++) {
            for (Scenario scenario : scenarios) {
                double rate = runScenario(pool, dbUrl, scenario, warmup, measured);
                System.out.printf("  pass %d  %-34s %9.0f positions/s%n", pass, scenario.name(), rate);
                best.merge(scenario.name(), rate, Math::max);
                alerts.put(scenario.name(), await(pool.query("SELECT count(*) FROM alerts").execute()).iterator()
                        .next().getLong(0));
            }
        }
        double baseline = best.get(scenarios.get(0).name());
        System.out.println();
        best.forEach((name, rate) -> System.out.printf("%-34s %9.0f positions/s   %5.2f x baseline   %7d alerts%n",
                name, rate, rate / baseline, alerts.get(name)));
        await(vertx.close());
    }

    private static double runScenario(Pool pool, String dbUrl, Scenario scenario, List<Buffer> warmup,
                                      List<Buffer> measured) throws Exception {
        await(pool.query(BenchSql.RESET_RUN).execute());
        if (scenario.fences() > 0) {
            await(pool.preparedQuery(BenchSql.FENCES).execute(Tuple.of(scenario.fences())));
        }
        await(pool.query("VACUUM ANALYZE").execute());
        return run(dbUrl, scenario, warmup, measured);
    }

    private static double run(String dbUrl, Scenario scenario, List<Buffer> warmup, List<Buffer> measured)
            throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Vertx node = Vertx.vertx();
        Config config = Config.from(Map.of("BW_DB_URL", dbUrl, "BW_HTTP_PORT", String.valueOf(port),
                "BW_ADMIN_PASSWORD", "bench-password", "BW_GEOFENCES", String.valueOf(scenario.evaluate()),
                "BW_STALE_SECONDS", SILENCE_OFF, "BW_MQTT_PORT", "0", "BW_OSMAND_PORT", "0", "BW_COT_PORT", "0"));
        await(Borderwatch.deploy(node, config, ClusterView.single()));
        Vertx load = Vertx.vertx();
        try {
            WebClient http = WebClient.create(load, new WebClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
            JsonObject login = await(http.post("/api/v1/login").sendJsonObject(new JsonObject()
                    .put("username", "admin").put("password", "bench-password"))).bodyAsJsonObject();
            String token = login.getString("token");
            send(List.of(http), token, warmup);
            long start = System.nanoTime();
            send(List.of(http), token, measured);
            double seconds = (System.nanoTime() - start) / 1e9;
            return measured.size() * (double) BATCH / seconds;
        } finally {
            await(load.close());
            await(node.close());
        }
    }

    /**
     * Sends every body with at most {@link #IN_FLIGHT} requests outstanding, request i to node i mod n (round-robin);
     * fails on anything but 202.
     */
    static void send(List<WebClient> nodes, String token, List<Buffer> bodies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<Void>> lanes = new ArrayList<>();
        for (int lane = 0; lane < IN_FLIGHT; lane++) {
            lanes.add(lane(nodes, token, bodies, next));
        }
        await(Future.all(lanes));
    }

    private static Future<Void> lane(List<WebClient> nodes, String token, List<Buffer> bodies, AtomicInteger next) {
        int i = next.getAndIncrement();
        if (i >= bodies.size()) {
            return Future.succeededFuture();
        }
        return nodes.get(i % nodes.size()).post("/api/v1/positions").bearerTokenAuthentication(token)
                .putHeader("Content-Type", "application/json")
                .sendBuffer(bodies.get(i))
                .compose(response -> response.statusCode() == 202
                        ? lane(nodes, token, bodies, next)
                        : Future.failedFuture("HTTP " + response.statusCode() + ": " + response.bodyAsString()));
    }

    /**
     * Rounds of one fix per unit, each unit on a random walk inside the border region, round r at {@code t0 + r}
     * seconds; only rounds from {@code firstRound} on are returned (the walk before them is replayed, not sent).
     */
    static List<Buffer> bodies(int rounds, int firstRound, Random random, Instant t0) {
        double[] lat = new double[UNITS];
        double[] lon = new double[UNITS];
        Random start = new Random(42);
        for (int u = 0; u < UNITS; u++) {
            lon[u] = WEST + start.nextDouble() * (EAST - WEST);
            lat[u] = SOUTH + start.nextDouble() * (NORTH - SOUTH);
        }
        List<Buffer> bodies = new ArrayList<>();
        for (int round = 0; round < firstRound + rounds; round++) {
            JsonArray batch = new JsonArray();
            String time = Times.format(t0.plusSeconds(round));
            for (int u = 0; u < UNITS; u++) {
                lon[u] = clamp(lon[u] + (random.nextDouble() - 0.5) * 0.01, WEST, EAST);
                lat[u] = clamp(lat[u] + (random.nextDouble() - 0.5) * 0.01, SOUTH, NORTH);
                if (round >= firstRound) {
                    batch.add(new JsonObject().put("unitId", "B-" + u).put("time", time).put("lat", lat[u])
                            .put("lon", lon[u]).put("speed", 12.5).put("heading", 90.0));
                    if (batch.size() == BATCH) {
                        bodies.add(batch.toBuffer());
                        batch = new JsonArray();
                    }
                }
            }
        }
        return bodies;
    }

    /** Round times end about now, one second apart, as live devices would report. */
    static Instant startOfRounds(int rounds) {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(WARMUP_ROUNDS + rounds);
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    /**
     * The bench database made ready: created when missing, migrated, emptied, the 10,000 bench units inserted and, with
     * {@code fences > 0}, that many generated fences (then analysed). Returns a pool of two connections on it.
     */
    static Pool fixtures(Vertx vertx, String dbUrl, int fences) throws Exception {
        createDatabaseIfMissing(vertx, dbUrl);
        Database database = Database.fromUrl(dbUrl);
        database.migrate();
        Pool pool = database.pool(vertx, 2);
        await(pool.query(BenchSql.RESET_ALL).execute());
        await(pool.query(BenchSql.UNITS).execute());
        if (fences > 0) {
            await(pool.preparedQuery(BenchSql.FENCES).execute(Tuple.of(fences)));
            await(pool.query("VACUUM ANALYZE").execute());
        }
        return pool;
    }

    static void createDatabaseIfMissing(Vertx vertx, String dbUrl) throws Exception {
        URI uri = URI.create(dbUrl);
        String name = uri.getPath().substring(1);
        Pool admin = Database.fromUrl(dbUrl.replace(uri.getPath(), "/postgres")).pool(vertx, 1);
        try {
            long exists = await(admin.preparedQuery("SELECT count(*) FROM pg_database WHERE datname = $1")
                    .execute(Tuple.of(name))).iterator().next().getLong(0);
            if (exists == 0) {
                await(admin.query("CREATE DATABASE " + name).execute());
            }
        } finally {
            await(admin.close());
        }
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    }
}
