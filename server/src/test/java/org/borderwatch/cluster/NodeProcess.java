package org.borderwatch.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.borderwatch.TestNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A server node in its own JVM, started from the built jar exactly as {@code java -jar} would. */
final class NodeProcess {

    final String name;
    final int httpPort;
    final int clusterPort;
    private final Process process;
    final Path log;

    private NodeProcess(String name, int httpPort, int clusterPort, Process process, Path log) {
        this.name = name;
        this.httpPort = httpPort;
        this.clusterPort = clusterPort;
        this.process = process;
        this.log = log;
    }

    static NodeProcess start(String name, int httpPort, int clusterPort, List<Integer> members,
                             Map<String, String> env) throws Exception {
        Path jar = Path.of(System.getProperty("bw.jar", "target/borderwatch.jar"));
        Path log = Path.of("target", "cluster-logs", name + ".log");
        Files.createDirectories(log.getParent());
        List<String> memberList = new ArrayList<>();
        members.forEach(port -> memberList.add("127.0.0.1:" + port));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "BW_DB_URL", TestNode.DB_URL,
                "BW_HTTP_PORT", String.valueOf(httpPort),
                "BW_CLUSTER", "true",
                "BW_CLUSTER_PORT", String.valueOf(clusterPort),
                "BW_CLUSTER_MEMBERS", String.join(",", memberList),
                "BW_CLUSTER_NAME", "borderwatch-test-" + ProcessHandle.current().pid(),
                "BW_ADMIN_PASSWORD", TestNode.ADMIN_PASSWORD,
                "BW_MQTT_PORT", "0", "BW_OSMAND_PORT", "0", "BW_COT_PORT", "0"));
        builder.environment().put("BW_STALE_SECONDS", "31536000");
        builder.environment().putAll(env);
        return new NodeProcess(name, httpPort, clusterPort, builder.start(), log);
    }

    /** Waits until the node is ready and sees {@code members} members. */
    void awaitMembers(WebClient http, int members, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        String expected = "bw_cluster_members " + members;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited; log:\n" + Files.readString(log));
            }
            try {
                HttpResponse<Buffer> ready = TestNode.await(http.get(httpPort, "127.0.0.1", "/health/ready").send());
                HttpResponse<Buffer> metrics = TestNode.await(http.get(httpPort, "127.0.0.1", "/metrics").send());
                if (ready.statusCode() == 200 && metrics.bodyAsString().lines().anyMatch(expected::equals)) {
                    return;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " did not see " + members + " members in time; log:\n" + Files.readString(log));
    }

    /** SIGKILL: no shutdown hook, no goodbye to the cluster. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
