package org.borderwatch.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Goodput under overload: batched HTTP ingest (1,000 positions per request, 10,000 units, 1,000 geofences) against
 * one node started from the server jar. It first finds the sustainable rate with a few closed-loop clients (the
 * peak over 2, 4, 8 and 16 of them), then offers 1x, 2x and 5x that rate open-loop, as independent devices do, with
 * admission control on and off ({@code BW_ADMISSION=off}) taking turns, each phase on a fresh, warmed-up node. Each
 * phase reports accepted positions/s, p50/p99 latency of accepted requests from their intended start, the rejected
 * share, the node's peak RSS and the CPU it used. Writes {@code bench/results/overload.json} and {@code overload.svg}.
 *
 * <p>{@code java -cp bench/target/borderwatch-bench.jar org.borderwatch.bench.OverloadBenchmark [seconds]}: seconds
 * measured per phase (default 15, after 5 of warm-up); the server jar is {@code server/target/borderwatch.jar} or
 * {@code BW_BENCH_JAR}, the database {@code BW_BENCH_DB_URL}, the node's JVM options {@code BW_BENCH_JAVA_OPTS}
 * (default {@value ServerProcess#DEFAULT_JAVA_OPTS}, as {@code ./run.sh}); {@code BW_BENCH_MODES=on} skips the
 * phases without admission control and writes no report (for tuning the bounds). Node settings such as
 * {@code BW_MAX_QUEUE_WAIT_MS} in the environment reach the node.
 */
public final class OverloadBenchmark {

    private static final int[] SEARCH_CLIENTS = {2, 4, 8, 16};
    private static final double[] LOADS = {1, 2, 5};
    private static final int FENCES = 1_000;
    private static final int WARMUP_S = 5;
    private static final int SEARCH_WARMUP_S = 3;
    private static final int SEARCH_S = 6;
    /** Closed-loop load on each fresh node before its phase, so the phase does not measure the JIT compiler. */
    private static final int NODE_WARMUP_S = 4;
    /** Connections the open-loop generator may hold; beyond them requests wait in it (and that counts). */
    private static final int CONNECTIONS = 512;
    private static final Path RESULTS = Path.of("bench", "results");
    private static final long STARTED = System.nanoTime();
    /** The machine's load average when the run began: other work on it weighs on every figure. */
    private static final String LOAD_AT_START = Machine.loadAverage();

    private OverloadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String dbUrl = System.getenv().getOrDefault("BW_BENCH_DB_URL", IngestBenchmark.DEFAULT_DB_URL);
        Path jar = Path.of(System.getenv().getOrDefault("BW_BENCH_JAR", "server/target/borderwatch.jar"));
        Vertx vertx = Vertx.vertx();
        Pool pool = IngestBenchmark.fixtures(vertx, dbUrl, FENCES);
        System.out.println(clock() + " fixtures loaded");
        BatchFactory bodies = new BatchFactory(IngestBenchmark.UNITS / IngestBenchmark.BATCH, 7);
        AtomicLong sequence = new AtomicLong();
        String javaOpts = System.getenv().getOrDefault("BW_BENCH_JAVA_OPTS", ServerProcess.DEFAULT_JAVA_OPTS);
        System.out.printf(Locale.ROOT, "%d units, %d geofences, %d positions (%d bytes) per request; node JVM: %s;"
                        + " %d s measured per phase after %d s warm-up; %d cores here, shared with PostgreSQL and "
                        + "the load generator; load average %s%n", IngestBenchmark.UNITS, FENCES, IngestBenchmark.BATCH,
                bodies.bodyBytes(), javaOpts, seconds, WARMUP_S, Runtime.getRuntime().availableProcessors(),
                LOAD_AT_START);

        List<LoadPhase.Result> search = new ArrayList<>();
        List<LoadPhase.Result> on = new ArrayList<>();
        List<LoadPhase.Result> off = new ArrayList<>();
        try (ServerProcess node = ServerProcess.start(jar, dbUrl, Map.of("BW_ADMISSION", "on"))) {
            String token = login(vertx, node);
            System.out.println(clock() + " node started");
            for (int clients : SEARCH_CLIENTS) {
                search.add(phase(vertx, pool, node, token, bodies, sequence).closedLoop(clients + " clients",
                        clients, SEARCH_WARMUP_S, SEARCH_S));
                print("search", search.get(search.size() - 1));
            }
        }
        double peak = search.stream().mapToDouble(LoadPhase.Result::acceptedPerSecond).max().orElseThrow();
        int peakClients = search.stream().filter(r -> r.acceptedPerSecond() >= 0.95 * peak).findFirst()
                .map(r -> Integer.parseInt(r.name().split(" ")[0])).orElseThrow();
        System.out.printf(Locale.ROOT, "%s sustainable: %.0f positions/s (peak of the search; %d clients reach 95 %% "
                + "of it)%n", clock(), peak, peakClients);
        // On and off take turns at each load, each on a fresh node warmed up first, so that a machine shared with
        // others drifting in speed during the run weighs on both alike, and each phase's RSS is its own.
        boolean onOnly = "on".equals(System.getenv("BW_BENCH_MODES"));
        for (double load : LOADS) {
            for (String mode : onOnly ? List.of("on") : List.of("on", "off")) {
                try (ServerProcess node = ServerProcess.start(jar, dbUrl, Map.of("BW_ADMISSION", mode))) {
                    String token = login(vertx, node);
                    phase(vertx, pool, node, token, bodies, sequence).closedLoop("JIT warm-up", peakClients,
                            NODE_WARMUP_S, 1);
                    LoadPhase.Result result = phase(vertx, pool, node, token, bodies, sequence).openLoop(label(load),
                            peak * load / IngestBenchmark.BATCH, CONNECTIONS, WARMUP_S, seconds);
                    (mode.equals("on") ? on : off).add(result);
                    print("admission " + mode, result);
                }
            }
        }
        if (!onOnly) {
            report(peak, peakClients, javaOpts, seconds, search, on, off);
        }
        IngestBenchmark.await(pool.close());
        IngestBenchmark.await(vertx.close());
    }

    /** A new phase after the last one's work has drained, on an emptied positions table (a steady index size). */
    private static LoadPhase phase(Vertx vertx, Pool pool, ServerProcess node, String token, BatchFactory bodies,
                                   AtomicLong sequence) throws Exception {
        quiesce(vertx, node);
        IngestBenchmark.await(pool.query("TRUNCATE positions").execute());
        System.out.println(clock() + " node idle, positions emptied");
        return new LoadPhase(vertx, node, token, bodies::body, IngestBenchmark.BATCH, sequence);
    }

    /** Waits (at most a minute) until the node's write queue is empty: requests cut off may still be committing. */
    private static void quiesce(Vertx vertx, ServerProcess node) throws Exception {
        WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(node.port));
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            int idle = 0;
            while (idle < 3 && System.currentTimeMillis() < deadline) {
                String metrics = IngestBenchmark.await(client.get("/metrics").send()).bodyAsString();
                boolean empty = metrics.lines().anyMatch("bw_ingest_queue_positions 0"::equals)
                        && metrics.lines().noneMatch(l -> l.startsWith("bw_admission_inflight_requests ")
                        && !l.endsWith(" 0"));
                idle = empty ? idle + 1 : 0;
                Thread.sleep(300);
            }
        } finally {
            client.close();
        }
    }

    private static String login(Vertx vertx, ServerProcess node) throws Exception {
        WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(node.port));
        try {
            return IngestBenchmark.await(client.post("/api/v1/login").sendJsonObject(new JsonObject()
                    .put("username", "admin").put("password", "bench-password"))).bodyAsJsonObject()
                    .getString("token");
        } finally {
            client.close();
        }
    }

    /** Minutes and seconds since the start, to see where a run spends its time. */
    private static String clock() {
        long s = (System.nanoTime() - STARTED) / 1_000_000_000;
        return String.format(Locale.ROOT, "[%02d:%02d]", s / 60, s % 60);
    }

    private static String label(double load) {
        return String.format(Locale.ROOT, "%.0fx", load);
    }

    private static void print(String what, LoadPhase.Result r) {
        System.out.printf(Locale.ROOT, "%s %-14s %-10s offered %8.0f/s  accepted %8.0f/s  p50 %7.0f ms  p99 %7.0f ms"
                        + "  rejected %5.1f %% (429: %d, 503: %d, failed: %d, unanswered: %d)  RSS %4d MiB  "
                        + "CPU %.2f cores%n", clock(), what, r.name(), r.offeredPerSecond(), r.acceptedPerSecond(),
                r.acceptedP50Ms(), r.acceptedP99Ms(), 100 * r.rejectedShare(), r.rejected429(), r.rejected503(),
                r.failed(), r.unanswered(), r.peakRssBytes() >> 20, r.serverCpuPerSecond());
    }

    private static void report(double peak, int peakClients, String javaOpts, int seconds,
                               List<LoadPhase.Result> search, List<LoadPhase.Result> on, List<LoadPhase.Result> off)
            throws Exception {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-6s | %-37s | %-37s%n", "load", "admission on: accepted/peak, p99, RSS",
                "admission off: accepted/peak, p99, RSS");
        JsonArray ratios = new JsonArray();
        for (int i = 0; i < LOADS.length; i++) {
            LoadPhase.Result a = on.get(i);
            LoadPhase.Result b = off.get(i);
            System.out.printf(Locale.ROOT, "%-6s | %5.2f  %8.0f ms  %5d MiB          | %5.2f  %8.0f ms  %5d MiB%n",
                    a.name(), a.acceptedPerSecond() / peak, a.acceptedP99Ms(), a.peakRssBytes() >> 20,
                    b.acceptedPerSecond() / peak, b.acceptedP99Ms(), b.peakRssBytes() >> 20);
            ratios.add(new JsonObject().put("load", a.name())
                    .put("onAcceptedToPeak", Math.round(a.acceptedPerSecond() / peak * 100) / 100.0)
                    .put("offAcceptedToPeak", Math.round(b.acceptedPerSecond() / peak * 100) / 100.0)
                    .put("onToOffAccepted", Math.round(a.acceptedPerSecond() / b.acceptedPerSecond() * 100) / 100.0)
                    .put("onToOffP99", Math.round(a.acceptedP99Ms() / b.acceptedP99Ms() * 1000) / 1000.0));
        }
        JsonObject json = new JsonObject()
                .put("benchmark", "overload")
                .put("when", Instant.now().toString())
                .put("machine", new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
                        .put("note", "node, PostgreSQL and load generator share these cores")
                        .put("loadAverageAtStart", LOAD_AT_START).put("loadAverageAtEnd", Machine.loadAverage()))
                .put("nodeJavaOptions", javaOpts)
                .put("workload", new JsonObject().put("units", IngestBenchmark.UNITS).put("geofences", FENCES)
                        .put("positionsPerRequest", IngestBenchmark.BATCH).put("measuredSecondsPerPhase", seconds)
                        .put("warmupSeconds", WARMUP_S).put("openLoopConnections", CONNECTIONS))
                .put("sustainablePositionsPerSecond", Math.round(peak))
                .put("sustainableClients", peakClients)
                .put("search", new JsonArray(search.stream().map(LoadPhase.Result::toJson).toList()))
                .put("admissionOn", new JsonArray(on.stream().map(LoadPhase.Result::toJson).toList()))
                .put("admissionOff", new JsonArray(off.stream().map(LoadPhase.Result::toJson).toList()))
                .put("ratios", ratios);
        Files.createDirectories(RESULTS);
        Files.writeString(RESULTS.resolve("overload.json"), json.encodePrettily() + "\n");
        Files.writeString(RESULTS.resolve("overload.svg"), chart(peak, on, off));
        System.out.println("\nwrote " + RESULTS.resolve("overload.json") + " and " + RESULTS.resolve("overload.svg"));
    }

    private static String chart(double peak, List<LoadPhase.Result> on, List<LoadPhase.Result> off) {
        List<String> loads = on.stream().map(r -> r.name() + " offered").toList();
        String onColor = "#2b7bba";
        String offColor = "#d9534f";
        SvgChart.Panel accepted = new SvgChart.Panel("Accepted positions/s", "positions/s", loads, List.of(
                new SvgChart.Series("admission on", onColor, values(on, LoadPhase.Result::acceptedPerSecond)),
                new SvgChart.Series("admission off", offColor, values(off, LoadPhase.Result::acceptedPerSecond))),
                List.of(new SvgChart.Line("peak", peak), new SvgChart.Line("80 % of peak", 0.8 * peak)));
        SvgChart.Panel p99 = new SvgChart.Panel("p99 latency of accepted requests", "ms", loads, List.of(
                new SvgChart.Series("admission on", onColor, values(on, LoadPhase.Result::acceptedP99Ms)),
                new SvgChart.Series("admission off", offColor, values(off, LoadPhase.Result::acceptedP99Ms))),
                List.of());
        SvgChart.Panel rss = new SvgChart.Panel("Peak RSS of the node", "MiB", loads, List.of(
                new SvgChart.Series("admission on", onColor, values(on, r -> r.peakRssBytes() / 1048576.0)),
                new SvgChart.Series("admission off", offColor, values(off, r -> r.peakRssBytes() / 1048576.0))),
                List.of());
        return SvgChart.render("Borderwatch under overload: batched HTTP ingest, 1,000 geofences",
                "open-loop load at 1x, 2x and 5x the sustainable rate; one node, PostgreSQL and the load generator "
                        + "on the same 2 cores", List.of(accepted, p99, rss));
    }

    private static double[] values(List<LoadPhase.Result> results,
                                   java.util.function.ToDoubleFunction<LoadPhase.Result> value) {
        return results.stream().mapToDouble(value).toArray();
    }
}
