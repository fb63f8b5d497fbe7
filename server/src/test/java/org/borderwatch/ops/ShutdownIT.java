package org.borderwatch.ops;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.borderwatch.TestNode;
import org.borderwatch.db.Database;
import org.borderwatch.ingest.cot.TakClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API.md §8, SIGTERM: a node in its own JVM (the built jar, as {@code java -jar} runs it) takes positions from
 * several HTTP devices, an OsmAnd device and an MQTT device, with a map on {@code /ws/live}, a map that has stopped
 * reading, an alert console on {@code /ws/alerts} and a TAK client connected, and gets SIGTERM mid-stream
 * ({@link Process#destroy()}).
 *
 * <p>What counts: every request gets an answer, 2xx or 503; every position acknowledged (202, 200, PUBACK) is stored;
 * the sockets get a close frame (1001, going away); the JVM is gone within 10 s. Two outcomes are not answers and are
 * allowed, because the node never took the request: a refused connection (its listeners are closed), and a connection
 * closed before the node read the request (HTTP/1.1's keep-alive race: a request already on the wire as the node
 * closes an idle connection). The second is told apart from a request the node took and then dropped in two ways:
 * such a request stored nothing, and the node's own count of requests it read and could not answer, which it logs as
 * it stops, is 0.
 */
class ShutdownIT {

    private final List<WebSocketClient> webSocketClients = new CopyOnWriteArrayList<>();

    private static final int HTTP_DEVICES = 6;
    private static final int FIXES_PER_REQUEST = 10;
    private static final long EXIT_LIMIT_MS = 10_000;
    private static final Pattern SUMMARY = Pattern.compile("stopped in (\\d+) ms: (\\d+) requests answered while "
            + "draining, (\\d+) refused with 503, (\\d+) lost their connection before an answer");

    private final Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    /** Positions of requests whose connection closed before any answer came. */
    private final Set<String> unanswered = ConcurrentHashMap.newKeySet();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger answered503 = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger answeredAfterSigterm = new AtomicInteger();
    private final AtomicInteger unansweredRequests = new AtomicInteger();
    /** How the requests without an answer failed, for the report. */
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile long sigtermAt;
    private volatile boolean stopDevices;

    private final List<Process> processes = new ArrayList<>();
    private Vertx vertx;
    private WebClient http;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        TestNode.resetDatabase(vertx);
        http = WebClient.create(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        TestNode.await(vertx.close());
    }

    /** A node in its own JVM: its process, log and HTTP port. */
    private record Node(Process process, Path log, int httpPort) {
    }

    @Test
    void sigtermAnswersEveryRequestStoresEveryAcknowledgedFixClosesTheSocketsAndExitsWithinTenSeconds()
            throws Exception {
        int httpPort = TestNode.freePort();
        int osmandPort = TestNode.freePort();
        int mqttPort = TestNode.freePort();
        int cotPort = TestNode.freePort();
        Node node = startNode("node", Map.of("BW_HTTP_PORT", String.valueOf(httpPort), "BW_OSMAND_PORT",
                String.valueOf(osmandPort), "BW_MQTT_PORT", String.valueOf(mqttPort), "BW_COT_PORT",
                String.valueOf(cotPort)));
        awaitReady(node, 1);
        Process process = node.process();
        String admin = login(httpPort);
        List<String> keys = new ArrayList<>();
        for (int d = 0; d < HTTP_DEVICES; d++) {
            keys.add(createUnit(httpPort, admin, "UAV-" + d, "drone"));
        }
        String osmandKey = createUnit(httpPort, admin, "PV-OSM", "vehicle");
        String mqttKey = createUnit(httpPort, admin, "PV-MQTT", "vehicle");
        assertThat(TestNode.await(http.post(httpPort, "127.0.0.1", "/api/v1/users").bearerTokenAuthentication(admin)
                .sendJsonObject(new JsonObject().put("username", "floor-1").put("password", "watch-floor-password")
                        .put("role", "viewer"))).statusCode()).isEqualTo(201);

        Promise<Short> liveClosed = Promise.promise();
        Promise<Short> alertsClosed = Promise.promise();
        WebSocket live = socket(httpPort, "/ws/live?access_token=" + admin, liveClosed);
        WebSocket alerts = socket(httpPort, "/ws/alerts?access_token=" + admin, alertsClosed);
        StalledMap stalled = new StalledMap(httpPort, admin);
        TakClient tak = TakClient.connect(vertx, cotPort);
        tak.auth("floor-1", "watch-floor-password", "WINTAK-1");

        List<Future<Void>> devices = new ArrayList<>();
        for (int d = 0; d < HTTP_DEVICES; d++) {
            devices.add(httpDevice(httpPort, "UAV-" + d, keys.get(d)));
        }
        devices.add(osmandDevice(osmandPort, osmandKey));
        MqttDevice mqtt = new MqttDevice(mqttPort, mqttKey);
        mqtt.run();

        Thread.sleep(2_000);
        assertThat(acknowledged).as("positions acknowledged before SIGTERM").isNotEmpty();
        sigtermAt = System.nanoTime();
        process.destroy();
        boolean exited = process.waitFor(30, TimeUnit.SECONDS);
        long exitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigtermAt);
        Thread.sleep(300); // what the devices send now meets closed ports
        stopDevices = true;
        TestNode.await(Future.join(devices));

        String output = Files.readString(node.log());
        assertThat(exited).as("the node exited; log:\n%s", output).isTrue();
        System.out.printf("SIGTERM to exit: %d ms (exit code %d); requests sent %d, answered after SIGTERM %d, "
                        + "503 %d, refused connections %d, closed before an answer %d; positions acknowledged %d%n",
                exitMs, process.exitValue(), sent.get(), answeredAfterSigterm.get(), answered503.get(),
                refused.get(), unansweredRequests.get(), acknowledged.size());
        assertThat(exitMs).as("log:\n%s", output).isLessThan(EXIT_LIMIT_MS);
        assertThat(unexpected).as("answers other than 2xx and 503").isEmpty();
        assertThat(answeredAfterSigterm.get()).as("requests in flight at SIGTERM were answered").isPositive();

        Matcher summary = SUMMARY.matcher(output);
        assertThat(summary.find()).as("the node's shutdown summary; log:\n%s", output).isTrue();
        assertThat(Integer.parseInt(summary.group(4))).as("requests the node read and could not answer").isZero();

        Set<String> stored = stored();
        assertThat(acknowledged).as("every acknowledged position is stored").isSubsetOf(stored);
        assertThat(unanswered).as("a request closed without an answer was never taken, so nothing of it is stored")
                .doesNotContainAnyElementsOf(stored);
        assertThat(mqtt.acknowledged).as("MQTT positions acknowledged").isPositive();

        assertThat(TestNode.await(liveClosed.future().timeout(1, TimeUnit.SECONDS))).isEqualTo((short) 1001);
        assertThat(TestNode.await(alertsClosed.future().timeout(1, TimeUnit.SECONDS))).isEqualTo((short) 1001);
        assertThat(live.isClosed()).isTrue();
        assertThat(alerts.isClosed()).isTrue();
        assertThat(stalled.closeCode()).as("a map that never reads gets its close frame too").isEqualTo(1001);
        assertThat(tak.isClosed()).as("the TAK client's connection is closed").isTrue();
        assertThat(mqtt.closed.future().isComplete()).as("the MQTT connection is closed").isTrue();
    }

    /**
     * Two clustered nodes; devices post to B, which forwards the units A owns to A. A gets SIGTERM: the forwards A
     * took are committed and answered, A leaves the cluster, B takes A's units and its devices see 202 or 503, never
     * a lost answer, and every acknowledged position is stored.
     */
    @Test
    void aClusteredNodeAnswersWhatItTookLeavesTheClusterAndItsPeerTakesItsUnitsOver() throws Exception {
        List<Integer> clusterPorts = List.of(TestNode.freePort(), TestNode.freePort());
        String members = "127.0.0.1:" + clusterPorts.get(0) + ",127.0.0.1:" + clusterPorts.get(1);
        String name = "borderwatch-shutdown-" + ProcessHandle.current().pid();
        List<Node> cluster = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            cluster.add(startNode("member" + (i + 1), Map.of("BW_HTTP_PORT", String.valueOf(TestNode.freePort()),
                    "BW_CLUSTER", "true", "BW_CLUSTER_PORT", String.valueOf(clusterPorts.get(i)),
                    "BW_CLUSTER_MEMBERS", members, "BW_CLUSTER_NAME", name)));
        }
        for (Node member : cluster) {
            awaitReady(member, 2);
        }
        Node leaving = cluster.get(0);
        Node staying = cluster.get(1);
        String admin = login(staying.httpPort());
        List<Future<Void>> devices = new ArrayList<>();
        for (int d = 0; d < HTTP_DEVICES; d++) {
            String key = createUnit(staying.httpPort(), admin, "UAV-" + d, "drone");
            devices.add(httpDevice(staying.httpPort(), "UAV-" + d, key));
        }

        Thread.sleep(2_000);
        assertThat(acknowledged).as("positions acknowledged before SIGTERM").isNotEmpty();
        sigtermAt = System.nanoTime();
        leaving.process().destroy();
        long alone = -1;
        while (alone < 0 && System.nanoTime() - sigtermAt < 15_000_000_000L) {
            if (members(staying) == 1) {
                alone = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigtermAt);
            }
            Thread.sleep(50);
        }
        boolean exited = leaving.process().waitFor(15, TimeUnit.SECONDS);
        long exitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigtermAt);
        int acceptedAlone = acknowledged.size();
        Thread.sleep(1_000); // B owns every unit now and takes their positions itself
        stopDevices = true;
        TestNode.await(Future.join(devices));

        String output = Files.readString(leaving.log());
        System.out.printf("clustered SIGTERM: member gone after %d ms, peer alone after %d ms; requests to the peer "
                        + "%d, 503 %d, closed before an answer %d; positions acknowledged %d%n", exitMs, alone,
                sent.get(), answered503.get(), unansweredRequests.get(), acknowledged.size());
        assertThat(exited).as("the member exited; log:\n%s", output).isTrue();
        assertThat(exitMs).as("log:\n%s", output).isLessThan(EXIT_LIMIT_MS);
        assertThat(alone).as("the peer saw the member leave").isBetween(0L, EXIT_LIMIT_MS);
        assertThat(unexpected).as("answers other than 202 and 503").isEmpty();
        assertThat(unansweredRequests.get() + refused.get()).as("the peer answers every request: %s", failures)
                .isZero();
        assertThat(acknowledged.size()).as("the peer took the member's units over").isGreaterThan(acceptedAlone);
        Matcher summary = SUMMARY.matcher(output);
        assertThat(summary.find()).as("the member's shutdown summary; log:\n%s", output).isTrue();
        assertThat(Integer.parseInt(summary.group(4))).as("requests the member read and could not answer").isZero();
        assertThat(acknowledged).as("every acknowledged position is stored").isSubsetOf(stored());
    }

    private Node startNode(String name, Map<String, String> env) throws Exception {
        Path jar = Path.of(System.getProperty("bw.jar", "target/borderwatch.jar"));
        Path log = Path.of("target", "shutdown-logs", name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "BW_DB_URL", TestNode.DB_URL,
                "BW_ADMIN_PASSWORD", TestNode.ADMIN_PASSWORD,
                "BW_MQTT_PORT", "0",
                "BW_OSMAND_PORT", "0",
                "BW_COT_PORT", "0",
                "BW_COT_TLS_PORT", "0",
                "BW_STALE_SECONDS", "31536000"));
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return new Node(process, log, Integer.parseInt(env.get("BW_HTTP_PORT")));
    }

    /** Waits until the node is ready and sees {@code members} cluster members (1 when not clustered). */
    private void awaitReady(Node node, int members) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            if (!node.process().isAlive()) {
                throw new AssertionError("the node exited; log:\n" + Files.readString(node.log()));
            }
            try {
                if (TestNode.await(http.get(node.httpPort(), "127.0.0.1", "/health/ready").send()).statusCode() == 200
                        && members(node) == members) {
                    return;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the node was not ready within 90 s; log:\n" + Files.readString(node.log()));
    }

    private long members(Node node) throws Exception {
        String metrics = TestNode.await(http.get(node.httpPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
        return metrics.lines().filter(line -> line.startsWith("bw_cluster_members ")).mapToLong(line -> Long.parseLong(
                line.substring("bw_cluster_members ".length()))).findFirst().orElse(-1);
    }

    private String login(int httpPort) throws Exception {
        return TestNode.await(http.post(httpPort, "127.0.0.1", "/api/v1/login").sendJsonObject(new JsonObject()
                .put("username", "admin").put("password", TestNode.ADMIN_PASSWORD))).bodyAsJsonObject()
                .getString("token");
    }

    private String createUnit(int httpPort, String admin, String id, String type) throws Exception {
        HttpResponse<Buffer> created = TestNode.await(http.post(httpPort, "127.0.0.1", "/api/v1/units")
                .bearerTokenAuthentication(admin).sendJsonObject(new JsonObject().put("id", id).put("type", type)));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        return created.bodyAsJsonObject().getString("deviceKey");
    }

    private WebSocket socket(int httpPort, String uri, Promise<Short> closed) throws Exception {
        // Each client is held: one collected mid-handshake drops its connection.
        WebSocketClient client = vertx.createWebSocketClient();
        webSocketClients.add(client);
        return TestNode.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                .setPort(httpPort).setURI(uri)).onSuccess(ws -> ws.closeHandler(v -> closed.tryComplete(
                        ws.closeStatusCode()))));
    }

    /** A device on its own keep-alive connection, posting ten fixes a request, one request after the other. */
    private Future<Void> httpDevice(int httpPort, String unit, String key) {
        WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(httpPort).setKeepAlive(true));
        Promise<Void> done = Promise.promise();
        int[] seq = {0};
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (stopDevices) {
                done.complete();
                return;
            }
            JsonArray fixes = new JsonArray();
            List<String> positions = new ArrayList<>();
            for (int i = 0; i < FIXES_PER_REQUEST; i++) {
                Instant time = t0.plusMillis(seq[0]++);
                fixes.add(new JsonObject().put("unitId", unit).put("time", time.toString()).put("lat", 31.5)
                        .put("lon", -106.1));
                positions.add(unit + "@" + time);
            }
            sent.incrementAndGet();
            client.post("/api/v1/positions").bearerTokenAuthentication(key).timeout(20_000).sendJson(fixes)
                    .onComplete(ar -> {
                        long pause = outcome(positions, ar.succeeded() ? ar.result() : null, ar.cause(), 202);
                        if (pause < 0) {
                            done.complete();
                        } else {
                            vertx.setTimer(Math.max(1, pause), t -> next[0].run());
                        }
                    });
        };
        next[0].run();
        return done.future();
    }

    /** Traccar Client's query form, one fix a request. */
    private Future<Void> osmandDevice(int port, String key) {
        WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(port).setKeepAlive(true));
        Promise<Void> done = Promise.promise();
        int[] seq = {0};
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (stopDevices) {
                done.complete();
                return;
            }
            Instant time = t0.plusMillis(seq[0]++);
            sent.incrementAndGet();
            client.get("/?id=" + key + "&timestamp=" + time.toEpochMilli() + "&lat=31.6&lon=-106.2").timeout(20_000)
                    .send().onComplete(ar -> {
                        long pause = outcome(List.of("PV-OSM@" + time), ar.succeeded() ? ar.result() : null,
                                ar.cause(), 200);
                        if (pause < 0) {
                            done.complete();
                        } else {
                            vertx.setTimer(Math.max(1, pause), t -> next[0].run());
                        }
                    });
        };
        next[0].run();
        return done.future();
    }

    /** Records one request's outcome; returns how long the device waits before its next, or -1 to stop. */
    private long outcome(List<String> positions, HttpResponse<Buffer> response, Throwable failure, int success) {
        boolean afterSigterm = sigtermAt != 0;
        if (response != null) {
            if (afterSigterm) {
                answeredAfterSigterm.incrementAndGet();
            }
            if (response.statusCode() == success) {
                acknowledged.addAll(positions);
                return 0;
            }
            if (response.statusCode() == 503 && response.getHeader("Retry-After") != null) {
                answered503.incrementAndGet();
                return 50; // a real device waits Retry-After; the test only needs it not to spin
            }
            unexpected.add(response.statusCode() + " " + response.bodyAsString());
            return 0;
        }
        if (isRefused(failure)) {
            refused.incrementAndGet();
            if (!afterSigterm) {
                unexpected.add("refused before SIGTERM: " + failure);
            }
            return -1;
        }
        unansweredRequests.incrementAndGet();
        failures.add(String.valueOf(failure));
        unanswered.addAll(positions);
        if (!afterSigterm) {
            unexpected.add("no answer before SIGTERM: " + failure);
        }
        return 50;
    }

    private static boolean isRefused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private Set<String> stored() throws Exception {
        Pool db = Database.fromUrl(TestNode.DB_URL).pool(vertx, 1);
        try {
            Set<String> stored = new HashSet<>();
            for (Row row : TestNode.await(db.query("SELECT unit_id, time FROM positions").execute())) {
                stored.add(row.getString("unit_id") + "@" + row.getOffsetDateTime("time").toInstant());
            }
            return stored;
        } finally {
            TestNode.await(db.close());
        }
    }

    /**
     * A map that opens {@code /ws/live} and then reads nothing and never answers a close frame, as a browser tab on a
     * frozen machine: it must neither hold the node past its deadline nor miss its close frame.
     */
    private static final class StalledMap {

        private final Socket socket;
        private final DataInputStream in;

        StalledMap(int port, String token) throws Exception {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5_000);
            String key = Base64.getEncoder().encodeToString("shutdown-it-map!".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(("GET /ws/live?access_token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101");
        }

        /** Reads the frames the node sent (unmasked, as a server's are) up to its close frame; its status code. */
        int closeCode() throws Exception {
            try (socket) {
                while (true) {
                    int opcode = in.readUnsignedByte() & 0x0F;
                    long length = in.readUnsignedByte() & 0x7F;
                    if (length == 126) {
                        length = in.readUnsignedShort();
                    } else if (length == 127) {
                        length = in.readLong();
                    }
                    byte[] payload = in.readNBytes((int) length);
                    if (opcode == 0x8) {
                        return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
                    }
                }
            }
        }
    }

    /** A device publishing at QoS 1, one message at a time; a PUBACK acknowledges its position. */
    private final class MqttDevice {

        private final int port;
        private final String key;
        private final Promise<Void> closed = Promise.promise();
        private final Map<Integer, String> inFlight = new ConcurrentHashMap<>();
        private volatile int acknowledged;
        private MqttClient client;

        MqttDevice(int port, String key) {
            this.port = port;
            this.key = key;
        }

        void run() throws Exception {
            client = MqttClient.create(vertx, new MqttClientOptions().setUsername("PV-MQTT").setPassword(key)
                    .setClientId("pv-mqtt").setAutoKeepAlive(true));
            client.closeHandler(v -> closed.tryComplete());
            client.publishCompletionHandler(id -> {
                String position = inFlight.remove(id);
                if (position != null) {
                    ShutdownIT.this.acknowledged.add(position);
                    acknowledged++;
                }
                publish(acknowledged);
            });
            TestNode.await(client.connect(port, "127.0.0.1"));
            publish(0);
        }

        private void publish(int seq) {
            if (stopDevices || !client.isConnected()) {
                return;
            }
            Instant time = t0.plusMillis(seq);
            client.publish("units/PV-MQTT/position", new JsonObject().put("time", time.toString()).put("lat", 31.7)
                    .put("lon", -106.3).toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false)
                    .onSuccess(id -> inFlight.put(id, "PV-MQTT@" + time));
        }
    }
}
