package org.borderwatch.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.HdrHistogram.Histogram;
import org.borderwatch.db.Database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The issue 14 harness: named scenarios of N units reporting at R Hz (or as fast as C connections are answered)
 * through one door, with M map clients, K alert subscribers and F fences, against one node started from the jar in
 * its own JVM; and the baselines the scenarios are read against, in the same run: PostgreSQL COPY of the same rows
 * into the same table ({@code copy}), a server answering 204 without storing ({@code null-single},
 * {@code null-batch}) and the naive design, one INSERT and one ST_Intersects per position ({@code naive-single},
 * {@code naive-batch}). For each scenario: positions committed per second (counted in the database), the door's
 * acknowledgement latency, device-to-map and device-to-alert-subscriber latency (p50/p99/p99.9, HdrHistogram), the
 * node's CPU per 100,000 positions, its heap and RSS. Writes {@code bench/results/bench.json} and {@code bench.svg}.
 *
 * <p>{@code java -cp bench/target/borderwatch-bench.jar org.borderwatch.bench.Bench [scenario…]} (none: all);
 * {@code BW_BENCH_SECONDS} measured per scenario (default 15, after {@code BW_BENCH_WARMUP} = 20 s of the same load:
 * with 8 s the node's JIT compiler still took half its CPU in the window),
 * {@code BW_BENCH_DB_URL}, {@code BW_BENCH_JAR} and {@code BW_BENCH_JAVA_OPTS} as for {@link OverloadBenchmark}.
 */
public final class Bench {

    /** What one scenario runs: {@code perSecond} 0 means closed-loop with {@code lanes} clients. */
    record Scenario(String name, Door.Kind door, int units, int batch, int lanes, double perSecond, int maps,
                    int alertSubscribers, int fences, String baseline) {

        String describe() {
            String load = perSecond > 0
                    ? String.format(Locale.ROOT, "%,d units at %.1f Hz (%,.0f/s offered, %d connections)", units,
                    perSecond / units, perSecond, lanes)
                    : String.format(Locale.ROOT, "%,d units, %d clients as fast as answered", units, lanes);
            return door.label + (batch > 1 ? " of " + batch : "") + "; " + load + "; " + maps + " maps, "
                    + alertSubscribers + " alert subscribers, " + fences + " fences";
        }
    }

    private static final int FENCES = 1_000;
    private static final int COPY_ROWS = 300_000;
    private static final List<Scenario> SCENARIOS = List.of(
            new Scenario("http-batch", Door.Kind.HTTP_BATCH, 10_000, 1_000, 8, 0, 2, 2, FENCES, "batch"),
            new Scenario("http-single", Door.Kind.HTTP_SINGLE, 1_000, 1, 64, 0, 2, 2, FENCES, "single"),
            new Scenario("osmand", Door.Kind.OSMAND, 1_000, 1, 64, 0, 2, 2, FENCES, "single"),
            new Scenario("mqtt", Door.Kind.MQTT, 500, 1, 64, 0, 2, 2, FENCES, "single"),
            new Scenario("cot", Door.Kind.COT, 500, 1, 500, 5_000, 2, 2, FENCES, "single"),
            new Scenario("map200", Door.Kind.HTTP_SINGLE, 5_000, 1, 256, 5_000, 200, 10, FENCES, "single"),
            new Scenario("map1000", Door.Kind.HTTP_SINGLE, 2_000, 1, 128, 2_000, 1_000, 10, FENCES, "single"));
    private static final List<String> BASELINES = List.of("copy", "null-single", "null-batch", "naive-single",
            "naive-batch");
    private static final Path RESULTS = Path.of("bench", "results");
    private static final long STARTED = System.nanoTime();
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

    private final Vertx vertx = Vertx.vertx();
    private final String dbUrl;
    private final Path jar;
    private final int seconds;
    private final int warmup;
    private Pool pool;

    private Bench(String dbUrl, Path jar, int seconds, int warmup) {
        this.dbUrl = dbUrl;
        this.jar = jar;
        this.seconds = seconds;
        this.warmup = warmup;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Bench bench = new Bench(env.getOrDefault("BW_BENCH_DB_URL", IngestBenchmark.DEFAULT_DB_URL),
                Path.of(env.getOrDefault("BW_BENCH_JAR", "server/target/borderwatch.jar")),
                Integer.parseInt(env.getOrDefault("BW_BENCH_SECONDS", "15")),
                Integer.parseInt(env.getOrDefault("BW_BENCH_WARMUP", "20")));
        List<String> names = new ArrayList<>(List.of(args));
        if (names.isEmpty()) {
            names.addAll(BASELINES);
            SCENARIOS.forEach(s -> names.add(s.name()));
        }
        bench.run(names);
    }

    private void run(List<String> names) throws Exception {
        String loadAtStart = Machine.loadAverage();
        IngestBenchmark.createDatabaseIfMissing(vertx, dbUrl);
        Database.fromUrl(dbUrl).migrate();
        pool = Database.fromUrl(dbUrl).pool(vertx, 2);
        IngestBenchmark.await(pool.query(BenchSql.RESET_ALL).execute());
        IngestBenchmark.await(pool.query(BenchSql.UNITS_WITH_KEYS).execute());
        IngestBenchmark.await(pool.query("VACUUM ANALYZE units").execute());
        String javaOpts = System.getenv().getOrDefault("BW_BENCH_JAVA_OPTS", ServerProcess.DEFAULT_JAVA_OPTS);
        System.out.printf(Locale.ROOT, "%s %d cores, shared by the node, PostgreSQL, this load generator and other "
                        + "work; load average %s; node JVM %s; %d s measured per scenario after %d s of warm-up%n",
                clock(), Runtime.getRuntime().availableProcessors(), loadAtStart, javaOpts, seconds, warmup);

        Map<String, JsonObject> results = new LinkedHashMap<>();
        for (String name : names) {
            JsonObject result;
            if (name.equals("copy")) {
                result = copy();
            } else if (name.startsWith("null-") || name.startsWith("naive-")) {
                result = httpBaseline(name);
            } else {
                Scenario scenario = SCENARIOS.stream().filter(s -> s.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no scenario " + name + "; known: "
                                + BASELINES + " " + SCENARIOS.stream().map(Scenario::name).toList()));
                result = scenario(scenario);
            }
            results.put(name, result);
            System.out.println(clock() + " " + name + ": " + result.encode());
        }
        report(results, loadAtStart, javaOpts);
        IngestBenchmark.await(pool.close());
        IngestBenchmark.await(vertx.close());
    }

    private JsonObject copy() throws Exception {
        reset(0);
        // Twice, the better counted: the first also warms PostgreSQL's caches of the table.
        double first = Baselines.copy(dbUrl, COPY_ROWS);
        IngestBenchmark.await(pool.query("TRUNCATE positions").execute());
        double second = Baselines.copy(dbUrl, COPY_ROWS);
        return new JsonObject().put("kind", "baseline").put("what", "PostgreSQL COPY of " + COPY_ROWS
                        + " position rows into the positions table, one statement over JDBC (best of 2)")
                .put("durablePerSecond", Math.round(Math.max(first, second)));
    }

    /** The 204 server or the naive design in this JVM, driven exactly as the node's HTTP door. */
    private JsonObject httpBaseline(String name) throws Exception {
        boolean naive = name.startsWith("naive-");
        boolean batch = name.endsWith("-batch");
        Scenario shape = SCENARIOS.stream().filter(s -> s.name().equals(batch ? "http-batch" : "http-single"))
                .findFirst().orElseThrow();
        List<double[]> centres = reset(naive ? FENCES : 0);
        int port = ServerProcess.freePort();
        Vertx server = Vertx.vertx();
        try {
            IngestBenchmark.await(naive ? Baselines.naiveServer(server, dbUrl, port, 16)
                    : Baselines.nullServer(server, port));
            Door door = Door.create(vertx, batch ? Door.Kind.HTTP_BATCH : Door.Kind.HTTP_SINGLE,
                    new Door.Ports(port, 0, 0, 0), shape.lanes(), shape.batch(), "none");
            Driver driver = new Driver(vertx, door, new Fleet(shape.units(), centres));
            long start = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            driver.start(shape.lanes(), 0, start, end);
            sleepUntil(start);
            long count0 = naive ? count() : 0;
            long t0 = System.nanoTime();
            sleepUntil(end);
            long count1 = naive ? count() : 0;
            long t1 = System.nanoTime();
            driver.stop();
            Histogram ack = driver.ackLatency();
            Thread.sleep(500);
            IngestBenchmark.await(door.close());
            double acked = driver.acknowledged / (double) seconds;
            return new JsonObject().put("kind", "baseline")
                    .put("what", (naive ? "naive design (one INSERT and one ST_Intersects per position, "
                            + FENCES + " fences, 16 connections)" : "204 without storing") + " in the bench JVM, "
                            + shape.describe().replaceAll("; [0-9]+ maps.*", ""))
                    .put("durablePerSecond", Math.round(naive ? (count1 - count0) / ((t1 - t0) / 1e9) : acked))
                    .put("acknowledgedPerSecond", Math.round(acked)).put("failed", driver.failed)
                    .put("lastFailure", driver.lastFailure())
                    .put("ackMs", percentiles(ack, 1000.0));
        } finally {
            IngestBenchmark.await(server.close());
        }
    }

    private JsonObject scenario(Scenario s) throws Exception {
        List<double[]> centres = reset(s.fences());
        Map<String, String> env = new HashMap<>();
        int osmand = ServerProcess.freePort();
        int mqtt = ServerProcess.freePort();
        int cot = ServerProcess.freePort();
        env.put("BW_OSMAND_PORT", String.valueOf(osmand));
        env.put("BW_MQTT_PORT", String.valueOf(mqtt));
        env.put("BW_COT_PORT", String.valueOf(cot));
        try (ServerProcess node = ServerProcess.start(jar, dbUrl, env)) {
            String token = login(node.port);
            Door door = Door.create(vertx, s.door(), new Door.Ports(node.port, osmand, mqtt, cot), s.lanes(),
                    s.batch(), token);
            IngestBenchmark.await(door.open(s.door() == Door.Kind.MQTT || s.door() == Door.Kind.COT ? s.units() : 0));
            Watchers watchers = new Watchers(vertx, s.maps(), s.alertSubscribers());
            IngestBenchmark.await(watchers.connect(node.port, token, s.maps(), s.alertSubscribers()));
            System.out.println(clock() + " " + s.name() + ": node up, " + s.maps() + " maps and "
                    + s.alertSubscribers() + " alert subscribers connected; " + s.describe());
            Driver driver = new Driver(vertx, door, new Fleet(s.units(), centres));
            long start = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            watchers.window(start, end);
            double generatorCpu0 = ownCpuSeconds();
            driver.start(s.lanes(), s.perSecond(), start, end);
            sleepUntil(start);
            long count0 = count();
            double cpu0 = node.cpuSeconds();
            double generatorCpu1 = ownCpuSeconds();
            long t0 = System.nanoTime();
            long peakRss = 0;
            long peakHeap = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                peakRss = Math.max(peakRss, node.rssBytes());
                if ((System.nanoTime() - t0) / 1_000_000_000 % 3 == 0) {
                    peakHeap = Math.max(peakHeap, heapUsed(node.pid(), false));
                }
            }
            long count1 = count();
            double cpu1 = node.cpuSeconds();
            double generatorCpu2 = ownCpuSeconds();
            long t1 = System.nanoTime();
            driver.stop();
            long heapBeforeGc = heapUsed(node.pid(), false);
            long heapLive = heapUsed(node.pid(), true);
            Histogram ack = driver.ackLatency();
            Thread.sleep(500);
            IngestBenchmark.await(watchers.close());
            IngestBenchmark.await(door.close());
            double window = (t1 - t0) / 1e9;
            long stored = count1 - count0;
            long alerts = IngestBenchmark.await(pool.query("SELECT count(*) FROM alerts").execute()).iterator().next()
                    .getLong(0);
            return new JsonObject().put("kind", "scenario").put("what", s.describe())
                    .put("offeredPerSecond", s.perSecond() > 0 ? s.perSecond() : null)
                    .put("durablePerSecond", Math.round(stored / window))
                    .put("acknowledgedPerSecond", Math.round(driver.acknowledged / (double) seconds))
                    .put("failed", driver.failed).put("droppedByGenerator", driver.dropped)
                    .put("lastFailure", driver.lastFailure())
                    .put("ackMs", percentiles(ack, 1000.0))
                    .put("mapMs", percentiles(watchers.mapLatency(), 1.0))
                    .put("alertMs", percentiles(watchers.alertLatency(), 1.0))
                    .put("alertsRaisedInRun", alerts).put("alertFramesReceived", watchers.alerts())
                    .put("mapFramesReceived", watchers.mapFrames())
                    .put("mapMiBReceived", watchers.mapBytes() >> 20)
                    .put("nodeCpuCores", round2((cpu1 - cpu0) / window))
                    .put("nodeCpuSecondsPer100k", stored == 0 ? null : round2((cpu1 - cpu0) / stored * 100_000))
                    .put("generatorCpuCores", round2((generatorCpu2 - generatorCpu1) / window))
                    .put("generatorCpuCoresWarmup", round2((generatorCpu1 - generatorCpu0) / warmup))
                    .put("peakRssMiB", peakRss >> 20).put("peakHeapUsedMiB", Math.max(peakHeap, heapBeforeGc) >> 20)
                    .put("liveHeapAfterGcMiB", heapLive >> 20);
        }
    }

    /** Empties what scenarios write, loads {@code fences} fences, and returns their centres (lon, lat). */
    private List<double[]> reset(int fences) throws Exception {
        IngestBenchmark.await(pool.query(BenchSql.RESET_SCENARIO).execute());
        if (fences > 0) {
            IngestBenchmark.await(pool.preparedQuery(BenchSql.FENCES).execute(Tuple.of(fences)));
        }
        IngestBenchmark.await(pool.query("ANALYZE geofences").execute());
        List<double[]> centres = new ArrayList<>();
        for (Row row : IngestBenchmark.await(pool.query(BenchSql.FENCE_CENTRES).execute())) {
            centres.add(new double[] {row.getDouble("lon"), row.getDouble("lat")});
        }
        return centres;
    }

    private long count() throws Exception {
        return IngestBenchmark.await(pool.query(BenchSql.COUNT_POSITIONS).execute()).iterator().next().getLong(0);
    }

    private String login(int port) throws Exception {
        WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(port));
        try {
            return IngestBenchmark.await(client.post("/api/v1/login").sendJsonObject(new JsonObject()
                    .put("username", "admin").put("password", "bench-password"))).bodyAsJsonObject()
                    .getString("token");
        } finally {
            client.close();
        }
    }

    /** Used heap of the node from {@code jcmd GC.heap_info}, after a full collection when {@code live}. */
    private static long heapUsed(long pid, boolean live) {
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            if (live) {
                new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run").redirectErrorStream(true).start()
                        .waitFor(30, TimeUnit.SECONDS);
            }
            Process p = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher m = HEAP_USED.matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    private static double ownCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (Exception e) {
            return 0;
        }
    }

    private static JsonObject percentiles(Histogram h, double unitsPerMs) {
        if (h.getTotalCount() == 0) {
            return null;
        }
        return new JsonObject().put("count", h.getTotalCount())
                .put("p50", round2(h.getValueAtPercentile(50) / unitsPerMs))
                .put("p99", round2(h.getValueAtPercentile(99) / unitsPerMs))
                .put("p999", round2(h.getValueAtPercentile(99.9) / unitsPerMs))
                .put("max", round2(h.getMaxValue() / unitsPerMs));
    }

    private void report(Map<String, JsonObject> results, String loadAtStart, String javaOpts) throws Exception {
        Long copy = rate(results, "copy");
        System.out.println();
        System.out.printf(Locale.ROOT, "%-13s %10s %8s %8s %8s | %8s %8s %8s | %8s %8s | %7s %6s %6s%n", "scenario",
                "durable/s", "x COPY", "x 204", "x naive", "ack p99", "map p50", "map p99", "alrt p50", "alrt p99",
                "CPU/100k", "heap", "RSS");
        for (Map.Entry<String, JsonObject> e : results.entrySet()) {
            JsonObject r = e.getValue();
            double durable = r.getLong("durablePerSecond");
            JsonObject ratios = new JsonObject();
            if (copy != null && copy > 0 && !e.getKey().equals("copy")) {
                ratios.put("toCopy", round2(durable / copy));
            }
            String shape = e.getKey().equals("http-batch") || e.getKey().endsWith("-batch") ? "batch" : "single";
            Long http = rate(results, "null-" + shape);
            Long naive = rate(results, "naive-" + shape);
            if (http != null && http > 0 && !e.getKey().startsWith("null-")) {
                ratios.put("toHttpLimit", round2(durable / http));
            }
            if (naive != null && naive > 0 && "scenario".equals(r.getString("kind"))) {
                ratios.put("toNaive", round2(durable / naive));
            }
            r.put("ratios", ratios);
            System.out.printf(Locale.ROOT, "%-13s %10.0f %8s %8s %8s | %8s %8s %8s | %8s %8s | %7s %6s %6s%n",
                    e.getKey(), durable, fmt(ratios.getDouble("toCopy")), fmt(ratios.getDouble("toHttpLimit")),
                    fmt(ratios.getDouble("toNaive")), pct(r, "ackMs", "p99"), pct(r, "mapMs", "p50"),
                    pct(r, "mapMs", "p99"), pct(r, "alertMs", "p50"), pct(r, "alertMs", "p99"),
                    fmt(r.getDouble("nodeCpuSecondsPer100k")), mib(r, "liveHeapAfterGcMiB"), mib(r, "peakRssMiB"));
        }
        System.out.println("(latencies in ms; CPU/100k: node CPU seconds per 100,000 positions stored; heap: live "
                + "heap after a full GC at the end of the window)");
        JsonObject json = new JsonObject().put("benchmark", "bench").put("when", Instant.now().toString())
                .put("machine", new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
                        .put("note", "node, PostgreSQL, the load generator and other work share these cores")
                        .put("loadAverageAtStart", loadAtStart).put("loadAverageAtEnd", Machine.loadAverage()))
                .put("nodeJavaOptions", javaOpts).put("measuredSeconds", seconds).put("warmupSeconds", warmup)
                .put("results", new JsonObject(new LinkedHashMap<>(results)));
        Files.createDirectories(RESULTS);
        Files.writeString(RESULTS.resolve("bench.json"), json.encodePrettily() + "\n");
        Files.writeString(RESULTS.resolve("bench.svg"), BenchChart.render(results));
        System.out.println("wrote " + RESULTS.resolve("bench.json") + " and " + RESULTS.resolve("bench.svg"));
    }

    private static Long rate(Map<String, JsonObject> results, String name) {
        JsonObject r = results.get(name);
        return r == null ? null : r.getLong("durablePerSecond");
    }

    private static String pct(JsonObject r, String what, String p) {
        JsonObject h = r.getJsonObject(what);
        return h == null ? "-" : fmt(h.getDouble(p));
    }

    private static String mib(JsonObject r, String key) {
        return r.getValue(key) == null ? "-" : r.getLong(key) + "M";
    }

    private static String fmt(Double value) {
        return value == null ? "-" : value >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    private static String clock() {
        long s = (System.nanoTime() - STARTED) / 1_000_000_000;
        return String.format(Locale.ROOT, "[%02d:%02d]", s / 60, s % 60);
    }
}
