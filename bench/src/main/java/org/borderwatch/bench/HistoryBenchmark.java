package org.borderwatch.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import net.postgis.jdbc.geometry.Point;
import net.postgis.jdbc.geometry.binary.BinaryWriter;
import org.borderwatch.Times;
import org.borderwatch.db.Database;
import org.borderwatch.history.HistoryPlans;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * History at scale (API.md §11, BENCHMARKS.md "History"): loads {@code rows} positions (default 100 million) of
 * 2,000 units over the 14 days before today into a database of its own, generated in PostGIS, then measures through a
 * real node over HTTP a one-day track of one unit, a one-hour zone query over a 10 km by 10 km box, the first byte and
 * the whole of a one-hour replay of every unit, and a one-day GPX export; saves EXPLAIN (ANALYZE, BUFFERS) of each
 * statement under {@code bench/results/}; and compares the server's batched write into a partitioned table with the
 * same into a plain one. With {@code --migration=N} it also migrates a V007 table of N rows while a writer inserts,
 * and reports how long the writer waited.
 *
 * <p>{@code java -cp bench/target/borderwatch-bench.jar org.borderwatch.bench.HistoryBenchmark [rows] [--keep]
 * [--reuse] [--migration=N]}, database {@code BW_BENCH_HISTORY_DB_URL} (default {@code borderwatch_history_bench}
 * on the local cluster), dropped at the end unless {@code --keep}.
 */
public final class HistoryBenchmark {

    static final int UNITS = 2_000;
    static final int DAYS = 14;
    static final int RUNS = 5;
    /**
     * Requests of each kind between the first and the timed ones: a node just started runs the request's code
     * interpreted while its JIT compiler, on the same two cores as PostgreSQL, compiles it; a floor's node has long
     * since compiled it. The first is reported apart, and these runs as they came.
     */
    static final int WARM_UP = 5;
    static final int NODE_HEAP_MB = 128;
    static final String DEFAULT_DB_URL =
            "postgresql://borderwatch:borderwatch@127.0.0.1:55432/borderwatch_history_bench";
    private static final String PASSWORD = "history-bench-password";
    private static final Path RESULTS = Path.of("bench", "results");
    private static final List<String> SUMMARY = new ArrayList<>();

