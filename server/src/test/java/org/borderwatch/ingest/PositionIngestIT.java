package org.borderwatch.ingest;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/v1/positions} against a real node and PostGIS: validation, formats, idempotency, access. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PositionIngestIT {

    private TestNode node;
    private String key;

    @BeforeAll
    void startNode() throws Exception {
        node = TestNode.fresh();
        key = node.createUnit("UAV-07", "drone");
        node.createUnit("PV-01", "vehicle");
    }

    @AfterAll
    void stopNode() throws Exception {
        node.close();
    }

    @BeforeEach
    void emptyPositions() throws Exception {
        node.sql("TRUNCATE positions, unit_state");
    }

    private static JsonObject valid(String time) {
        return new JsonObject().put("unitId", "UAV-07").put("time", time).put("lat", 31.7).put("lon", -106.4)
                .put("alt", 120.5).put("speed", 12.0).put("heading", 90.0).put("accuracy", 4.0).put("battery", 87.0)
                .put("attributes", new JsonObject().put("sensor", "eo/ir"));
    }

    static Stream<Arguments> invalidItems() {
        String future = Instant.now().plus(6, ChronoUnit.MINUTES).toString();
        return Stream.of(
                Arguments.of("lat", valid("2026-11-25T10:00:00.000Z").put("lat", 90.0001)),
                Arguments.of("lat", valid("2026-11-25T10:00:00.000Z").put("lat", -91)),
                Arguments.of("lat", valid("2026-11-25T10:00:00.000Z").put("lat", "31.7")),
                Arguments.of("lat", valid("2026-11-25T10:00:00.000Z").putNull("lat")),
                Arguments.of("lon", valid("2026-11-25T10:00:00.000Z").put("lon", 180.5)),
                Arguments.of("lon", valid("2026-11-25T10:00:00.000Z").put("lon", -181)),
                Arguments.of("time", valid("2026-11-25T10:00:00.000Z").putNull("time")),
                Arguments.of("time", valid("yesterday")),
                Arguments.of("time", valid("2026-11-25 10:00")),
                Arguments.of("time", valid(future)),
                Arguments.of("speed", valid("2026-11-25T10:00:00.000Z").put("speed", -0.1)),
                Arguments.of("heading", valid("2026-11-25T10:00:00.000Z").put("heading", 360)),
                Arguments.of("heading", valid("2026-11-25T10:00:00.000Z").put("heading", -1)),
                Arguments.of("unitId", without(valid("2026-11-25T10:00:00.000Z"), "unitId")),
                Arguments.of("unitId", valid("2026-11-25T10:00:00.000Z").put("unitId", 7)));
    }

    private static JsonObject without(JsonObject item, String field) {
        item.remove(field);
        return item;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidItems")
    void rejectsTheWholeRequestNamingFieldAndIndex(String field, JsonObject bad) throws Exception {
        JsonArray body = new JsonArray()
                .add(valid("2026-11-25T09:00:00.000Z"))
                .add(valid("2026-11-25T09:00:01.000Z"))
                .add(bad);

        HttpResponse<Buffer> response = node.post("/api/v1/positions", key, body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonObject error = response.bodyAsJsonObject();
        assertThat(error.getString("field")).isEqualTo(field);
        assertThat(error.getInteger("index")).isEqualTo(2);
        assertThat(error.getString("error")).isNotBlank();
        assertThat(node.count("SELECT count(*) FROM positions")).isZero();
    }

    @Test
    void rejectsABodyThatIsNotJson() throws Exception {
        HttpResponse<Buffer> response = node.post("/api/v1/positions", key, "{\"unitId\": \"UAV-07\", ");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo("body");
        assertThat(node.count("SELECT count(*) FROM positions")).isZero();
    }

    @Test
    void rejectsABodyOverSixteenMegabytesAsTooLarge() throws Exception {
        Buffer body = Buffer.buffer(new byte[16 * 1024 * 1024 + 1]);

        HttpResponse<Buffer> response = TestNode.await(node.http.post("/api/v1/positions")
                .bearerTokenAuthentication(key).putHeader("Content-Type", "application/json").sendBuffer(body));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo("body");
        assertThat(node.count("SELECT count(*) FROM positions")).isZero();
    }

    @Test
    void acceptsAnObjectAnArrayAndNdjsonAndStoresEveryField() throws Exception {
        HttpResponse<Buffer> one = node.post("/api/v1/positions", key, valid("2026-11-25T10:00:00.123Z"));
        HttpResponse<Buffer> many = node.post("/api/v1/positions", key, new JsonArray()
                .add(valid("2026-11-25T10:00:01.000Z")).add(valid("2026-11-25T10:00:02.000Z")));
        String ndjson = valid("2026-11-25T10:00:03.000Z").encode() + "\n\n" + valid("2026-11-25T10:00:04.000Z").encode()
                + "\n";
        HttpResponse<Buffer> lines = TestNode.await(node.http.post("/api/v1/positions")
                .bearerTokenAuthentication(key).putHeader("Content-Type", "application/x-ndjson")
                .sendBuffer(Buffer.buffer(ndjson)));

        assertThat(one.statusCode()).isEqualTo(202);
        assertThat(one.bodyAsJsonObject().getInteger("accepted")).isEqualTo(1);
        assertThat(many.bodyAsJsonObject().getInteger("accepted")).isEqualTo(2);
        assertThat(lines.statusCode()).isEqualTo(202);
        assertThat(lines.bodyAsJsonObject().getInteger("accepted")).isEqualTo(2);
        var row = node.sql("""
                SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, ST_SRID(geom) AS srid, alt, speed, heading, accuracy,
                       battery, attributes->>'sensor' AS sensor
                FROM positions WHERE time = '2026-11-25T10:00:00.123Z'""").iterator().next();
        assertThat(row.getDouble("lon")).isEqualTo(-106.4);
        assertThat(row.getDouble("lat")).isEqualTo(31.7);
        assertThat(row.getInteger("srid")).isEqualTo(4326);
        assertThat(row.getDouble("alt")).isEqualTo(120.5);
        assertThat(row.getDouble("battery")).isEqualTo(87.0);
        assertThat(row.getString("sensor")).isEqualTo("eo/ir");
        assertThat(node.count("SELECT count(*) FROM positions")).isEqualTo(5);
    }

    @Test
    void aRepeatedUnitAndTimeIsAcceptedAndStoredOnce() throws Exception {
        JsonArray body = new JsonArray().add(valid("2026-11-25T10:00:00.000Z")).add(valid("2026-11-25T10:00:00.000Z"));

        HttpResponse<Buffer> first = node.post("/api/v1/positions", key, body);
        HttpResponse<Buffer> again = node.post("/api/v1/positions", key, valid("2026-11-25T10:00:00.000Z"));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.bodyAsJsonObject().getInteger("accepted")).isEqualTo(2);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(node.count("SELECT count(*) FROM positions")).isEqualTo(1);
    }

    @Test
    void aLateFixIsStoredButNeverMovesTheUnitBackwards() throws Exception {
        node.post("/api/v1/positions", key, valid("2026-11-25T10:00:10.000Z").put("lat", 31.9));
        node.post("/api/v1/positions", key, valid("2026-11-25T10:00:05.000Z").put("lat", 31.1));

        assertThat(node.count("SELECT count(*) FROM positions")).isEqualTo(2);
        JsonObject units = node.get("/api/v1/units", node.adminToken()).bodyAsJsonObject();
        JsonObject unit = units.getJsonArray("features").getJsonObject(0);
        assertThat(unit.getJsonObject("geometry").getJsonArray("coordinates").getDouble(1)).isEqualTo(31.9);
        assertThat(unit.getJsonObject("properties").getString("time")).isEqualTo("2026-11-25T10:00:10.000Z");
    }

    @Test
    void aDeviceKeyReportsOnlyItsOwnUnit() throws Exception {
        HttpResponse<Buffer> other = node.post("/api/v1/positions", key,
                valid("2026-11-25T10:00:00.000Z").put("unitId", "PV-01"));
        HttpResponse<Buffer> admin = node.post("/api/v1/positions", node.adminToken(),
                valid("2026-11-25T10:00:00.000Z").put("unitId", "PV-01"));
        HttpResponse<Buffer> unknown = node.post("/api/v1/positions", node.adminToken(),
                valid("2026-11-25T10:00:00.000Z").put("unitId", "NOPE-1"));
        HttpResponse<Buffer> anonymous = TestNode.await(node.http.post("/api/v1/positions")
                .sendJsonObject(valid("2026-11-25T10:00:00.000Z")));
        HttpResponse<Buffer> forged = node.post("/api/v1/positions", "bwk_not-a-real-key",
                valid("2026-11-25T10:00:00.000Z"));

        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(admin.statusCode()).isEqualTo(202);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.bodyAsJsonObject().getString("field")).isEqualTo("unitId");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(node.count("SELECT count(*) FROM positions")).isEqualTo(1);
    }
}
