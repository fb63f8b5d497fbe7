package org.borderwatch.alert;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /ws/alerts?since=}: a client that reconnects gets every alert it missed, then live ones, none twice. */
class AlertStreamIT {

    private static final int UNITS = 4;

    private TestNode node;
    private final Map<String, String> keys = new HashMap<>();
    private final Map<String, Integer> moves = new HashMap<>();
    private Instant t0;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
        node.createFence(Fixtures.square("Port zone"));
        for (int i = 0; i < UNITS; i++) {
            keys.put("PV-" + i, node.createUnit("PV-" + i, "vehicle"));
        }
        t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    /** Moves a unit into or out of the fence: from its second move on, each one raises an enter or exit alert. */
    private void cross(String unit) throws Exception {
        int n = moves.merge(unit, 1, Integer::sum);
        double lat = n % 2 == 1 ? 31.65 : 31.75;
        assertThat(node.post("/api/v1/positions", keys.get(unit), Fixtures.fix(unit, t0.plusSeconds(n).toString(),
                lat, -106.45)).statusCode()).isEqualTo(202);
    }

    private WebSocket open(String query, List<JsonObject> frames) throws Exception {
        return node.socket("/ws/alerts?access_token=" + node.adminToken() + query, text -> frames.add(new JsonObject(text)));
    }

    private static List<String> ids(List<JsonObject> frames) {
        return frames.stream().map(f -> f.getString("id")).toList();
    }

    @Test
    void aReconnectingClientMissesNoneAndSeesNoneTwiceWhileAlertsKeepComing() throws Exception {
        List<JsonObject> first = new CopyOnWriteArrayList<>();
        WebSocket socket = open("", first);
        for (int i = 0; i < UNITS; i++) {
            cross("PV-" + i); // outside: no alert yet
        }
        cross("PV-0");
        cross("PV-1");
        awaitSize(first, 2);
        TestNode.await(socket.close());
        String lastSeen = first.get(first.size() - 1).getString("id");

        // Missed while away.
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < UNITS; i++) {
                cross("PV-" + i);
            }
        }
        // And more raised while the client reconnects and catches up.
        CompletableFuture<Void> storm = CompletableFuture.runAsync(() -> {
            try {
                for (int round = 0; round < 10; round++) {
                    for (int i = 0; i < UNITS; i++) {
                        cross("PV-" + i);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<JsonObject> resumed = new CopyOnWriteArrayList<>();
        WebSocket again = open("&since=" + lastSeen, resumed);
        storm.get();
        long total = node.count("SELECT count(*) FROM alerts");
        awaitSize(resumed, (int) total - first.size());
        Thread.sleep(500);
        TestNode.await(again.close());

        List<String> expected = new ArrayList<>();
        for (Row row : node.sql("SELECT id::text FROM alerts ORDER BY detected_at, id")) {
            expected.add(row.getString(0));
        }
        List<String> seen = new ArrayList<>(ids(first));
        seen.addAll(ids(resumed));
        assertThat(total).isEqualTo(2 + 5 * UNITS + 10 * UNITS);
        assertThat(seen).as("every alert exactly once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected);
        List<String> backlog = ids(resumed).subList(0, 5 * UNITS);
        assertThat(backlog).as("the missed ones first, in the order detected")
                .containsExactlyElementsOf(expected.subList(2, 2 + 5 * UNITS));
    }

    @Test
    void sinceMustNameAnAlertTheUserMaySee() throws Exception {
        HttpResponse<Buffer> notAnId = node.get("/ws/alerts?since=yesterday", node.adminToken());
        HttpResponse<Buffer> unknown = node.get("/ws/alerts?since=00000000-0000-0000-0000-000000000001",
                node.adminToken());

        assertThat(notAnId.statusCode()).isEqualTo(400);
        assertThat(notAnId.bodyAsJsonObject().getString("field")).isEqualTo("since");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.bodyAsJsonObject().getString("field")).isEqualTo("since");
    }

    @Test
    void theBacklogHoldsOnlyWhatTheFiltersAndTheAgencyAllow() throws Exception {
        for (int i = 0; i < UNITS; i++) {
            cross("PV-" + i);
        }
        cross("PV-0"); // enter: the resume point
        String since = node.get("/api/v1/alerts?limit=1", node.adminToken()).bodyAsJsonArray().getJsonObject(0)
                .getString("id");
        cross("PV-0"); // exit
        cross("PV-1"); // enter
        cross("PV-1"); // exit
        cross("PV-2"); // enter
        node.awaitCount(5, "SELECT count(*) FROM alerts");
        List<JsonObject> exits = new CopyOnWriteArrayList<>();
        WebSocket socket = open("&types=exit&since=" + since, exits);
        awaitSize(exits, 2);
        Thread.sleep(300);
        TestNode.await(socket.close());

        assertThat(exits).hasSize(2).allMatch(a -> "exit".equals(a.getString("type")));
        assertThat(exits.stream().map(a -> a.getString("unitId"))).containsExactly("PV-0", "PV-1");
        JsonArray all = node.get("/api/v1/alerts", node.adminToken()).bodyAsJsonArray();
        assertThat(all).hasSize(5);
    }

    private static void awaitSize(List<JsonObject> frames, int size) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (frames.size() < size && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(frames).as("frames received").hasSizeGreaterThanOrEqualTo(size);
    }
}
