package org.borderwatch.bench;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node started from the server jar in its own JVM, as an operator starts it, so its resident memory is its own
 * and can be read from {@code /proc}. Its log goes to a temporary file, named when it fails to start.
 */
final class ServerProcess implements AutoCloseable {

    /** The heap bound {@code ./run.sh} gives the node, unless {@code BW_BENCH_JAVA_OPTS} says otherwise. */
    static final String DEFAULT_JAVA_OPTS = "-Xmx1g";

    private final Process process;
    private final Path log;
    final int port;

    private ServerProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the jar with the bench defaults (other doors off, silence alerts off) and {@code env} on top. */
    static ServerProcess start(Path jar, String dbUrl, Map<String, String> env) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getenv().getOrDefault("BW_BENCH_JAVA_OPTS", DEFAULT_JAVA_OPTS);
        for (String opt : opts.trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                command.add(opt);
            }
        }
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        Path log = Files.createTempFile("bw-bench-node", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> settings = new HashMap<>(Map.of("BW_DB_URL", dbUrl,
                "BW_HTTP_PORT", String.valueOf(port), "BW_ADMIN_PASSWORD", "bench-password",
                "BW_STALE_SECONDS", IngestBenchmark.SILENCE_OFF,
                "BW_MQTT_PORT", "0", "BW_OSMAND_PORT", "0", "BW_COT_PORT", "0", "BW_COT_TLS_PORT", "0"));
        settings.putAll(env);
        builder.environment().putAll(settings);
        ServerProcess server = new ServerProcess(builder.start(), log, port);
        server.awaitReady();
        return server;
    }

    long pid() {
        return process.pid();
    }

    /** Resident set size in bytes ({@code VmRSS} of {@code /proc/<pid>/status}); 0 where there is no /proc. */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** Seconds of CPU the process used so far (user + system, from {@code /proc/<pid>/stat}); 0 without /proc. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // utime, stime in USER_HZ
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private void awaitReady() throws Exception {
        Vertx vertx = Vertx.vertx();
        WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(port));
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the node exited at start; its log: " + log);
                }
                try {
                    if (IngestBenchmark.await(client.get("/health/ready").send()).statusCode() == 200) {
                        return;
                    }
                } catch (Exception notYet) {
                    // still starting
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("the node was not ready within 2 minutes; its log: " + log);
        } finally {
            client.close();
            vertx.close();
        }
    }

    /** Stops the node; its log is deleted unless it would not stop. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            System.err.println("the node did not stop within 20 s; its log: " + log);
        } else {
            Files.deleteIfExists(log);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
