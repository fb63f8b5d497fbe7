package org.borderwatch.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.borderwatch.TestNode;
import org.borderwatch.Times;
import org.borderwatch.db.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.Fixtures.fix;
import static org.borderwatch.Fixtures.square;

/**
 * Three server JVMs with real Hazelcast on 127.0.0.1 and one PostGIS. Devices post round-robin to all three; then one
 * node is killed with SIGKILL mid-stream, and later comes back and takes its share of the units back. Every
 * acknowledged position must be stored, every node's map must see the positions, and every crossing must give exactly
 * one alert.
 */
class ClusterIT {

    private static final int UNITS = 18;
    private static final int FIXES_PER_PHASE = 12;

    private final List<NodeProcess> nodes = new ArrayList<>();
    private Vertx vertx;
    private WebClient http;
    private Pool db;
    private final Instant t0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void startCluster() throws Exception {
        vertx = Vertx.vertx();
        http = WebClient.create(vertx);
        db = Database.fromUrl(TestNode.DB_URL).pool(vertx, 2);
        TestNode.resetDatabase(vertx);
        List<Integer> clusterPorts = List.of(TestNode.freePort(), TestNode.freePort(), TestNode.freePort());
        for (int i = 0; i < 3; i++) {
            nodes.add(NodeProcess.start("node" + (i + 1), TestNode.freePort(), clusterPorts.get(i), clusterPorts,
                    Map.of()));
        }
        for (NodeProcess node : nodes) {
            node.awaitMembers(http, 3, 120_000);
        }
    }

    @AfterEach
    void stopCluster() throws Exception {
        for (NodeProcess node : nodes) {
            node.stop();
        }
        TestNode.await(vertx.close());
    }

    @Test
    void everyAcknowledgedPositionIsStoredAndEveryCrossingAlertsOnceThroughAKill() throws Exception {
        String admin = login(nodes.get(0));
        String[] keys = new String[UNITS];
        for (int u = 0; u < UNITS; u++) {
            HttpResponse<Buffer> created = post(nodes.get(u % 3), admin, "/api/v1/units",
                    new JsonObject().put("id", unit(u)).put("type", "vehicle"));
            assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
            keys[u] = created.bodyAsJsonObject().getString("deviceKey");
        }
        assertThat(post(nodes.get(1), admin, "/api/v1/geofences", square("Port zone")).statusCode()).isEqualTo(201);
        List<Set<String>> seen = new ArrayList<>();
        for (NodeProcess node : nodes) {
            seen.add(watch(node, admin));
        }
        Thread.sleep(1_000); // a geofence change is in force on every node within 1 s

        drive(keys, 0, null);

        for (int u = 0; u < UNITS; u++) {
            assertThat(alerts(unit(u))).as(unit(u)).isEqualTo(crossings(FIXES_PER_PHASE));
        }
        Set<String> phaseOne = Set.copyOf(acknowledged);
        for (int i = 0; i < 3; i++) {
            awaitContains(seen.get(i), phaseOne, "node" + (i + 1) + "'s /ws/live");
        }

        drive(keys, FIXES_PER_PHASE, nodes.get(2));

        assertThat(nodes.get(2).alive()).isFalse();
        assertThat(acknowledged).hasSize(UNITS * FIXES_PER_PHASE * 2);
        for (String position : acknowledged) {
            String[] parts = position.split("@");
            assertThat(TestNode.await(countPosition(parts[0], parts[1]))).as(position).isEqualTo(1L);
        }
        for (int u = 0; u < UNITS; u++) {
            assertThat(alerts(unit(u))).as(unit(u)).isEqualTo(crossings(2 * FIXES_PER_PHASE));
        }
        String lastTime = t0.plusSeconds(2 * FIXES_PER_PHASE - 1).toString();
        for (int i = 0; i < 2; i++) {
            Set<String> last = new HashSet<>();
            for (int u = 0; u < UNITS; u++) {
                last.add(unit(u) + "@" + lastTime);
            }
            awaitContains(seen.get(i), last, "surviving node" + (i + 1) + "'s /ws/live");
        }

        // The killed member comes back (a new JVM on the same ports) and takes its share of the units back.
        NodeProcess victim = nodes.get(2);
        NodeProcess back = NodeProcess.start("node3-rejoined", victim.httpPort, victim.clusterPort,
                List.of(nodes.get(0).clusterPort, nodes.get(1).clusterPort, victim.clusterPort), Map.of());
        nodes.set(2, back);
        for (NodeProcess node : nodes) {
            node.awaitMembers(http, 3, 120_000);
        }
        long owned = ownedUnits(back);
        assertThat(owned).as("units owned by the rejoined node").isBetween(1L, (long) UNITS - 1);

        drive(keys, 2 * FIXES_PER_PHASE, null);

        for (int u = 0; u < UNITS; u++) {
            assertThat(alerts(unit(u))).as(unit(u)).isEqualTo(crossings(3 * FIXES_PER_PHASE));
        }
        assertThat(TestNode.await(db.query("SELECT count(*) FROM positions").execute()).iterator().next()
                .getLong(0)).isEqualTo((long) UNITS * FIXES_PER_PHASE * 3);
    }

