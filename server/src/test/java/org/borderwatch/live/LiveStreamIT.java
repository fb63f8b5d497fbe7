package org.borderwatch.live;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.borderwatch.bus.Addresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.Fixtures.fix;
import static org.borderwatch.Fixtures.square;

/** {@code /ws/live} and {@code /ws/alerts} as a map and an alert subscriber see them. */
class LiveStreamIT {

    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private BlockingQueue<JsonObject> connect(String path) throws Exception {
        BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        open(node.vertx.createWebSocketClient(), path, frames);
        return frames;
    }

    private WebSocket open(WebSocketClient client, String path, BlockingQueue<JsonObject> frames) throws Exception {
        // The handler goes on in the connect callback, on the socket's event loop, so the snapshot is never missed.
        return TestNode.await(client.connect(new WebSocketConnectOptions()
                        .setHost("127.0.0.1").setPort(node.port).setURI(path))
                .onSuccess(socket -> socket.textMessageHandler(text -> frames.add(new JsonObject(text)))));
    }

    private static JsonObject next(BlockingQueue<JsonObject> frames, String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            JsonObject frame = frames.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && type.equals(frame.getString("type", type))) {
                return frame;
            }
        }
        throw new AssertionError("no '" + type + "' frame within 10 s");
    }

    @Test
    void aPositionPostedOverHttpReachesTheMapAfterTheSnapshot() throws Exception {
        String key = node.createUnit("UAV-07", "drone");
        node.post("/api/v1/positions", key, fix("UAV-07", "2026-11-25T10:00:00.000Z", 31.6, -106.2));
        BlockingQueue<JsonObject> frames = connect("/ws/live?access_token=" + node.adminToken());

        JsonObject snapshot = next(frames, "snapshot");
        assertThat(snapshot.getJsonArray("units")).hasSize(1);
        assertThat(snapshot.getJsonArray("units").getJsonObject(0).getDouble("lat")).isEqualTo(31.6);

        node.post("/api/v1/positions", key, fix("UAV-07", "2026-11-25T10:00:01.000Z", 31.61, -106.21)
                .put("speed", 22.5).put("heading", 270.0));
        JsonArray units = next(frames, "positions").getJsonArray("units");
        JsonObject unit = units.getJsonObject(0);
        assertThat(unit.getString("id")).isEqualTo("UAV-07");
        assertThat(unit.getString("type")).isEqualTo("drone");
        assertThat(unit.getDouble("lat")).isEqualTo(31.61);
        assertThat(unit.getDouble("lon")).isEqualTo(-106.21);
        assertThat(unit.getString("time")).isEqualTo("2026-11-25T10:00:01.000Z");
        assertThat(unit.getDouble("speed")).isEqualTo(22.5);
        assertThat(unit.getDouble("heading")).isEqualTo(270.0);
        assertThat(unit.getString("status")).isIn("live", "stale", "lost");
    }

    @Test
    void positionsAreCoalescedToTheLatestPerUnit() throws Exception {
        String key = node.createUnit("UAV-08", "drone");
        BlockingQueue<JsonObject> frames = connect("/ws/live?access_token=" + node.adminToken());
        next(frames, "snapshot");

        JsonArray burst = new JsonArray();
        for (int i = 0; i < 50; i++) {
            burst.add(fix("UAV-08", String.format("2026-11-25T10:00:%02d.000Z", i), 31.0 + i * 0.001, -106.0));
        }
        node.post("/api/v1/positions", key, burst);

        JsonArray units = next(frames, "positions").getJsonArray("units");
        assertThat(units).hasSize(1);
        assertThat(units.getJsonObject(0).getString("time")).isEqualTo("2026-11-25T10:00:49.000Z");
    }

    @Test
    void alertsReachTheMapAndFilteredAlertSubscribers() throws Exception {
        String key = node.createUnit("PV-01", "vehicle");
        node.post("/api/v1/geofences", node.adminToken(), square("Port zone"));
        BlockingQueue<JsonObject> map = connect("/ws/live?access_token=" + node.adminToken());
        BlockingQueue<JsonObject> exits = connect("/ws/alerts?types=exit&access_token=" + node.adminToken());
        next(map, "snapshot");

        node.post("/api/v1/positions", key, fix("PV-01", "2026-11-25T10:00:00.000Z", 31.75, -106.45));
        node.post("/api/v1/positions", key, fix("PV-01", "2026-11-25T10:00:10.000Z", 31.85, -106.45));

        JsonObject enter = next(map, "alert").getJsonObject("alert");
        assertThat(enter.getString("type")).isEqualTo("enter");
        assertThat(enter.getString("geofenceName")).isEqualTo("Port zone");
        JsonObject exit = exits.poll(10, TimeUnit.SECONDS);
        assertThat(exit).isNotNull();
        assertThat(exit.getString("type")).isEqualTo("exit");
        assertThat(exit.getString("unitId")).isEqualTo("PV-01");
        assertThat(exits.poll(300, TimeUnit.MILLISECONDS)).as("enter is filtered out").isNull();
    }

    @Test
    void aUnitFallingSilentTurnsStaleOnTheMapAndLiveWhenItReportsAgain() throws Exception {
        node.close();
        node = TestNode.fresh(Map.of("BW_STALE_SECONDS", "1"));
        String key = node.createUnit("FP-01", "foot");
        node.post("/api/v1/positions", key, fix("FP-01", Instant.now().toString(), 31.6, -106.4));
        BlockingQueue<JsonObject> frames = connect("/ws/live?access_token=" + node.adminToken());
        next(frames, "snapshot");

        JsonObject stale = next(frames, "status");
        node.post("/api/v1/positions", key, fix("FP-01", Instant.now().toString(), 31.61, -106.4));
        JsonObject live = next(frames, "status");

        assertThat(stale.getString("unitId")).isEqualTo("FP-01");
        assertThat(stale.getString("status")).isEqualTo("stale");
        assertThat(live.getString("status")).isEqualTo("live");
        assertThat(node.get("/api/v1/alerts?type=stale&unitId=FP-01", node.adminToken()).bodyAsJsonArray())
                .hasSize(1);
    }

    @Test
    void aBadBboxIsAnsweredWithAnErrorAndTheSocketStaysUsable() throws Exception {
        BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        WebSocket socket = open(node.vertx.createWebSocketClient(), "/ws/live?access_token=" + node.adminToken(),
                frames);
        next(frames, "snapshot");

        for (String bbox : new String[] {"[-107,null,-106,32]", "[-107,\"31\",-106,32]", "[-107,31,-106]", "7"}) {
            socket.writeTextMessage("{\"type\":\"subscribe\",\"bbox\":" + bbox + "}");
            JsonObject error = next(frames, "error");
            assertThat(error.getString("field")).as(bbox).isEqualTo("bbox");
            assertThat(error.getString("error")).as(bbox).isNotBlank();
        }
        socket.writeTextMessage("{\"type\":\"subscribe\",\"bbox\":[-107,31,-106,32]}");
        assertThat(next(frames, "snapshot").getJsonArray("units")).isEmpty();
    }

    @Test
    void aUnitLeavingTheBoxIsSentOnceMoreOutsideItSoTheMapDoesNotDrawItFrozenAtTheEdge() throws Exception {
        String key = node.createUnit("PV-02", "vehicle");
        node.post("/api/v1/positions", key, fix("PV-02", "2026-11-25T10:00:00.000Z", 31.5, -106.5));
        BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        WebSocket socket = open(node.vertx.createWebSocketClient(), "/ws/live?access_token=" + node.adminToken(),
                frames);
        next(frames, "snapshot");
        socket.writeTextMessage("{\"type\":\"subscribe\",\"bbox\":[-107,31,-106,32]}");
        assertThat(next(frames, "snapshot").getJsonArray("units")).hasSize(1);

        node.post("/api/v1/positions", key, fix("PV-02", "2026-11-25T10:00:01.000Z", 32.5, -106.5));
        JsonObject left = next(frames, "positions").getJsonArray("units").getJsonObject(0);
        node.post("/api/v1/positions", key, fix("PV-02", "2026-11-25T10:00:02.000Z", 32.6, -106.5));
        JsonObject quiet = frames.poll(500, TimeUnit.MILLISECONDS);
        node.post("/api/v1/positions", key, fix("PV-02", "2026-11-25T10:00:03.000Z", 31.6, -106.5));
        JsonObject back = next(frames, "positions").getJsonArray("units").getJsonObject(0);

        assertThat(left.getDouble("lat")).as("sent once outside the box").isEqualTo(32.5);
        assertThat(quiet).as("nothing more while it stays outside").isNull();
        assertThat(back.getDouble("lat")).as("sent again once back inside").isEqualTo(31.6);
    }

    @Test
    void anUnknownAlertTypeNamesTheTypesParameter() throws Exception {
        HttpResponse<Buffer> response = node.get("/ws/alerts?types=enter,explode", node.adminToken());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo("types");
    }

    @Test
    void aSocketThatStopsReadingIsClosedInsteadOfBufferingWithoutBound() throws Exception {
        String token = node.adminToken();
        // A small receive buffer so the server's write queue fills after a few megabytes rather than tens.
        WebSocketClient client = node.vertx.createWebSocketClient(new WebSocketClientOptions()
                .setReceiveBufferSize(8192));
        List<WebSocket> sockets = new ArrayList<>();
        List<CompletableFuture<Short>> closed = new ArrayList<>();
        for (String path : new String[] {"/ws/live", "/ws/alerts"}) {
            CompletableFuture<Short> code = new CompletableFuture<>();
            closed.add(code);
            sockets.add(TestNode.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                            .setPort(node.port).setURI(path + "?access_token=" + token))
                    .onSuccess(socket -> {
                        socket.pause();
                        socket.closeHandler(v -> code.complete(socket.closeStatusCode()));
                    })));
        }

        JsonObject alert = new JsonObject().put("id", "flood").put("type", "enter").put("unitId", "PV-01")
                .put("padding", "x".repeat(16_000));
        for (int i = 0; i < 1000; i++) {
            node.vertx.eventBus().publish(Addresses.ALERTS, alert);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!node.get("/metrics", token).bodyAsString().contains("bw_ws_slow_closed_total 2")) {
            assertThat(System.nanoTime()).as("both slow sockets closed within 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        // The clients read on: what was already sent, then the close frame.
        sockets.forEach(WebSocket::resume);
        assertThat(closed.get(0).get(30, TimeUnit.SECONDS)).isEqualTo((short) 1013);
        assertThat(closed.get(1).get(30, TimeUnit.SECONDS)).isEqualTo((short) 1013);
        assertThat(next(connect("/ws/live?access_token=" + token), "snapshot")).isNotNull();
    }

    @Test
    void aSocketWithoutAValidTokenIsRefused() throws Exception {
        var attempt = node.vertx.createWebSocketClient().connect(new WebSocketConnectOptions()
                .setHost("127.0.0.1").setPort(node.port).setURI("/ws/live?access_token=nonsense"));
        assertThat(attempt.toCompletionStage().toCompletableFuture()
                .handle((ws, error) -> error).get(10, TimeUnit.SECONDS)).isNotNull();
    }
}
