package org.borderwatch.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Row;
import org.borderwatch.DbRelay;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API.md §8: while the database is unreachable, routes that need it answer 503 with Retry-After, never 500, maps are
 * told (API.md §7's health frame), and everything recovers by itself. The node reaches PostgreSQL through a TCP relay
 * this test cuts, so the shared database never stops.
 */
class DatabaseDownIT {

    private Vertx relayVertx;
    private DbRelay relay;
    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        relayVertx = Vertx.vertx();
        relay = DbRelay.open(relayVertx);
        node = TestNode.fresh(Map.of("BW_DB_URL", relay.url(), "BW_WEBHOOK_ALLOW_PRIVATE", "true"));
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
        TestNode.await(relayVertx.close());
    }

    @Test
    void everyRouteThatNeedsTheDatabaseAnswers503WithRetryAfterWhileItIsUnreachableAndRecoversAfter()
            throws Exception {
        String admin = node.adminToken();
        String key = node.createUnit("UAV-07", "drone");
        String fence = node.createFence(Fixtures.square("El Paso POE"));
        Instant t = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        assertThat(node.post("/api/v1/positions", key, new JsonArray()
                .add(Fixtures.fix("UAV-07", t.toString(), 31.65, -106.45))
                .add(Fixtures.fix("UAV-07", t.plusSeconds(1).toString(), 31.75, -106.45))).statusCode())
                .isEqualTo(202);
        String alert = node.sql("SELECT id::text FROM alerts WHERE unit_id = 'UAV-07'").iterator().next()
                .getString(0);
        String webhook = node.post("/api/v1/webhooks", admin, new JsonObject().put("url", "http://127.0.0.1:9/")
                .put("secret", "s3cret-key")).bodyAsJsonObject().getString("id");
        assertThat(node.post("/api/v1/agencies", admin, new JsonObject().put("id", "state-police")
                .put("name", "State Police")).statusCode()).isEqualTo(201);
        String share = node.post("/api/v1/shares", admin, new JsonObject().put("from", "root")
                .put("to", "state-police")).bodyAsJsonObject().getString("id");
        node.createUser("watch-1", "watch-floor-password", "viewer");
        assertThat(node.get("/api/v1/units", admin).statusCode()).isEqualTo(200);

        relay.cut();

        String from = t.minusSeconds(60).toString();
        String to = t.plusSeconds(60).toString();
        JsonObject fix = Fixtures.fix("UAV-07", t.plusSeconds(2).toString(), 31.7, -106.4);
        Map<String, Request> routes = new LinkedHashMap<>();
        routes.put("login", new Request(HttpMethod.POST, "/api/v1/login", null, new JsonObject()
                .put("username", "admin").put("password", TestNode.ADMIN_PASSWORD)));
        routes.put("list units", new Request(HttpMethod.GET, "/api/v1/units", admin, null));
        routes.put("create unit", new Request(HttpMethod.POST, "/api/v1/units", admin, new JsonObject()
                .put("id", "PV-02").put("type", "vehicle")));
        routes.put("track", new Request(HttpMethod.GET, "/api/v1/units/UAV-07/track?from=" + from + "&to=" + to,
                admin, null));
        routes.put("rotate key", new Request(HttpMethod.POST, "/api/v1/units/UAV-07/key", admin, null));
        String hours = "from=" + t.minusSeconds(3600) + "&to=" + t.plusSeconds(3600);
        routes.put("history tracks", new Request(HttpMethod.GET, "/api/v1/history/tracks?unitIds=UAV-07&" + hours,
                admin, null));
        routes.put("history export", new Request(HttpMethod.GET, "/api/v1/history/tracks?unitIds=UAV-07&format=gpx&"
                + hours, admin, null));
        // 24 slices, read on two connections by turns: both fail to open.
        routes.put("history replay", new Request(HttpMethod.GET, "/api/v1/history/replay?" + hours, admin, null));
        routes.put("history trips", new Request(HttpMethod.GET, "/api/v1/history/trips?unitId=UAV-07&" + hours,
                admin, null));
        routes.put("positions", new Request(HttpMethod.POST, "/api/v1/positions", key, fix));
        routes.put("list geofences", new Request(HttpMethod.GET, "/api/v1/geofences", admin, null));
        routes.put("get geofence", new Request(HttpMethod.GET, "/api/v1/geofences/" + fence, admin, null));
        routes.put("create geofence", new Request(HttpMethod.POST, "/api/v1/geofences", admin,
                Fixtures.square("Gate 2")));
        routes.put("update geofence", new Request(HttpMethod.PUT, "/api/v1/geofences/" + fence, admin,
                Fixtures.square("El Paso POE, north")));
        routes.put("delete geofence", new Request(HttpMethod.DELETE, "/api/v1/geofences/" + fence, admin, null));
        routes.put("alerts", new Request(HttpMethod.GET, "/api/v1/alerts", admin, null));
        routes.put("ack", new Request(HttpMethod.POST, "/api/v1/alerts/" + alert + "/ack", admin,
                new JsonObject().put("comment", "seen")));
        routes.put("list users", new Request(HttpMethod.GET, "/api/v1/users", admin, null));
        routes.put("create user", new Request(HttpMethod.POST, "/api/v1/users", admin, new JsonObject()
                .put("username", "watch-2").put("password", "watch-floor-password").put("role", "viewer")));
        routes.put("update user", new Request(HttpMethod.PATCH, "/api/v1/users/watch-1", admin, new JsonObject()
                .put("role", "operator")));
        routes.put("list webhooks", new Request(HttpMethod.GET, "/api/v1/webhooks", admin, null));
        routes.put("create webhook", new Request(HttpMethod.POST, "/api/v1/webhooks", admin, new JsonObject()
                .put("url", "http://127.0.0.1:9/other").put("secret", "s3cret-key")));
        routes.put("deliveries", new Request(HttpMethod.GET, "/api/v1/webhooks/" + webhook + "/deliveries", admin,
                null));
        routes.put("delete webhook", new Request(HttpMethod.DELETE, "/api/v1/webhooks/" + webhook, admin, null));
        routes.put("list agencies", new Request(HttpMethod.GET, "/api/v1/agencies", admin, null));
        routes.put("create agency", new Request(HttpMethod.POST, "/api/v1/agencies", admin, new JsonObject()
                .put("id", "navy").put("name", "Navy")));
        routes.put("list shares", new Request(HttpMethod.GET, "/api/v1/shares", admin, null));
        routes.put("create share", new Request(HttpMethod.POST, "/api/v1/shares", admin, new JsonObject()
                .put("from", "state-police").put("to", "root")));
        routes.put("delete share", new Request(HttpMethod.DELETE, "/api/v1/shares/" + share, admin, null));
        routes.put("audit", new Request(HttpMethod.GET, "/api/v1/audit", admin, null));
        routes.put("alert socket resume", new Request(HttpMethod.GET, "/ws/alerts?since=" + alert
                + "&access_token=" + admin, null, null));

        for (int round = 0; round < 2; round++) {
            // The first round meets pooled connections closing under it, the second fresh connects refused.
            for (Map.Entry<String, Request> route : routes.entrySet()) {
                assertUnavailable(route.getKey(), route.getValue().send(node));
            }
        }
        HttpResponse<Buffer> ready = node.get("/health/ready", admin);
        assertThat(ready.statusCode()).isEqualTo(503);
        // API.md §8: the failing part is named, its address is not.
        assertThat(ready.bodyAsJsonObject().getString("reason")).isEqualTo("database unreachable");
        URI db = URI.create(TestNode.DB_URL);
        assertThat(ready.bodyAsString()).doesNotContain(String.valueOf(relay.port())).doesNotContain("127.0.0.1")
                .doesNotContain(db.getHost());

        relay.open();

        HttpResponse<Buffer> units = node.get("/api/v1/units", admin);
        for (int i = 0; i < 50 && units.statusCode() != 200; i++) {
            Thread.sleep(100);
            units = node.get("/api/v1/units", admin);
        }
        assertThat(units.statusCode()).isEqualTo(200);
        assertThat(node.post("/api/v1/units", admin, new JsonObject().put("id", "PV-02").put("type", "vehicle"))
                .statusCode()).isEqualTo(201);
        assertThat(node.post("/api/v1/positions", key, fix).statusCode()).isEqualTo(202);
        // The history pool's connections broke under it too: a replay on two of them works again.
        HttpResponse<Buffer> replay = routes.get("history replay").send(node);
        assertThat(replay.statusCode()).as(replay.bodyAsString()).isEqualTo(200);
        assertThat(replay.bodyAsString()).contains("\"unitId\":\"UAV-07\"");
    }

    @Test
    void aReplayCutShortByTheDatabaseEndsBrokenAndGivesItsConnectionsBack() throws Exception {
        String admin = node.adminToken();
        node.createUnit("UAV-07", "drone");
        Instant start = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        node.storeEverySecond("UAV-07", start, 80_000);
        String uri = "/api/v1/history/replay?from=" + start + "&to=" + start.plusSeconds(80_000);
        io.vertx.core.http.HttpClient client = node.vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                .setDefaultHost("127.0.0.1").setDefaultPort(node.port));
        AtomicInteger bytes = new AtomicInteger();
        Promise<Void> firstChunk = Promise.promise();
        Promise<String> ended = Promise.promise();
        io.vertx.core.http.HttpClientResponse response = TestNode.await(client.request(
                        new io.vertx.core.http.RequestOptions().setURI(uri).putHeader("Authorization", "Bearer " + admin))
                .compose(request -> request.send()));
        assertThat(response.statusCode()).isEqualTo(200);
        response.handler(chunk -> {
            bytes.addAndGet(chunk.length());
            if (firstChunk.tryComplete()) {
                // A slow client: the stream stops reading the database until it catches up.
                response.pause();
            }
        });
        response.exceptionHandler(e -> ended.tryComplete("broken: " + e.getMessage()));
        response.endHandler(v -> ended.tryComplete("complete"));
        TestNode.await(firstChunk.future());

        relay.cut();
        Thread.sleep(300);
        response.resume();
        assertThat(TestNode.await(ended.future())).as("a replay the database cut short must not look complete")
                .startsWith("broken");
        assertThat(bytes.get()).isLessThan(80_000 * 60);

        relay.open();
        // Its connections went back: more replays than the history pool has connections all complete.
        for (int i = 0; i < 6; i++) {
            HttpResponse<Buffer> again = node.get("/api/v1/history/replay?from=" + start + "&to="
                    + start.plusSeconds(900), admin);
            for (int retry = 0; retry < 50 && again.statusCode() != 200; retry++) {
                Thread.sleep(100);
                again = node.get("/api/v1/history/replay?from=" + start + "&to=" + start.plusSeconds(900), admin);
            }
            assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
            assertThat(again.bodyAsString().split("\n")).hasSize(900);
        }
        TestNode.await(client.close());
    }

    @Test
    void ingestDuringAnOutageGets503ThenRecoversEvery202IsStoredAndMapsAreToldDownThenUp() throws Exception {
        String admin = node.adminToken();
        List<String> keys = new ArrayList<>();
        for (int d = 0; d < 4; d++) {
            keys.add(node.createUnit("UAV-" + d, "drone"));
        }
        List<JsonObject> frames = new CopyOnWriteArrayList<>();
        Promise<Void> mapClosed = Promise.promise();
        WebSocket map = live(admin, frames);
        map.closeHandler(v -> mapClosed.tryComplete());

        Ingest ingest = new Ingest(keys);
        List<Future<Void>> devices = new ArrayList<>();
        for (int d = 0; d < keys.size(); d++) {
            devices.add(ingest.device(d));
        }
        Thread.sleep(1_000);
        relay.cut();
        int acceptedBeforeCut = ingest.accepted.get();
        awaitHealth(frames, "down");
        Thread.sleep(1_500);
        int acceptedAtReopen = ingest.accepted.get();
        long reopened = System.nanoTime();
        relay.open();
        while (ingest.accepted.get() == acceptedAtReopen && System.nanoTime() - reopened < 10_000_000_000L) {
            Thread.sleep(5);
        }
        long recoveryMs = (System.nanoTime() - reopened) / 1_000_000;
        awaitHealth(frames, "up");
        long deadline = System.currentTimeMillis() + 10_000;
        while (ingest.accepted.get() < acceptedAtReopen + 20 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        ingest.stop = true;
        TestNode.await(Future.join(devices));

        System.out.printf("outage: %d requests answered 202 before the cut, %d answered 503 with Retry-After, "
                        + "%d 202 in all, the first %d ms after the database came back; health frames %s%n",
                acceptedBeforeCut, ingest.unavailable.get(), ingest.accepted.get(), recoveryMs, health(frames));
        assertThat(ingest.unexpected).as("answers other than 202 and 503 + Retry-After").isEmpty();
        assertThat(ingest.unavailable.get()).as("requests answered 503 during the outage").isPositive();
        assertThat(ingest.accepted.get()).as("ingest recovered after the outage").isGreaterThanOrEqualTo(
                acceptedAtReopen + 20);
        Set<String> stored = new HashSet<>();
        for (Row row : node.sql("SELECT unit_id, time FROM positions")) {
            stored.add(row.getString("unit_id") + "@" + row.getOffsetDateTime("time").toInstant());
        }
        assertThat(ingest.acknowledged).as("every position answered 202 is stored").isSubsetOf(stored);
        assertThat(health(frames)).as("the map is told the database went down, then that it is back")
                .containsExactly("down", "up");
        JsonObject down = frames.stream().filter(f -> "health".equals(f.getString("type"))).findFirst()
                .orElseThrow();
        assertThat(down.fieldNames()).containsExactlyInAnyOrder("type", "database", "since");
        assertThat(Instant.parse(down.getString("since"))).isBefore(Instant.now());
        assertThat(mapClosed.future().isComplete()).as("the map's socket stays open through the outage").isFalse();
        TestNode.await(map.close());
    }

    @Test
    void aMapThatConnectsWhileTheDatabaseIsDownIsToldAtOnce() throws Exception {
        String admin = node.adminToken();
        List<JsonObject> early = new CopyOnWriteArrayList<>();
        WebSocket watching = live(admin, early);
        relay.cut();
        awaitHealth(early, "down");

        List<JsonObject> frames = new CopyOnWriteArrayList<>();
        WebSocket map = live(admin, frames);
        awaitHealth(frames, "down");
        assertThat(frames.get(0).getString("type")).isEqualTo("snapshot");
        relay.open();
        awaitHealth(frames, "up");
        TestNode.await(map.close());
        TestNode.await(watching.close());
    }

    /** A map on /ws/live whose frames go to {@code frames}, from the first (the handler is set as it opens). */
    private WebSocket live(String token, List<JsonObject> frames) throws Exception {
        return node.socket("/ws/live?access_token=" + token, text -> frames.add(new JsonObject(text)));
    }

    private static List<String> health(List<JsonObject> frames) {
        return frames.stream().filter(f -> "health".equals(f.getString("type")))
                .map(f -> f.getString("database")).toList();
    }

    private static void awaitHealth(List<JsonObject> frames, String state) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!health(frames).contains(state)) {
            assertThat(System.currentTimeMillis()).as("a health frame saying %s within 10 s; frames %s", state,
                    frames).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void assertUnavailable(String route, HttpResponse<Buffer> response) {
        assertThat(response.statusCode()).as("%s: %s", route, response.bodyAsString()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).as(route).isNotBlank();
        assertThat(response.bodyAsJsonObject().getString("error")).as(route).isNotBlank();
    }

    private record Request(HttpMethod method, String uri, String token, JsonObject body) {

        HttpResponse<Buffer> send(TestNode node) throws Exception {
            var request = node.http.request(method, uri);
            if (token != null) {
                request.bearerTokenAuthentication(token);
            }
            return TestNode.await(body == null ? request.send() : request.sendJsonObject(body));
        }
    }

    /** Devices posting five fixes a request, one request after another, each on its own connection. */
    private final class Ingest {

        private final List<String> keys;
        private final Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger unavailable = new AtomicInteger();
        volatile boolean stop;

        Ingest(List<String> keys) {
            this.keys = keys;
        }

        Future<Void> device(int d) {
            WebClient client = WebClient.create(node.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(node.port));
            Promise<Void> done = Promise.promise();
            int[] seq = {0};
            Runnable[] next = new Runnable[1];
            next[0] = () -> {
                if (stop) {
                    done.complete();
                    return;
                }
                JsonArray fixes = new JsonArray();
                List<String> positions = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    Instant time = t0.plusMillis(seq[0]++);
                    fixes.add(Fixtures.fix("UAV-" + d, time.toString(), 31.5, -106.1));
                    positions.add("UAV-" + d + "@" + time);
                }
                client.post("/api/v1/positions").bearerTokenAuthentication(keys.get(d)).timeout(20_000)
                        .sendJson(fixes).onComplete(ar -> {
                            long pause = 0;
                            if (ar.failed()) {
                                unexpected.add("no answer: " + ar.cause());
                            } else if (ar.result().statusCode() == 202) {
                                acknowledged.addAll(positions);
                                accepted.incrementAndGet();
                            } else if (ar.result().statusCode() == 503
                                    && ar.result().getHeader("Retry-After") != null) {
                                unavailable.incrementAndGet();
                                pause = 50; // a real device waits Retry-After; the test only needs it not to spin
                            } else {
                                unexpected.add(ar.result().statusCode() + " " + ar.result().bodyAsString());
                            }
                            node.vertx.setTimer(Math.max(1, pause), t -> next[0].run());
                        });
            };
            next[0].run();
            return done.future();
        }
    }
}
