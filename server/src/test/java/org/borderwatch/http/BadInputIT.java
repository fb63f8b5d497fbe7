package org.borderwatch.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.Fixtures;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input table: each case gets its 4xx naming the field, nothing of it is stored, and the server answers
 * its health check after each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {

    private static final String MEGABYTE = "x".repeat(1024 * 1024);
    private static final String STORED = "SELECT (SELECT count(*) FROM units) + (SELECT count(*) FROM geofences) "
            + "+ (SELECT count(*) FROM webhooks) + (SELECT count(*) FROM positions) + (SELECT count(*) FROM users) "
            + "+ (SELECT count(*) FROM agencies) + (SELECT count(*) FROM shares)";

    private TestNode node;
    private String key;

    @BeforeAll
    void start() throws Exception {
        node = TestNode.fresh();
        key = node.createUnit("UAV-01", "drone");
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
    }

    private static JsonObject unit(String id, String name) {
        return new JsonObject().put("id", id).put("name", name).put("type", "drone");
    }

    private static JsonObject fence(Object name, JsonArray ring) {
        return Fixtures.square("x").put("geometry", new JsonObject().put("type", "Polygon")
                        .put("coordinates", new JsonArray().add(ring)))
                .put("properties", new JsonObject().put("name", name));
    }

    private static JsonArray ring(Object corner) {
        return new JsonArray().add(new JsonArray().add(-106.5).add(31.7)).add(new JsonArray().add(corner).add(31.7))
                .add(new JsonArray().add(-106.4).add(31.8)).add(new JsonArray().add(-106.5).add(31.7));
    }

    private static JsonObject user(String password) {
        return new JsonObject().put("username", "new-user").put("password", password).put("role", "viewer");
    }

    private static JsonObject fix() {
        return Fixtures.fix("UAV-01", Instant.now().minusSeconds(5).toString(), 31.7, -106.4);
    }

    static Stream<Arguments> cases() {
        JsonArray good = ring(-106.4);
        return Stream.of(
                Arguments.of("unit name of 1 MB", "/api/v1/units", unit("U-2", MEGABYTE), 400, "name"),
                Arguments.of("unit name with a NUL", "/api/v1/units", unit("U-2", "a\u0000b"), 400, "name"),
                Arguments.of("unit name with a line break", "/api/v1/units", unit("U-2", "a\nb"), 400, "name"),
                Arguments.of("unit id of 65 characters", "/api/v1/units", unit("U".repeat(65), "n"), 400, "id"),
                Arguments.of("unit id with a slash", "/api/v1/units", unit("a/b", "n"), 400, "id"),
                Arguments.of("unknown unit type", "/api/v1/units", unit("U-2", "n").put("type", "tank"), 400,
                        "type"),
                Arguments.of("unknown agency", "/api/v1/units", unit("U-2", "n").put("agency", "nowhere"), 400,
                        "agency"),
                Arguments.of("geofence name of 1 MB", "/api/v1/geofences", fence(MEGABYTE, good), 400, "name"),
                Arguments.of("geofence coordinates as strings", "/api/v1/geofences", fence("f", ring("-106.4")), 400,
                        "geometry"),
                Arguments.of("geofence coordinate null", "/api/v1/geofences", fence("f", ring(null)), 400,
                        "geometry"),
                Arguments.of("geofence with 1 MB of other properties", "/api/v1/geofences", fence("f", good)
                        .put("properties", new JsonObject().put("name", "f").put("notes", MEGABYTE)), 400,
                        "properties"),
                Arguments.of("webhook URL of 1 MB", "/api/v1/webhooks", new JsonObject()
                        .put("url", "https://example.org/" + MEGABYTE).put("secret", "long-enough"), 400, "url"),
                Arguments.of("webhook at the database's port", "/api/v1/webhooks", new JsonObject()
                        .put("url", "http://127.0.0.1:55432/").put("secret", "long-enough"), 400, "url"),
                Arguments.of("position with 5 MB of attributes", "/api/v1/positions", fix()
                        .put("attributes", new JsonObject().put("blob", MEGABYTE.repeat(5))), 400, "attributes"),
                Arguments.of("latitude as a string", "/api/v1/positions", fix().put("lat", "31.7"), 400, "lat"),
                Arguments.of("longitude as a string", "/api/v1/positions", fix().put("lon", "-106.4"), 400, "lon"),
                Arguments.of("NUL in a unit id", "/api/v1/positions", fix().put("unitId", "UAV\u000001"), 400,
                        "unitId"),
                Arguments.of("username of 1 MB", "/api/v1/users", new JsonObject().put("username", MEGABYTE)
                        .put("password", "long-enough-password").put("role", "viewer"), 400, "username"),
                Arguments.of("password over bcrypt's 72 bytes", "/api/v1/users", user("é".repeat(37)), 400,
                        "password"),
                Arguments.of("a common password", "/api/v1/users", user("password1234"), 400, "password"),
                Arguments.of("a password of 11 characters", "/api/v1/users", user("abcdefghijk"), 400, "password"),
                Arguments.of("a NUL in a password", "/api/v1/users", user("long-enough\u0000password"), 400,
                        "password"),
                Arguments.of("agency name of 1 MB", "/api/v1/agencies", new JsonObject().put("id", "a1")
                        .put("name", MEGABYTE), 400, "name"),
                Arguments.of("agency id with capitals", "/api/v1/agencies", new JsonObject().put("id", "Navy")
                        .put("name", "Navy"), 400, "id"),
                Arguments.of("share of unknown unit types", "/api/v1/shares", new JsonObject().put("from", "root")
                        .put("to", "root2").put("unitTypes", new JsonArray().add("tank")), 400, "unitTypes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedNamingTheFieldAndStoresNothing(String what, String path, JsonObject body, int status,
                                                  String field) throws Exception {
        long before = node.count(STORED);
        String token = path.equals("/api/v1/positions") ? key : node.adminToken();

        HttpResponse<Buffer> response = node.post(path, token, body);

        assertThat(response.statusCode()).as("%s: %s", what, abbreviate(response.bodyAsString())).isEqualTo(status);
        assertThat(response.bodyAsJsonObject().getString("field")).as(what).isEqualTo(field);
        assertThat(node.count(STORED)).as("nothing stored").isEqualTo(before);
        assertThat(TestNode.await(node.http.get("/health/live").send()).statusCode()).isEqualTo(200);
    }

    private static String abbreviate(String text) {
        return text == null || text.length() < 300 ? text : text.substring(0, 300) + "…";
    }
}
