package org.borderwatch.history;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history endpoints (API.md §11) against a real node and PostGIS: tracks split at silences and simplified in
 * metres, who was inside a zone, replay in time order, trips and stops; each as another agency sees it (§9) and with
 * bad input answered 400 naming the field.
 */
class HistoryApiIT {

    /** Eleven days before these tests were written: fixes land in the default partition or an old day's. */
    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    static final String PASSWORD = "state-watch-floor-pass";

    private TestNode node;
    private String admin;
    private String state;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
        admin = node.adminToken();
        setUpFloor(node);
        state = node.login("state-watch", PASSWORD);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    /**
     * Root's drone UAV-07 flies east in two legs twenty minutes apart (60 then 30 fixes, every 10 s, with a metre of
     * jitter); root's patrol PV-01 drives 190 s, stands 390 s, drives 190 s; the state agency's SP-1 waits in the
     * zone of {@link #zone()}. Nothing is shared.
     */
    static void setUpFloor(TestNode node) throws Exception {
        String admin = node.adminToken();
        assertThat(node.post("/api/v1/agencies", admin, new JsonObject().put("id", "state").put("name", "State"))
                .statusCode()).isEqualTo(201);
        node.createUnit("UAV-07", "drone");
        node.createUnit("PV-01", "vehicle");
        assertThat(node.post("/api/v1/units", admin, new JsonObject().put("id", "SP-1").put("type", "vehicle")
                .put("agency", "state")).statusCode()).isEqualTo(201);
        assertThat(node.post("/api/v1/users", admin, new JsonObject().put("username", "state-watch")
                .put("password", PASSWORD).put("role", "viewer").put("agency", "state")).statusCode())
                .isEqualTo(201);

        JsonArray fixes = new JsonArray();
        for (int i = 0; i < 60; i++) {
            fixes.add(fix("UAV-07", T0.plusSeconds(10L * i), 31.70 + (i % 2 == 0 ? 0 : 0.00001), droneLon(i))
                    .put("alt", 120.5).put("speed", 4.7));
        }
        for (int i = 0; i < 30; i++) {
            fixes.add(fix("UAV-07", T0.plusSeconds(1800 + 10L * i), 31.72, -106.50 + 0.0005 * i));
        }
        for (int i = 0; i < 80; i++) {
            boolean standing = i >= 20 && i < 60;
            int step = i < 20 ? i : standing ? 19 : 19 + (i - 59);
            fixes.add(fix("PV-01", T0.plusSeconds(10L * i), 31.60, -106.40 + 0.001 * step)
                    .put("speed", standing ? 0.0 : 9.5));
        }
        for (int i = 0; i < 5; i++) {
            fixes.add(fix("SP-1", T0.plusSeconds(100 + 10L * i), 31.705, -106.485));
        }
        HttpResponse<Buffer> posted = node.post("/api/v1/positions", admin, fixes);
        assertThat(posted.statusCode()).as(posted.bodyAsString()).isEqualTo(202);
    }

    static double droneLon(int i) {
        return -106.50 + 0.0005 * i;
    }

    static JsonObject fix(String unit, Instant time, double lat, double lon) {
        return new JsonObject().put("unitId", unit).put("time", time.toString()).put("lat", lat).put("lon", lon);
    }