    private HistoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = 100_000_000L;
        boolean keep = false;
        boolean reuse = false;
        long migrationRows = 0;
        for (String arg : args) {
            if (arg.equals("--keep")) {
                keep = true;
            } else if (arg.equals("--reuse")) {
                reuse = true;
            } else if (arg.startsWith("--migration=")) {
                migrationRows = Long.parseLong(arg.substring("--migration=".length()));
            } else {
                rows = Long.parseLong(arg.replace("_", ""));
            }
        }
        String dbUrl = System.getenv().getOrDefault("BW_BENCH_HISTORY_DB_URL", DEFAULT_DB_URL);
        Files.createDirectories(RESULTS);
        Vertx vertx = Vertx.vertx();
        try {
            IngestBenchmark.createDatabaseIfMissing(vertx, dbUrl);
            Database database = Database.fromUrl(dbUrl);
            database.migrate();
            Pool pool = database.pool(vertx, 2);
            LocalDate firstDay = LocalDate.now(ZoneOffset.UTC).minusDays(DAYS);
            note("History benchmark, %s, %,d positions of %,d units over %d days from %s",
                    Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), rows, UNITS, DAYS, firstDay);
            load(pool, rows, firstDay, reuse);
            queries(vertx, pool, dbUrl, firstDay);
            ingest(pool);
            await(pool.close());
            if (migrationRows > 0) {
                migration(dbUrl, migrationRows);
            }
            Files.write(RESULTS.resolve("history-summary.txt"), SUMMARY);
        } finally {
            await(vertx.close());
            if (!keep) {
                dropDatabase(dbUrl);
            }
        }
    }

    private static void note(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println(line);
        SUMMARY.add(line);
    }

    // ---- load ----

    private static void load(Pool pool, long rows, LocalDate firstDay, boolean reuse) throws Exception {
        long present = await(pool.query("SELECT count(*) FROM positions").execute()).iterator().next().getLong(0);
        long generated = rows / DAYS / UNITS * UNITS * DAYS;
        if (reuse && present == generated) {
            note("reusing the %,d positions already loaded", present);
            return;
        }
        long started = System.nanoTime();
        await(pool.query("TRUNCATE positions").execute());
        await(pool.preparedQuery(HistoryBenchSql.UNITS).execute(Tuple.of(UNITS)));
        long perDay = rows / DAYS;
        long reports = perDay / UNITS;
        double step = 86_400.0 / reports;
        List<Future<?>> lanes = new ArrayList<>();
        // Two days at a time: the machine has two cores.
        for (int lane = 0; lane < 2; lane++) {
            int first = lane;
            lanes.add(pool.withConnection(conn -> {
                Future<?> chain = conn.query(HistoryBenchSql.BENCH_UNITS.formatted(UNITS)).execute()
                        .compose(v -> conn.query("SET maintenance_work_mem = '512MB'").execute());
                for (int d = first; d < DAYS; d += 2) {
                    LocalDate day = firstDay.plusDays(d);
                    chain = chain.compose(v -> loadDay(conn, day, reports, step));
                }
                return chain;
            }));
        }
        await(Future.all(lanes));
        await(pool.query("ANALYZE positions").execute());
        Row size = await(pool.query("SELECT count(*) AS n, pg_size_pretty(sum(pg_table_size(i.inhrelid))) AS heap, "
                + "pg_size_pretty(sum(pg_indexes_size(i.inhrelid))) AS indexes FROM pg_inherits i "
                + "WHERE i.inhparent = 'positions'::regclass").execute()).iterator().next();
        long loaded = await(pool.query("SELECT count(*) FROM positions").execute()).iterator().next().getLong(0);
        note("loaded %,d positions (%,d per unit and day, one every %.1f s) in %.0f s; %d partitions, %s of rows, "
                        + "%s of indexes", loaded, reports, step, (System.nanoTime() - started) / 1e9,
                size.getLong("n"), size.getString("heap"), size.getString("indexes"));
    }

    private static Future<?> loadDay(io.vertx.sqlclient.SqlConnection conn, LocalDate day, long reports,
                                     double step) {
        String name = "positions_p" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = from.plus(Duration.ofDays(1));
        long started = System.nanoTime();
        return conn.query("SELECT to_regclass('" + name + "') IS NOT NULL").execute()
                .compose(rows -> rows.iterator().next().getBoolean(0)
                        ? conn.query("DROP TABLE " + name).execute() : Future.succeededFuture())
                .compose(v -> conn.query(HistoryBenchSql.createDay(name)).execute())
                .compose(v -> conn.query(HistoryBenchSql.fillDay(name, from, reports, step)).execute())
                .compose(v -> conn.query(HistoryBenchSql.index(name)).execute())
                .compose(v -> conn.query(HistoryBenchSql.brin(name)).execute())
                .compose(v -> conn.query(HistoryBenchSql.attach(name, from, to)).execute())
                .compose(v -> conn.query("VACUUM (ANALYZE) " + name).execute())
                .onSuccess(v -> System.out.printf("  %s loaded in %.0f s%n", name,
                        (System.nanoTime() - started) / 1e9));
    }

    // ---- queries ----

    /** Milliseconds of each request in order: the first, the warm-up, the timed ones. */
    private record Timing(double[] ms, int warmUp, long bytes, Timing firstByte) {

        double firstMs() {
            return ms[0];
        }

        double[] warming() {
            return Arrays.copyOfRange(ms, 1, 1 + warmUp);
        }

        double[] timed() {
            double[] timed = Arrays.copyOfRange(ms, 1 + warmUp, ms.length);
            Arrays.sort(timed);
            return timed;
        }

        double medianMs() {
            double[] timed = timed();
            return timed[timed.length / 2];
        }

        double maxMs() {
            double[] timed = timed();
            return timed[timed.length - 1];
        }
    }

    private static void queries(Vertx vertx, Pool pool, String dbUrl, LocalDate firstDay) throws Exception {
        int port = freePort();
        // The node runs in a JVM of its own, as deployed, with a small heap: an answer it held in memory whole would
        // not fit, so a replay that completes is one that streamed.
        Path jar = Path.of(System.getenv().getOrDefault("BW_BENCH_JAR", "server/target/borderwatch.jar"));
        Path log = Files.createTempFile("bw-history-bench-node", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + NODE_HEAP_MB + "m", "-jar", jar.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("BW_DB_URL", dbUrl, "BW_HTTP_PORT", String.valueOf(port),
                "BW_ADMIN_PASSWORD", PASSWORD, "BW_MQTT_PORT", "0", "BW_OSMAND_PORT", "0", "BW_COT_PORT", "0",
                "BW_COT_TLS_PORT", "0", "BW_STALE_SECONDS", IngestBenchmark.SILENCE_OFF));
        Process node = builder.start();
        try {
            HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(port).setKeepAlive(true));
            awaitReady(http);
            measure(http, pool, node, firstDay);
            await(http.close());
        } finally {
            node.destroy();
            node.waitFor(20, TimeUnit.SECONDS);
            System.out.println("node log: " + log);
        }
    }

    private static void awaitReady(HttpClient http) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                await(http.request(HttpMethod.GET, "/health/ready").compose(r -> r.send())
                        .compose(r -> r.statusCode() == 200 ? r.body() : Future.failedFuture("not ready")));
                return;
            } catch (Exception e) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("the node did not become ready");
    }

    /** User and system CPU time of process {@code pid} so far, in ms (Linux, 100 clock ticks a second). */
    private static long cpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // After the command name in parentheses: state, then 10 fields, then utime and stime.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** The CPU time of every process named postgres on this machine (the cluster's backends and workers), in ms. */
    private static long postgresCpuMs() throws IOException {
        long total = 0;
        try (var entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    try {
                        if (Files.readString(entry.resolve("stat")).contains("(postgres)")) {
                            total += cpuMs(Long.parseLong(name));
                        }
                    } catch (IOException gone) {
                        // The process ended meanwhile.
                    }
                }
            }
        }
        return total;
    }

    /** The node's peak resident memory so far (VmHWM), in MB. */
    private static long peakRssMb(Process node) throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(node.pid()), "status")).stream()
                .filter(line -> line.startsWith("VmHWM:")).map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong).findFirst().orElse(0) / 1024;
    }

    private static void measure(HttpClient http, Pool pool, Process node, LocalDate firstDay) throws Exception {
        String token = login(http);
        LocalDate day = firstDay.plusDays(DAYS / 2);
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant dayEnd = dayStart.plus(Duration.ofDays(1)).minusMillis(1);
        Instant hour = dayStart.plus(Duration.ofHours(12));
        Instant hourEnd = hour.plus(Duration.ofHours(1)).minusMillis(1);
        String unit = "H-0042";
        // Unit 42's loop centre, and a 10 km by 10 km box around it.
        double lon = -107 + (42 % 50) * 0.04;
        double lat = 31 + (42 / 50) * 0.05;
        double halfLat = 5_000 / 111_320.0;
        double halfLon = 5_000 / (111_320.0 * Math.cos(Math.toRadians(lat)));
        JsonObject box = new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(new JsonArray()
                .add(new JsonArray().add(lon - halfLon).add(lat - halfLat))
                .add(new JsonArray().add(lon + halfLon).add(lat - halfLat))
                .add(new JsonArray().add(lon + halfLon).add(lat + halfLat))
                .add(new JsonArray().add(lon - halfLon).add(lat + halfLat))
                .add(new JsonArray().add(lon - halfLon).add(lat - halfLat))));

        String track = "/api/v1/history/tracks?unitIds=" + unit + "&from=" + dayStart + "&to=" + dayEnd;
        Timing t1 = time(http, HttpMethod.GET, track, token, null);
        JsonObject trackBody = new JsonObject(fetch(http, HttpMethod.GET, track, token, null));
        int vertices = trackBody.getJsonArray("features").getJsonObject(0).getJsonObject("geometry")
                .getJsonArray("coordinates").size();
        report("one-day track of one unit (GeoJSON, " + vertices + " vertices)", t1);

        JsonObject zone = new JsonObject().put("geometry", box).put("from", hour.toString())
                .put("to", hourEnd.toString());
        Timing t2 = time(http, HttpMethod.POST, "/api/v1/history/within", token, zone.encode());
        JsonArray inside = new JsonArray(fetch(http, HttpMethod.POST, "/api/v1/history/within", token,
                zone.encode()));
        long fixesInside = inside.stream().mapToLong(u -> ((JsonObject) u).getLong("fixes")).sum();
        report("one-hour zone query, 10 km x 10 km (" + inside.size() + " units, " + fixesInside + " fixes)", t2);
        // Not a target: what a long zone query costs without a spatial index on positions (see the ingest figures).
        JsonObject dayZone = zone.copy().put("from", dayStart.toString()).put("to", dayEnd.toString());
        report("one-day zone query, 10 km x 10 km (for scale)", time(http, HttpMethod.POST,
                "/api/v1/history/within", token, dayZone.encode(), 0, 2));

        String replay = "/api/v1/history/replay?from=" + hour + "&to=" + hourEnd;
        long rssBefore = peakRssMb(node);
        Timing t3 = time(http, HttpMethod.GET, replay, token, null);
        long lines = count(http, replay, token);
        report("one-hour replay, every unit, first byte (" + lines + " positions)", t3.firstByte());
        report("one-hour replay, every unit, whole (" + t3.bytes / 1024 / 1024 + " MB NDJSON)", t3);
        note("  node JVM: -Xmx%dm; peak resident memory %,d MB before the replays, %,d MB after %d of them",
                NODE_HEAP_MB, rssBefore, peakRssMb(node), 1 + WARM_UP + RUNS + 1);
        // Where a warm replay's time goes: the node streams while PostgreSQL sorts the next slice, on two cores.
        long nodeCpu = cpuMs(node.pid());
        long postgresCpu = postgresCpuMs();
        long started = System.nanoTime();
        for (int run = 0; run < RUNS; run++) {
            count(http, replay, token);
        }
        note("  a warm replay's CPU, mean of %d: node %,d ms, PostgreSQL %,d ms (every postgres process here), "
                        + "wall %,d ms", RUNS, (cpuMs(node.pid()) - nodeCpu) / RUNS,
                (postgresCpuMs() - postgresCpu) / RUNS, (System.nanoTime() - started) / 1_000_000 / RUNS);

        String gpx = track + "&format=gpx";
        report("one-day GPX export of one unit", time(http, HttpMethod.GET, gpx, token, null));

        explain(pool, "track", HistoryPlans.track(true), Tuple.of("root", new String[]{unit}, Times.utc(dayStart),
                Times.utc(dayEnd), 300.0));
        explain(pool, "zone", HistoryPlans.within(), Tuple.of("root", box.encode(), Times.utc(hour),
                Times.utc(hourEnd)));
        explain(pool, "replay", HistoryPlans.replay(), Tuple.of("root", Times.utc(hour),
                Times.utc(hour.plus(Duration.ofMinutes(5)))));
        explain(pool, "zone-day", HistoryPlans.within(), Tuple.of("root", box.encode(), Times.utc(dayStart),
                Times.utc(dayEnd)));
        explain(pool, "gpx", HistoryPlans.track(false), Tuple.of("root", new String[]{unit}, Times.utc(dayStart),
                Times.utc(dayEnd), 300.0));
    }

    private static void report(String what, Timing timing) {
        StringBuilder warming = new StringBuilder();
        for (double ms : timing.warming()) {
            warming.append(warming.length() == 0 ? "" : " ").append(Math.round(ms));
        }
        note("  %-62s first %5.0f ms, then %-24s median %5.0f ms, max %5.0f ms", what, timing.firstMs(),
                "[" + warming + "],", timing.medianMs(), timing.maxMs());
    }

    private static String login(HttpClient http) throws Exception {
        return new JsonObject(fetch(http, HttpMethod.POST, "/api/v1/login", null, new JsonObject()
                .put("username", "admin").put("password", PASSWORD).encode())).getString("token");
    }

    /** One request, whole body. */
    private static String fetch(HttpClient http, HttpMethod method, String uri, String token, String body)
            throws Exception {
        RequestOptions options = new RequestOptions().setMethod(method).setURI(uri);
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        return await(http.request(options).compose(request -> body == null ? request.send()
                        : request.putHeader("Content-Type", "application/json").send(body))
                .compose(HttpClientResponse::body)).toString();
    }

    /** The first request, {@link #WARM_UP} more, then {@link #RUNS} timed; bytes are counted, not kept. */
    private static Timing time(HttpClient http, HttpMethod method, String uri, String token, String body)
            throws Exception {
        return time(http, method, uri, token, body, WARM_UP, RUNS);
    }

    /** One first request, {@code warmUp} more, then {@code runs} timed ones. */
    private static Timing time(HttpClient http, HttpMethod method, String uri, String token, String body, int warmUp,
                               int runs) throws Exception {
        int all = 1 + warmUp + runs;
        double[] ms = new double[all];
        double[] firstBytes = new double[all];
        long bytes = 0;
        for (int run = 0; run < all; run++) {
            long[] firstChunk = {0};
            long[] count = {0};
            long started = System.nanoTime();
            RequestOptions options = new RequestOptions().setMethod(method).setURI(uri)
                    .putHeader("Authorization", "Bearer " + token);
            await(http.request(options).compose(request -> body == null ? request.send()
                    : request.putHeader("Content-Type", "application/json").send(body)).compose(response -> {
                        if (response.statusCode() != 200) {
                            return Future.failedFuture(method + " " + uri + " answered " + response.statusCode());
                        }
                        Promise<Void> done = Promise.promise();
                        response.handler(chunk -> {
                            if (firstChunk[0] == 0) {
                                firstChunk[0] = System.nanoTime();
                            }
                            count[0] += chunk.length();
                        });
                        response.endHandler(v -> done.complete());
                        response.exceptionHandler(done::tryFail);
                        return done.future();
                    }));
            ms[run] = (System.nanoTime() - started) / 1e6;
            firstBytes[run] = (firstChunk[0] - started) / 1e6;
            bytes = count[0];
        }
        return new Timing(ms, warmUp, bytes, new Timing(firstBytes, warmUp, 0, null));
    }

    /** Lines of a streamed answer, counted as they pass. */
    private static long count(HttpClient http, String uri, String token) throws Exception {
        long[] lines = {0};
        await(http.request(new RequestOptions().setURI(uri).putHeader("Authorization", "Bearer " + token))
                .compose(request -> request.send()).compose(response -> {
                    Promise<Void> done = Promise.promise();
                    response.handler(chunk -> {
                        for (int i = 0; i < chunk.length(); i++) {
                            if (chunk.getByte(i) == '\n') {
                                lines[0]++;
                            }
                        }
                    });
                    response.endHandler(v -> done.complete());
                    return done.future();
                }));
        return lines[0];
    }

    private static void explain(Pool pool, String name, String sql, Tuple params) throws Exception {
        StringBuilder plan = new StringBuilder("-- EXPLAIN (ANALYZE, BUFFERS) of the ").append(name)
                .append(" statement, params ").append(params.deepToString()).append("\n").append(sql).append("\n\n");
        // In a transaction set up as the node's history streams set theirs up.
        for (Row row : await(pool.withTransaction(conn -> conn.query(HistoryPlans.streamSettings()).execute()
                .compose(v -> conn.preparedQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql).execute(params))))) {
            plan.append(row.getString(0)).append('\n');
        }
        Files.writeString(RESULTS.resolve("history-plan-" + name + ".txt"), plan);
        String total = plan.toString().lines().filter(l -> l.startsWith("Execution Time")).findFirst().orElse("");
        note("  plan saved: bench/results/history-plan-%s.txt (%s)", name, total);
    }

    // ---- ingest ----

    /**
     * The server's batched write (5,000 fixes per statement, one writer, as the group commit) into a plain table and
     * into one partitioned by day, both with the primary key and the BRIN index of positions, both empty at the start
     * of each round; the fixes cross midnight, so the partitioned table routes into two partitions.
     */
    private static void ingest(Pool pool) throws Exception {
        int batch = 5_000;
        int batches = 200;
        int rounds = 3;
        Instant midnight = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        await(pool.query(HistoryBenchSql.INGEST_TABLES).execute());
        for (int d = -1; d <= 0; d++) {
            Instant from = midnight.plus(Duration.ofDays(d));
            String day = from.toString().substring(0, 10).replace("-", "");
            await(pool.query(HistoryBenchSql.ingestDay("ingest_parted", day, from, from.plus(Duration.ofDays(1))))
                    .execute());
            await(pool.query(HistoryBenchSql.ingestDay("ingest_gist", day, from, from.plus(Duration.ofDays(1))))
                    .execute());
        }
        Instant start = midnight.minusSeconds((long) batch * batches / UNITS / 2);
        List<Tuple> tuples = new ArrayList<>();
        BinaryWriter wkb = new BinaryWriter();
        for (int b = 0; b < batches; b++) {
            String[] ids = new String[batch];
            java.time.OffsetDateTime[] times = new java.time.OffsetDateTime[batch];
            Buffer[] geoms = new Buffer[batch];
            Double[] alt = new Double[batch];
            Double[] speed = new Double[batch];
            Double[] heading = new Double[batch];
            Double[] accuracy = new Double[batch];
            Double[] battery = new Double[batch];
            String[] attributes = new String[batch];
            for (int i = 0; i < batch; i++) {
                long n = (long) b * batch + i;
                int unit = (int) (n % UNITS);
                ids[i] = String.format("H-%04d", unit);
                times[i] = Times.utc(start.plusMillis(n / UNITS * 1000 + unit % 1000));
                Point point = new Point(-107 + unit % 50 * 0.04 + (n / UNITS) * 1e-5, 31 + unit / 50 * 0.05);
                point.setSrid(4326);
                geoms[i] = Buffer.buffer(wkb.writeBinary(point));
                alt[i] = 1200.0;
                speed[i] = 8.5;
                heading[i] = 90.0;
                accuracy[i] = 5.0;
                battery[i] = 80.0;
            }
            tuples.add(Tuple.tuple(List.of(ids, times, geoms, alt, speed, heading, accuracy, battery, attributes)));
        }
        List<String> tables = List.of("ingest_flat", "ingest_parted", "ingest_gist");
        Map<String, String> statements = new java.util.HashMap<>();
        tables.forEach(table -> statements.put(table, HistoryBenchSql.store(table)));
        List<Double> ratios = new ArrayList<>();
        List<Double> gistRatios = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            await(pool.query("TRUNCATE ingest_flat, ingest_parted, ingest_gist").execute());
            await(pool.query("CHECKPOINT").execute());
            // Batch by batch in turn, the first table changing each batch: the machine's other load, checkpoints
            // and autovacuum fall on all three alike, which a run per table in a row would not ensure.
            Map<String, Long> nanos = new java.util.HashMap<>();
            for (int b = 0; b < tuples.size(); b++) {
                for (int t = 0; t < tables.size(); t++) {
                    String table = tables.get((b + t) % tables.size());
                    Tuple tuple = tuples.get(b);
                    long started = System.nanoTime();
                    int stored = await(pool.withTransaction(conn -> conn.preparedQuery(statements.get(table))
                            .execute(tuple))).rowCount();
                    nanos.merge(table, System.nanoTime() - started, Long::sum);
                    if (stored != batch) {
                        throw new IllegalStateException(table + " stored " + stored + " of " + batch);
                    }
                }
            }
            double rows = (double) tuples.size() * batch;
            double flat = rows / (nanos.get("ingest_flat") / 1e9);
            double parted = rows / (nanos.get("ingest_parted") / 1e9);
            double gist = rows / (nanos.get("ingest_gist") / 1e9);
            ratios.add(parted / flat);
            gistRatios.add(gist / parted);
            note("  ingest round %d: plain %,.0f rows/s, partitioned %,.0f rows/s (ratio %.3f), partitioned with "
                    + "a GiST index on geom %,.0f rows/s (%.2f of partitioned)", round + 1, flat, parted,
                    parted / flat, gist, gist / parted);
        }
        ratios.sort(Double::compare);
        gistRatios.sort(Double::compare);
        note("  ingest, the server's batched write, %,d rows per statement, %,d rows per table and round, %d rounds: "
                        + "partitioned/plain median %.3f (min %.3f, max %.3f); with GiST/without, median %.3f",
                batch, batch * tuples.size(), rounds, ratios.get(ratios.size() / 2), ratios.get(0),
                ratios.get(ratios.size() - 1), gistRatios.get(gistRatios.size() / 2));
        await(pool.query("DROP TABLE ingest_flat, ingest_parted, ingest_gist").execute());
    }

    // ---- migration ----

    /**
     * Migrates a V007 positions table of {@code rows} rows to the partitioned one while a writer inserts a fix every
     * 5 ms, as a floor keeps reporting during an upgrade, and reports each step's time and the writer's longest wait.
     */
    private static void migration(String dbUrl, long rows) throws Exception {
        URI uri = URI.create(dbUrl);
        String name = uri.getPath().substring(1) + "_migration";
        String[] credentials = uri.getUserInfo().split(":", 2);
        String server = "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + "/";
        try (Connection admin = DriverManager.getConnection(server + "postgres", credentials[0], credentials[1])) {
            admin.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            admin.createStatement().execute("CREATE DATABASE " + name);
        }
        String jdbc = server + name;
        try {
            Flyway.configure().dataSource(jdbc, credentials[0], credentials[1]).locations("classpath:db/migration")
                    .target("7").load().migrate();
            long started = System.nanoTime();
            try (Connection conn = DriverManager.getConnection(jdbc, credentials[0], credentials[1])) {
                conn.createStatement().execute("INSERT INTO positions (unit_id, time, geom, speed) "
                        + "SELECT 'M-' || (i % 2000), now() - interval '1 hour' - make_interval(secs => i * 0.1), "
                        + "ST_SetSRID(ST_MakePoint(-106 + (i % 2000) * 0.001, 31), 4326), 5 "
                        + "FROM generate_series(1, " + rows + ") i");
            }
            note("migration: loaded a V007 table of %,d positions in %.0f s", rows,
                    (System.nanoTime() - started) / 1e9);
            AtomicLong longestWait = new AtomicLong();
            AtomicLong writes = new AtomicLong();
            Thread writer = new Thread(() -> {
                try (Connection conn = DriverManager.getConnection(jdbc, credentials[0], credentials[1]);
                     PreparedStatement insert = conn.prepareStatement("INSERT INTO positions (unit_id, time, geom) "
                             + "VALUES ('W-1', now(), ST_SetSRID(ST_MakePoint(-106, 31), 4326)) "
                             + "ON CONFLICT (unit_id, time) DO NOTHING")) {
                    while (!Thread.currentThread().isInterrupted()) {
                        long t = System.nanoTime();
                        insert.executeUpdate();
                        longestWait.accumulateAndGet(System.nanoTime() - t, Math::max);
                        writes.incrementAndGet();
                        Thread.sleep(5);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    System.out.println("  writer stopped: " + e.getMessage());
                }
            });
            writer.start();
            Thread.sleep(500);
            long migrating = System.nanoTime();
            Flyway flyway = Flyway.configure().dataSource(jdbc, credentials[0], credentials[1])
                    .locations("classpath:db/migration").load();
            flyway.migrate();
            double total = (System.nanoTime() - migrating) / 1e9;
            Thread.sleep(500);
            writer.interrupt();
            writer.join();
            for (var step : flyway.info().applied()) {
                if (step.getVersion().getVersion().compareTo("008") >= 0) {
                    note("  %s %-32s %,7d ms", step.getVersion(), step.getDescription(), step.getExecutionTime());
                }
            }
            note("  migrated in %.1f s; a writer inserting every 5 ms made %,d inserts meanwhile, the longest "
                    + "took %.0f ms", total, writes.get(), longestWait.get() / 1e6);
        } finally {
            try (Connection admin = DriverManager.getConnection(server + "postgres", credentials[0],
                    credentials[1])) {
                admin.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    // ---- plumbing ----

    private static void dropDatabase(String dbUrl) throws Exception {
        URI uri = URI.create(dbUrl);
        String[] credentials = uri.getUserInfo().split(":", 2);
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort()
                + "/postgres", credentials[0], credentials[1])) {
            admin.createStatement().execute("DROP DATABASE IF EXISTS " + uri.getPath().substring(1)
                    + " WITH (FORCE)");
        }
        System.out.println("dropped the benchmark database");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(2, TimeUnit.HOURS);
    }
}
