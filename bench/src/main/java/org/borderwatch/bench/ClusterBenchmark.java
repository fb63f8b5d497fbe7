package org.borderwatch.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Batched HTTP ingest through one node against three clustered nodes, each a separate JVM started from the server
 * jar, requests spread round-robin, 10,000 units and 1,000 geofences. All on this machine: see the README for what
 * the ratio means here and on three machines.
 *
 * <p>{@code java -cp bench/target/borderwatch-bench.jar org.borderwatch.bench.ClusterBenchmark [rounds]}; the server
 * jar is {@code server/target/borderwatch.jar} or {@code BW_BENCH_JAR}.
 */
public final class ClusterBenchmark {

    private static final int PASSES = 2;

    private record Setup(String name, int nodes, boolean clustered) {
    }

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String dbUrl = System.getenv().getOrDefault("BW_BENCH_DB_URL", IngestBenchmark.DEFAULT_DB_URL);
        Path jar = Path.of(System.getenv().getOrDefault("BW_BENCH_JAR", "server/target/borderwatch.jar"));
        Vertx vertx = Vertx.vertx();
        Pool pool = IngestBenchmark.fixtures(vertx, dbUrl, 0);
        Instant t0 = IngestBenchmark.startOfRounds(rounds);
        List<Buffer> warmup = IngestBenchmark.bodies(IngestBenchmark.WARMUP_ROUNDS, 0, new Random(1), t0);
        List<Buffer> measured = IngestBenchmark.bodies(rounds, IngestBenchmark.WARMUP_ROUNDS, new Random(2), t0);
        List<Setup> setups = List.of(new Setup("1 node, not clustered", 1, false),
                new Setup("1 node, clustered (Hazelcast)", 1, true),
                new Setup("3 nodes, clustered, round-robin", 3, true));
        System.out.printf("%d units, 1,000 geofences, %d positions per request, %d in flight, %d measured positions"
                + " per run, %d passes (best reported)%n", IngestBenchmark.UNITS, IngestBenchmark.BATCH,
                IngestBenchmark.IN_FLIGHT, rounds * IngestBenchmark.UNITS, PASSES);
        Map<String, Double> best = new LinkedHashMap<>();
        for (int pass = 1; pass <= PASSES; pass++) {
            for (Setup setup : setups) {
                IngestBenchmark.await(pool.query(BenchSql.RESET_RUN).execute());
                IngestBenchmark.await(pool.preparedQuery(BenchSql.FENCES).execute(Tuple.of(1_000)));
                IngestBenchmark.await(pool.query("VACUUM ANALYZE").execute());
                double rate = run(vertx, jar, dbUrl, setup, warmup, measured);
                System.out.printf("  pass %d  %-34s %9.0f positions/s%n", pass, setup.name(), rate);
                best.merge(setup.name(), rate, Math::max);
            }
        }
        double baseline = best.get(setups.get(0).name());
        System.out.println();
        best.forEach((name, rate) -> System.out.printf("%-34s %9.0f positions/s   %5.2f x one node%n", name, rate,
                rate / baseline));
        IngestBenchmark.await(vertx.close());
    }

    private static double run(Vertx vertx, Path jar, String dbUrl, Setup setup, List<Buffer> warmup,
                              List<Buffer> measured) throws Exception {
        List<Integer> httpPorts = new ArrayList<>();
        List<String> members = new ArrayList<>();
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < setup.nodes(); i++) {
            httpPorts.add(freePort());
            clusterPorts.add(freePort());
            members.add("127.0.0.1:" + clusterPorts.get(i));
        }
        List<Process> processes = new ArrayList<>();
        List<WebClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < setup.nodes(); i++) {
                ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-jar", jar.toAbsolutePath().toString())
                        .redirectErrorStream(true)
                        .redirectOutput(Files.createTempFile("bw-bench-node", ".log").toFile());
                builder.environment().putAll(Map.of("BW_DB_URL", dbUrl,
                        "BW_HTTP_PORT", String.valueOf(httpPorts.get(i)),
                        "BW_ADMIN_PASSWORD", "bench-password", "BW_CLUSTER", String.valueOf(setup.clustered()),
                        "BW_CLUSTER_PORT", String.valueOf(clusterPorts.get(i)),
                        "BW_CLUSTER_MEMBERS", String.join(",", members),
                        "BW_CLUSTER_NAME", "bw-bench-" + ProcessHandle.current().pid(),
                        "BW_MQTT_PORT", "0", "BW_OSMAND_PORT", "0", "BW_COT_PORT", "0"));
                builder.environment().put("BW_STALE_SECONDS", IngestBenchmark.SILENCE_OFF);
                processes.add(builder.start());
                clients.add(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                        .setDefaultPort(httpPorts.get(i)),
                        new PoolOptions().setHttp1MaxSize(IngestBenchmark.IN_FLIGHT)));
            }
            for (WebClient client : clients) {
                awaitMembers(client, setup.clustered() ? setup.nodes() : 1);
            }
            String token = IngestBenchmark.await(clients.get(0).post("/api/v1/login").sendJsonObject(new JsonObject()
                    .put("username", "admin").put("password", "bench-password"))).bodyAsJsonObject()
                    .getString("token");
            IngestBenchmark.send(clients, token, warmup);
            long start = System.nanoTime();
            IngestBenchmark.send(clients, token, measured);
            return measured.size() * (double) IngestBenchmark.BATCH / ((System.nanoTime() - start) / 1e9);
        } finally {
            clients.forEach(WebClient::close);
            for (Process process : processes) {
                process.destroy();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitMembers(WebClient client, int members) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                String metrics = IngestBenchmark.await(client.get("/metrics").send()).bodyAsString();
                if (metrics.lines().anyMatch(("bw_cluster_members " + members)::equals)) {
                    return;
                }
            } catch (Exception notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("node did not see " + members + " members in time");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