    /** enter, exit, enter, … : one per crossing of the first {@code fixes} fixes (inside for 2-3, 6-7, …). */
    private static List<String> crossings(int fixes) {
        List<String> expected = new ArrayList<>();
        for (int k = 2; k < fixes; k += 2) {
            expected.add((k / 2) % 2 == 1 ? "enter" : "exit");
        }
        return expected;
    }

    private long ownedUnits(NodeProcess node) throws Exception {
        String metrics = TestNode.await(http.get(node.httpPort, "127.0.0.1", "/metrics").send()).bodyAsString();
        return metrics.lines().filter(line -> line.startsWith("bw_units_owned ")).findFirst()
                .map(line -> Long.parseLong(line.substring("bw_units_owned ".length()))).orElseThrow();
    }

    private io.vertx.core.Future<Long> countPosition(String unit, String time) {
        return db.preparedQuery("SELECT count(*) FROM positions WHERE unit_id = $1 AND time = $2::timestamptz")
                .execute(Tuple.of(unit, Times.utc(Instant.parse(time)))).map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Each unit, in parallel with the others, posts its next {@link #FIXES_PER_PHASE} fixes in order, each to the
     * next node round-robin, retrying on the next live node until it gets a 202, like a device would. The unit is
     * inside the fence for fixes 2-3, 6-7, 10-11, … so it crosses every second fix. {@code victim} is killed once
     * every unit is a third of the way through.
     */
    private void drive(String[] keys, int from, NodeProcess victim) throws Exception {
        ExecutorService devices = Executors.newFixedThreadPool(UNITS);
        try {
            CountDownLatch third = new CountDownLatch(UNITS);
            List<Future<?>> runs = new ArrayList<>();
            for (int u = 0; u < UNITS; u++) {
                int unit = u;
                runs.add(devices.submit(() -> {
                    for (int k = from; k < from + FIXES_PER_PHASE; k++) {
                        double lat = (k / 2) % 2 == 1 ? 31.75 : 31.65;
                        JsonObject position = fix(unit(unit), t0.plusSeconds(k).toString(), lat,
                                -106.49 + unit * 0.004);
                        deliver(keys[unit], position, unit + k);
                        if (k == from + FIXES_PER_PHASE / 3) {
                            third.countDown();
                        }
                        Thread.sleep(300);
                    }
                    return null;
                }));
            }
            if (victim != null) {
                third.await();
                victim.kill();
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            devices.shutdownNow();
        }
    }

    private void deliver(String key, JsonObject position, int start) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        for (int attempt = 0; System.currentTimeMillis() < deadline; attempt++) {
            NodeProcess node = nodes.get((start + attempt) % nodes.size());
            if (!node.alive()) {
                continue;
            }
            try {
                if (post(node, key, "/api/v1/positions", position).statusCode() == 202) {
                    acknowledged.add(position.getString("unitId") + "@" + position.getString("time"));
                    return;
                }
            } catch (Exception unreachable) {
                // a dead or overloaded node: try the next one, as a device would
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no node acknowledged " + position.encode());
    }

    private Set<String> watch(NodeProcess node, String token) throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        TestNode.await(vertx.createWebSocketClient().connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                        .setPort(node.httpPort).setURI("/ws/live?access_token=" + token))
                .onSuccess(socket -> socket.textMessageHandler(text -> {
                    JsonObject frame = new JsonObject(text);
                    JsonArray units = frame.getJsonArray("units");
                    if (units != null) {
                        units.forEach(u -> seen.add(((JsonObject) u).getString("id") + "@"
                                + Instant.parse(((JsonObject) u).getString("time"))));
                    }
                })));
        return seen;
    }

    private static void awaitContains(Set<String> seen, Set<String> expected, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!seen.containsAll(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(seen);
        assertThat(missing).as("positions missing on " + what).isEmpty();
    }

    private List<String> alerts(String unit) throws Exception {
        List<String> types = new ArrayList<>();
        TestNode.await(db.preparedQuery("SELECT type FROM alerts WHERE unit_id = $1 ORDER BY time")
                .execute(Tuple.of(unit))).forEach(row -> types.add(row.getString("type")));
        return types;
    }

    private String login(NodeProcess node) throws Exception {
        HttpResponse<Buffer> response = TestNode.await(http.post(node.httpPort, "127.0.0.1", "/api/v1/login")
                .sendJsonObject(new JsonObject().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD)));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.bodyAsJsonObject().getString("token");
    }

    private HttpResponse<Buffer> post(NodeProcess node, String token, String path, JsonObject body) throws Exception {
        return TestNode.await(http.post(node.httpPort, "127.0.0.1", path).bearerTokenAuthentication(token)
                .sendJsonObject(body));
    }

    private static String unit(int u) {
        return String.format("PV-%02d", u);
    }
}