    /** A box holding the drone's fixes 20 to 39 of its first leg and all of SP-1's, none of PV-01's. */
    static JsonObject zone() {
        JsonArray ring = new JsonArray()
                .add(new JsonArray().add(-106.49025).add(31.69))
                .add(new JsonArray().add(-106.48025).add(31.69))
                .add(new JsonArray().add(-106.48025).add(31.71))
                .add(new JsonArray().add(-106.49025).add(31.71))
                .add(new JsonArray().add(-106.49025).add(31.69));
        return new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(ring));
    }

    static String window(int fromSeconds, int toSeconds) {
        return "from=" + T0.plusSeconds(fromSeconds) + "&to=" + T0.plusSeconds(toSeconds);
    }

    private JsonObject tracks(String query, String token) throws Exception {
        HttpResponse<Buffer> response = node.get("/api/v1/history/tracks?" + query, token);
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    private void badRequest(String field, HttpResponse<Buffer> response) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
        assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo(field);
    }

    @Test
    void aTrackIsSplitWhereTheUnitFellSilentAndEveryVertexHasItsTime() throws Exception {
        JsonObject collection = tracks("unitIds=UAV-07,PV-01&" + window(0, 3600), admin);

        JsonArray features = collection.getJsonArray("features");
        assertThat(features).hasSize(2);
        JsonObject patrol = features.getJsonObject(0);
        assertThat(patrol.getString("id")).isEqualTo("PV-01");
        assertThat(patrol.getJsonObject("geometry").getString("type")).isEqualTo("LineString");
        assertThat(patrol.getJsonObject("geometry").getJsonArray("coordinates")).hasSize(80);
        assertThat(patrol.getJsonObject("properties").getJsonArray("times")).hasSize(80);
        assertThat(patrol.getJsonObject("properties").getString("type")).isEqualTo("vehicle");

        JsonObject drone = features.getJsonObject(1);
        JsonObject geometry = drone.getJsonObject("geometry");
        assertThat(geometry.getString("type")).isEqualTo("MultiLineString");
        JsonArray lines = geometry.getJsonArray("coordinates");
        JsonArray times = drone.getJsonObject("properties").getJsonArray("times");
        assertThat(lines).hasSize(2);
        assertThat(lines.getJsonArray(0)).hasSize(60);
        assertThat(lines.getJsonArray(1)).hasSize(30);
        assertThat(times.getJsonArray(0)).hasSize(60);
        assertThat(times.getJsonArray(1)).hasSize(30);
        // Longitude first, and each time belongs to its vertex.
        assertThat(lines.getJsonArray(0).getJsonArray(7).getDouble(0)).isCloseTo(droneLon(7),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(lines.getJsonArray(0).getJsonArray(7).getDouble(1)).isCloseTo(31.70001,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(times.getJsonArray(0).getString(7)).isEqualTo("2026-11-20T08:01:10.000Z");
        assertThat(times.getJsonArray(1).getString(0)).isEqualTo("2026-11-20T08:30:00.000Z");
    }

    @Test
    void simplificationIsInMetresAndKeepsTheTimesOfTheFixesItKeeps() throws Exception {
        JsonObject coarse = tracks("unitIds=UAV-07&simplify=20&" + window(0, 599), admin)
                .getJsonArray("features").getJsonObject(0);
        // A straight leg with a metre of jitter is two vertices at 20 m: its first and last fix.
        assertThat(coarse.getJsonObject("geometry").getString("type")).isEqualTo("LineString");
        assertThat(coarse.getJsonObject("geometry").getJsonArray("coordinates")).hasSize(2);
        assertThat(coarse.getJsonObject("properties").getJsonArray("times").getList())
                .containsExactly("2026-11-20T08:00:00.000Z", "2026-11-20T08:09:50.000Z");
        assertThat(coarse.getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(1).getDouble(0))
                .isCloseTo(droneLon(59), org.assertj.core.data.Offset.offset(1e-9));

        JsonObject fine = tracks("unitIds=UAV-07&simplify=0.5&" + window(0, 599), admin)
                .getJsonArray("features").getJsonObject(0);
        // Half a metre is finer than the jitter (about 1.1 m): the zigzag stays.
        assertThat(fine.getJsonObject("geometry").getJsonArray("coordinates").size()).isGreaterThan(30);
    }

    @Test
    void aUnitWithoutFixesIsAnsweredAndAnotherAgencysUnitIsNotFound() throws Exception {
        JsonObject empty = tracks("unitIds=UAV-07&from=2026-10-01T00:00:00Z&to=2026-10-02T00:00:00Z", admin)
                .getJsonArray("features").getJsonObject(0);
        assertThat(empty.getString("id")).isEqualTo("UAV-07");
        assertThat(empty.getValue("geometry")).isNull();
        assertThat(empty.getJsonObject("properties").getJsonArray("times")).isEmpty();

        assertThat(node.get("/api/v1/history/tracks?unitIds=UAV-07&" + window(0, 600), state).statusCode())
                .isEqualTo(404);
        assertThat(node.get("/api/v1/history/tracks?unitIds=SP-1,UAV-07&" + window(0, 600), state).statusCode())
                .isEqualTo(404);
        assertThat(node.get("/api/v1/history/tracks?unitIds=NOBODY&" + window(0, 600), admin).statusCode())
                .isEqualTo(404);
        JsonObject own = tracks("unitIds=SP-1&" + window(0, 600), state).getJsonArray("features").getJsonObject(0);
        assertThat(own.getJsonObject("geometry").getJsonArray("coordinates")).hasSize(5);
        // Root sees every agency's units.
        assertThat(tracks("unitIds=SP-1&" + window(0, 600), admin).getJsonArray("features")).hasSize(1);
    }

    @Test
    void badInputIsA400NamingTheField() throws Exception {
        String tracks = "/api/v1/history/tracks?unitIds=UAV-07&";
        badRequest("from", node.get(tracks + "to=" + T0, admin));
        badRequest("to", node.get(tracks + "from=" + T0, admin));
        badRequest("from", node.get(tracks + "from=yesterday&to=" + T0, admin));
        badRequest("from", node.get(tracks + window(600, 0), admin));
        badRequest("to", node.get(tracks + "from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:01Z", admin));
        badRequest("simplify", node.get(tracks + window(0, 60) + "&simplify=-1", admin));
        badRequest("simplify", node.get(tracks + window(0, 60) + "&simplify=far", admin));
        badRequest("format", node.get(tracks + window(0, 60) + "&format=shp", admin));
        badRequest("unitIds", node.get("/api/v1/history/tracks?" + window(0, 60), admin));
        badRequest("unitIds", node.get("/api/v1/history/tracks?unitIds=UAV-07,,PV-01&" + window(0, 60), admin));
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= HistoryApi.MAX_UNITS; i++) {
            many.add("U" + i);
        }
        badRequest("unitIds", node.get("/api/v1/history/tracks?unitIds=" + String.join(",", many) + "&"
                + window(0, 60), admin));
        // Exactly the longest window is fine.
        assertThat(node.get(tracks + "from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z", admin).statusCode())
                .isEqualTo(200);

        badRequest("bbox", node.get("/api/v1/history/replay?" + window(0, 60) + "&bbox=1,2,3", admin));
        badRequest("bbox", node.get("/api/v1/history/replay?" + window(0, 60) + "&bbox=-107,32,-106,31", admin));
        badRequest("bbox", node.get("/api/v1/history/replay?" + window(0, 60) + "&bbox=-107,31,-106,95", admin));
        badRequest("to", node.get("/api/v1/history/replay?from=" + T0, admin));
        badRequest("unitId", node.get("/api/v1/history/trips?" + window(0, 60), admin));
        badRequest("stopSpeed", node.get("/api/v1/history/stops?unitId=PV-01&stopSpeed=fast&" + window(0, 60),
                admin));
        badRequest("stopSeconds", node.get("/api/v1/history/stops?unitId=PV-01&stopSeconds=0&" + window(0, 60),
                admin));
        badRequest("from", node.get("/api/v1/history/trips?unitId=PV-01&to=" + T0, admin));
    }

    @Test
    void aZoneQueryTellsWhoWasInsideAsTheViewerMaySee() throws Exception {
        JsonObject query = new JsonObject().put("geometry", zone()).put("from", T0.toString())
                .put("to", T0.plusSeconds(3600).toString());
        HttpResponse<Buffer> answer = node.post("/api/v1/history/within", admin, query);
        assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
        assertThat(answer.bodyAsJsonArray()).containsExactly(
                new JsonObject().put("unitId", "SP-1").put("first", "2026-11-20T08:01:40.000Z")
                        .put("last", "2026-11-20T08:02:20.000Z").put("fixes", 5),
                new JsonObject().put("unitId", "UAV-07").put("first", "2026-11-20T08:03:20.000Z")
                        .put("last", "2026-11-20T08:06:30.000Z").put("fixes", 20));

        // The state agency sees its own unit only: root's drone is not even mentioned.
        assertThat(node.post("/api/v1/history/within", state, query).bodyAsJsonArray())
                .extracting(unit -> ((JsonObject) unit).getString("unitId")).containsExactly("SP-1");
        // The window bounds the answer.
        assertThat(node.post("/api/v1/history/within", admin, query.copy().put("to", T0.plusSeconds(90)
                .toString())).bodyAsJsonArray()).isEmpty();
    }

    @Test
    void aZoneThatIsNotAValidPolygonIsA400() throws Exception {
        JsonObject query = new JsonObject().put("from", T0.toString()).put("to", T0.plusSeconds(60).toString());
        badRequest("geometry", node.post("/api/v1/history/within", admin, query));
        badRequest("geometry", node.post("/api/v1/history/within", admin, query.copy().put("geometry",
                new JsonObject().put("type", "Point").put("coordinates", new JsonArray().add(-106).add(31)))));
        JsonArray bowTie = new JsonArray()
                .add(new JsonArray().add(-106.5).add(31.7)).add(new JsonArray().add(-106.4).add(31.8))
                .add(new JsonArray().add(-106.4).add(31.7)).add(new JsonArray().add(-106.5).add(31.8))
                .add(new JsonArray().add(-106.5).add(31.7));
        HttpResponse<Buffer> invalid = node.post("/api/v1/history/within", admin, query.copy().put("geometry",
                new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(bowTie))));
        badRequest("geometry", invalid);
        assertThat(invalid.bodyAsJsonObject().getString("error")).contains("Self-intersection");
        badRequest("geometry", node.post("/api/v1/history/within", admin, query.copy().put("geometry",
                new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(new JsonArray()
                        .add(new JsonArray().add("a").add(1)))))));
        badRequest("to", node.post("/api/v1/history/within", admin, zoneQuery().put("to", 5)));
        badRequest("body", node.post("/api/v1/history/within", admin, "not json"));
    }

    private static JsonObject zoneQuery() {
        return new JsonObject().put("geometry", zone()).put("from", T0.toString())
                .put("to", T0.plusSeconds(3600).toString());
    }

    @Test
    void replayIsEveryVisibleFixInTimeOrder() throws Exception {
        HttpResponse<Buffer> all = node.get("/api/v1/history/replay?" + window(0, 3600), admin);
        assertThat(all.statusCode()).as(all.bodyAsString()).isEqualTo(200);
        assertThat(all.getHeader("Content-Type")).isEqualTo("application/x-ndjson");
        List<JsonObject> lines = ndjson(all);
        assertThat(lines).hasSize(60 + 30 + 80 + 5);
        for (int i = 1; i < lines.size(); i++) {
            assertThat(lines.get(i).getString("time")).isGreaterThanOrEqualTo(lines.get(i - 1).getString("time"));
        }
        JsonObject first = lines.get(0);
        assertThat(first.getString("time")).isEqualTo("2026-11-20T08:00:00.000Z");
        // Shaped as positions are posted; what a fix did not report is absent.
        assertThat(lines.stream().filter(l -> l.getString("unitId").equals("UAV-07")).findFirst().orElseThrow()
                .fieldNames()).containsExactlyInAnyOrder("unitId", "time", "lat", "lon", "alt", "speed");
        // Numbers as they were posted, the shortest decimal that reads back as the stored double: 31.7, not
        // 31.699999999999999 or 31.70; whole numbers without ".0".
        assertThat(all.bodyAsString())
                .contains("{\"unitId\":\"UAV-07\",\"time\":\"2026-11-20T08:00:00.000Z\",\"lat\":31.7,"
                        + "\"lon\":-106.5,\"alt\":120.5,\"speed\":4.7}\n")
                .contains("{\"unitId\":\"UAV-07\",\"time\":\"2026-11-20T08:00:10.000Z\",\"lat\":31.70001,"
                        + "\"lon\":-106.4995,\"alt\":120.5,\"speed\":4.7}\n")
                .contains("{\"unitId\":\"PV-01\",\"time\":\"2026-11-20T08:03:20.000Z\",\"lat\":31.6,"
                        + "\"lon\":-106.381,\"speed\":0}\n");

        List<JsonObject> boxed = ndjson(node.get("/api/v1/history/replay?" + window(0, 3600)
                + "&bbox=-106.49025,31.69,-106.48025,31.71", admin));
        assertThat(boxed).hasSize(25);
        List<JsonObject> theirs = ndjson(node.get("/api/v1/history/replay?" + window(0, 3600), state));
        assertThat(theirs).hasSize(5).allSatisfy(line -> assertThat(line.getString("unitId")).isEqualTo("SP-1"));
        assertThat(ndjson(node.get("/api/v1/history/replay?" + window(0, 3600) + "&bbox=170,-10,-170,10", admin)))
                .isEmpty();
    }

    static List<JsonObject> ndjson(HttpResponse<Buffer> response) {
        assertThat(response.statusCode()).as(String.valueOf(response.bodyAsString())).isEqualTo(200);
        List<JsonObject> lines = new ArrayList<>();
        String body = response.bodyAsString();
        if (body == null) {
            return lines;
        }
        for (String line : body.split("\n")) {
            if (!line.isEmpty()) {
                lines.add(new JsonObject(line));
            }
        }
        return lines;
    }

    @Test
    void aLongReplayStreamsInChunks() throws Exception {
        Instant start = T0.minusSeconds(86_400);
        node.storeEverySecond("UAV-07", start, 80_000);
        HttpResponse<Buffer> replay = node.get("/api/v1/history/replay?from=" + start + "&to="
                + start.plusSeconds(80_000), admin);
        assertThat(replay.getHeader("Transfer-Encoding")).isEqualTo("chunked");
        List<JsonObject> lines = ndjson(replay);
        assertThat(lines).hasSize(80_000);
        assertThat(lines.get(0).getString("time")).isEqualTo("2026-11-19T08:00:01.000Z");
        assertThat(lines.get(79_999).getString("time")).isEqualTo("2026-11-20T06:13:20.000Z");
        // 267 slices read on two connections by turns come out as one sequence, every second once and in order.
        for (int i = 1; i < lines.size(); i++) {
            assertThat(Instant.parse(lines.get(i).getString("time")))
                    .as("line %d", i).isEqualTo(Instant.parse(lines.get(i - 1).getString("time")).plusSeconds(1));
        }
    }

    @Test
    void aClientThatLeavesMidStreamGivesItsDatabaseConnectionBack() throws Exception {
        Instant start = T0.minusSeconds(86_400);
        node.storeEverySecond("UAV-07", start, 80_000);
        String uri = "/api/v1/history/replay?from=" + start + "&to=" + start.plusSeconds(80_000);
        io.vertx.core.http.HttpClient client = node.vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                .setDefaultHost("127.0.0.1").setDefaultPort(node.port).setKeepAlive(false));
        // Many more walk-outs than the history pool has connections, at every stage of a stream: before its answer
        // (a connection still being taken, a transaction begun), at its first chunk, deep into it. A leak would
        // leave the last requests waiting and a transaction open.
        for (int i = 0; i < 30; i++) {
            int after = i % 5 == 0 ? 0 : (i * 7) % 40 + 1;
            java.util.concurrent.atomic.AtomicInteger chunks = new java.util.concurrent.atomic.AtomicInteger();
            Future<Void> walkedOut = client.request(new io.vertx.core.http.RequestOptions().setURI(uri)
                            .putHeader("Authorization", "Bearer " + admin))
                    .compose(request -> {
                        if (after == 0) {
                            request.send();
                            return request.connection().close();
                        }
                        Promise<Void> closed = Promise.promise();
                        request.send().onFailure(closed::tryFail).onSuccess(response -> response.handler(chunk -> {
                            if (chunks.incrementAndGet() == after) {
                                response.request().connection().close().onComplete(closed);
                            }
                        }));
                        return closed.future();
                    });
            TestNode.await(walkedOut.transform(ar -> Future.succeededFuture()));
        }
        // A stream's lanes end their transactions once their last reads are back, a few milliseconds after the
        // client left: what must hold is none open for a whole second, within ten.
        String open = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND state = 'idle in transaction'";
        long deadline = System.currentTimeMillis() + 10_000;
        long quietSince = System.currentTimeMillis();
        long openNow = node.count(open);
        while (System.currentTimeMillis() < deadline
                && (openNow > 0 || System.currentTimeMillis() - quietSince < 1_000)) {
            Thread.sleep(50);
            openNow = node.count(open);
            if (openNow > 0) {
                quietSince = System.currentTimeMillis();
            }
        }
        assertThat(openNow).as("transactions left open by abandoned streams").isZero();
        assertThat(ndjson(node.get("/api/v1/history/replay?" + window(0, 3600), admin))).hasSize(175);
        TestNode.await(client.close());
    }

    @Test
    void tripsAndStopsFollowTheUnitsSpeed() throws Exception {
        HttpResponse<Buffer> stops = node.get("/api/v1/history/stops?unitId=PV-01&" + window(0, 3600), admin);
        assertThat(stops.statusCode()).as(stops.bodyAsString()).isEqualTo(200);
        assertThat(stops.bodyAsJsonArray()).hasSize(1);
        JsonObject stop = stops.bodyAsJsonArray().getJsonObject(0);
        assertThat(stop.getString("start")).isEqualTo("2026-11-20T08:03:20.000Z");
        assertThat(stop.getString("end")).isEqualTo("2026-11-20T08:09:50.000Z");
        assertThat(stop.getDouble("durationSeconds")).isEqualTo(390.0);
        assertThat(stop.getInteger("fixes")).isEqualTo(40);

        JsonArray trips = node.get("/api/v1/history/trips?unitId=PV-01&" + window(0, 3600), admin)
                .bodyAsJsonArray();
        assertThat(trips).hasSize(2);
        assertThat(trips.getJsonObject(0).getString("start")).isEqualTo("2026-11-20T08:00:00.000Z");
        assertThat(trips.getJsonObject(0).getString("end")).isEqualTo("2026-11-20T08:03:20.000Z");
        assertThat(trips.getJsonObject(0).getDouble("distanceMeters")).isBetween(1700.0, 1900.0);
        assertThat(trips.getJsonObject(0).getDouble("maxSpeed")).isEqualTo(9.5);
        assertThat(trips.getJsonObject(1).getString("start")).isEqualTo("2026-11-20T08:09:50.000Z");
        assertThat(trips.getJsonObject(1).getString("end")).isEqualTo("2026-11-20T08:13:10.000Z");

        // A longer stop threshold turns the standstill into part of one trip.
        assertThat(node.get("/api/v1/history/stops?unitId=PV-01&stopSeconds=600&" + window(0, 3600), admin)
                .bodyAsJsonArray()).isEmpty();
        assertThat(node.get("/api/v1/history/trips?unitId=PV-01&stopSeconds=600&" + window(0, 3600), admin)
                .bodyAsJsonArray()).hasSize(1);
        assertThat(node.get("/api/v1/history/trips?unitId=PV-01&" + window(0, 3600), state).statusCode())
                .isEqualTo(404);
        assertThat(node.get("/api/v1/history/stops?unitId=SP-1&" + window(0, 3600), state).statusCode())
                .isEqualTo(200);
    }
}
