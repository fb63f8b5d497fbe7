package org.borderwatch.geofence;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.Fixtures.fix;
import static org.borderwatch.Fixtures.square;

/** Geofence CRUD through the API, with PostGIS judging geometry. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeofenceApiIT {

    private TestNode node;
    private String token;

    @BeforeAll
    void start() throws Exception {
        node = TestNode.fresh();
        token = node.adminToken();
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
    }

    @BeforeEach
    void empty() throws Exception {
        node.sql("TRUNCATE geofences, geofence_state");
    }

    @Test
    void createReadUpdateDelete() throws Exception {
        HttpResponse<Buffer> created = node.post("/api/v1/geofences", token, square("Port zone")
                .put("properties", square("Port zone").getJsonObject("properties").put("sector", "EPT")));
        assertThat(created.statusCode()).isEqualTo(201);
        String id = created.bodyAsJsonObject().getString("id");

        JsonObject read = node.get("/api/v1/geofences/" + id, token).bodyAsJsonObject();
        assertThat(read.getJsonObject("geometry").getString("type")).isEqualTo("Polygon");
        assertThat(read.getJsonObject("properties").getString("name")).isEqualTo("Port zone");
        assertThat(read.getJsonObject("properties").getString("sector")).isEqualTo("EPT");
        assertThat(read.getJsonObject("properties").getJsonObject("rules").getBoolean("exit")).isTrue();

        read.getJsonObject("properties").put("severity", "info").put("name", "Port zone (quiet)");
        HttpResponse<Buffer> updated = TestNode.await(node.http.put("/api/v1/geofences/" + id)
                .bearerTokenAuthentication(token).sendJsonObject(read));
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(updated.bodyAsJsonObject().getJsonObject("properties").getString("severity")).isEqualTo("info");

        JsonArray all = node.get("/api/v1/geofences", token).bodyAsJsonObject().getJsonArray("features");
        assertThat(all).hasSize(1);
        assertThat(all.getJsonObject(0).getJsonObject("properties").getString("name")).isEqualTo("Port zone (quiet)");

        var delete = TestNode.await(node.http.delete("/api/v1/geofences/" + id).bearerTokenAuthentication(token)
                .send());
        assertThat(delete.statusCode()).isEqualTo(204);
        assertThat(node.get("/api/v1/geofences/" + id, token).statusCode()).isEqualTo(404);
    }

    @Test
    void aSelfIntersectingPolygonIsRejectedWithPostgisReason() throws Exception {
        JsonArray bowtie = new JsonArray()
                .add(new JsonArray().add(0).add(0)).add(new JsonArray().add(1).add(1))
                .add(new JsonArray().add(1).add(0)).add(new JsonArray().add(0).add(1))
                .add(new JsonArray().add(0).add(0));
        JsonObject feature = square("Bowtie");
        feature.put("geometry", new JsonObject().put("type", "Polygon")
                .put("coordinates", new JsonArray().add(bowtie)));

        HttpResponse<Buffer> response = node.post("/api/v1/geofences", token, feature);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo("geometry");
        assertThat(response.bodyAsJsonObject().getString("error")).contains("Self-intersection");
        assertThat(node.count("SELECT count(*) FROM geofences")).isZero();
    }

    @Test
    void circlesAndCorridorsComeBackAsAreasAndKeepTheirSource() throws Exception {
        JsonObject circle = new JsonObject().put("type", "Feature")
                .put("geometry", new JsonObject().put("type", "Point").put("coordinates", new JsonArray().add(-97.5)
                        .add(25.9)))
                .put("properties", new JsonObject().put("name", "Brownsville").put("radiusMeters", 2500));
        JsonObject corridor = new JsonObject().put("type", "Feature")
                .put("geometry", new JsonObject().put("type", "LineString").put("coordinates", new JsonArray()
                        .add(new JsonArray().add(-99.5).add(27.5)).add(new JsonArray().add(-99.1).add(26.4))))
                .put("properties", new JsonObject().put("name", "River").put("bufferMeters", 500));

        JsonObject savedCircle = node.post("/api/v1/geofences", token, circle).bodyAsJsonObject();
        JsonObject savedCorridor = node.post("/api/v1/geofences", token, corridor).bodyAsJsonObject();

        assertThat(savedCircle.getJsonObject("geometry").getString("type")).isEqualTo("Polygon");
        assertThat(savedCircle.getJsonObject("properties").getDouble("radiusMeters")).isEqualTo(2500.0);
        assertThat(savedCircle.getJsonObject("properties").getJsonObject("sourceGeometry").getString("type"))
                .isEqualTo("Point");
        assertThat(savedCorridor.getJsonObject("geometry").getString("type")).isEqualTo("Polygon");
        assertThat(savedCorridor.getJsonObject("properties").getDouble("bufferMeters")).isEqualTo(500.0);
        double area = node.sql("SELECT ST_Area(geom::geography) FROM geofences WHERE id = $1::uuid",
                savedCircle.getString("id")).iterator().next().getDouble(0);
        assertThat(area).isCloseTo(Math.PI * 2500 * 2500, org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void badFeaturesNameTheirField() throws Exception {
        JsonObject noRadius = new JsonObject().put("type", "Feature")
                .put("geometry", new JsonObject().put("type", "Point")
                        .put("coordinates", new JsonArray().add(0).add(0)))
                .put("properties", new JsonObject().put("name", "x"));
        JsonObject noName = square("x");
        noName.getJsonObject("properties").remove("name");
        JsonObject badSeverity = square("x");
        badSeverity.getJsonObject("properties").put("severity", "apocalyptic");
        JsonObject garbage = square("x").put("geometry", new JsonObject().put("type", "Polygon")
                .put("coordinates", "nope"));

        assertThat(field(node.post("/api/v1/geofences", token, noRadius))).isEqualTo("radiusMeters");
        assertThat(field(node.post("/api/v1/geofences", token, noName))).isEqualTo("name");
        assertThat(field(node.post("/api/v1/geofences", token, badSeverity))).isEqualTo("severity");
        assertThat(field(node.post("/api/v1/geofences", token, garbage))).isEqualTo("geometry");
        assertThat(node.get("/api/v1/geofences/not-an-id", token).statusCode()).isEqualTo(404);
    }

    @Test
    void oversizedFencesAreRefused() throws Exception {
        JsonObject continent = square("Most of North America");
        continent.getJsonObject("geometry").put("coordinates", new JsonArray().add(new JsonArray()
                .add(new JsonArray().add(-130).add(20)).add(new JsonArray().add(-60).add(20))
                .add(new JsonArray().add(-60).add(60)).add(new JsonArray().add(-130).add(60))
                .add(new JsonArray().add(-130).add(20))));
        JsonArray ring = new JsonArray();
        int vertices = 100_001;
        for (int i = 0; i < vertices; i++) {
            double angle = 2 * Math.PI * i / vertices;
            ring.add(new JsonArray().add(-106.45 + 0.05 * Math.cos(angle)).add(31.75 + 0.05 * Math.sin(angle)));
        }
        ring.add(ring.getJsonArray(0));
        JsonObject detailed = square("Too detailed");
        detailed.getJsonObject("geometry").put("coordinates", new JsonArray().add(ring));

        HttpResponse<Buffer> tooLarge = node.post("/api/v1/geofences", token, continent);
        HttpResponse<Buffer> tooManyVertices = node.post("/api/v1/geofences", token, detailed);

        assertThat(field(tooLarge)).isEqualTo("geometry");
        assertThat(tooLarge.bodyAsJsonObject().getString("error")).contains("area");
        assertThat(field(tooManyVertices)).isEqualTo("geometry");
        assertThat(tooManyVertices.bodyAsJsonObject().getString("error")).contains("vertices");
        assertThat(node.count("SELECT count(*) FROM geofences")).isZero();
    }

    @Test
    void anEmptyGeometryIsABadRequestNamingGeometry() throws Exception {
        JsonObject emptyPolygon = square("Nothing");
        emptyPolygon.getJsonObject("geometry").put("coordinates", new JsonArray());
        JsonObject emptyCircle = new JsonObject().put("type", "Feature")
                .put("geometry", new JsonObject().put("type", "Point").put("coordinates", new JsonArray()))
                .put("properties", new JsonObject().put("name", "Nowhere").put("radiusMeters", 100));

        assertThat(field(node.post("/api/v1/geofences", token, emptyPolygon))).isEqualTo("geometry");
        assertThat(field(node.post("/api/v1/geofences", token, emptyCircle))).isEqualTo("geometry");
        assertThat(node.count("SELECT count(*) FROM geofences")).isZero();
    }

    @Test
    void altitudesInCoordinatesAreDroppedAndTheFenceWorks() throws Exception {
        JsonObject fence = square("Port zone, surveyed");
        for (Object position : fence.getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(0)) {
            ((JsonArray) position).add(1140.5);
        }
        JsonObject circle = new JsonObject().put("type", "Feature")
                .put("geometry", new JsonObject().put("type", "Point").put("coordinates", new JsonArray().add(-97.5)
                        .add(25.9).add(12)))
                .put("properties", new JsonObject().put("name", "Brownsville").put("radiusMeters", 2500));

        HttpResponse<Buffer> created = node.post("/api/v1/geofences", token, fence);
        HttpResponse<Buffer> createdCircle = node.post("/api/v1/geofences", token, circle);

        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        assertThat(createdCircle.statusCode()).as(createdCircle.bodyAsString()).isEqualTo(201);
        assertThat(created.bodyAsJsonObject().getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(0)
                .getJsonArray(0)).hasSize(2);
        String key = node.createUnit("PV-Z", "vehicle");
        node.post("/api/v1/positions", key, new JsonArray()
                .add(fix("PV-Z", "2026-11-25T10:00:00.000Z", 31.65, -106.45))
                .add(fix("PV-Z", "2026-11-25T10:00:10.000Z", 31.75, -106.45)));
        assertThat(node.alertTypes("PV-Z")).containsExactly("enter");
    }

    private static String field(HttpResponse<Buffer> response) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
        return response.bodyAsJsonObject().getString("field");
    }
}
