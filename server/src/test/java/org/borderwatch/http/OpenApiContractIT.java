package org.borderwatch.http;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;
import org.borderwatch.RawRequest;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.Fixtures.fix;
import static org.borderwatch.Fixtures.square;

/**
 * {@code docs/openapi.yaml} against a real node. Every operation is called for its success and its error answers, and
 * each answer must be one the document declares for that path and method: the status code, the content type and the
 * body, judged by vertx-openapi's validator. Every route the server mounts must be in the document and every
 * documented operation must have been exercised, so neither can drift from the other unnoticed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractIT {

    private static final java.nio.file.Path DOCUMENT = java.nio.file.Path.of("..", "docs", "openapi.yaml");
    private static final java.nio.file.Path SOURCES = java.nio.file.Path.of("src", "main", "java");
    /**
     * Statuses a healthy node cannot be led into from here: 503 needs a full write queue or an unreachable
     * database, and 413 needs a body above 16 MiB (provoked once, on positions, not on every route).
     */
    private static final Set<Integer> NOT_PROVOKED = Set.of(413, 503);
    /** A route registration in the sources, e.g. {@code router.get("/api/v1/units/:id/track")}. */
    private static final Pattern ROUTE = Pattern.compile(
            "router\\s*\\.\\s*(get|post|put|delete|patch|head|options|route)\\(\\s*\"([^\"]+)\"");
    private static final String NOWHERE = "00000000-0000-4000-8000-000000000000";

    private TestNode node;
    private OpenAPIContract contract;
    private ResponseValidator validator;
    /** Status codes seen per operation id, for the coverage check at the end. */
    private final Map<String, Set<Integer>> seen = new TreeMap<>();
    private String admin;
    private String operator;
    private String viewer;
    private String uavKey;
    private String truckKey;

    @BeforeAll
    void start() throws Exception {
        node = TestNode.fresh();
        contract = TestNode.await(OpenAPIContract.from(node.vertx, loadDocument()));
        validator = ResponseValidator.create(node.vertx, contract);
        admin = call(HttpMethod.POST, "/api/v1/login", null, new JsonObject().put("username", "admin")
                .put("password", TestNode.ADMIN_PASSWORD)).bodyAsJsonObject().getString("token");
        operator = user("ops1", "operator");
        viewer = user("watch1", "viewer");
        uavKey = unit("UAV-07", "drone");
        truckKey = unit("TRK-01", "vehicle");
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
    }

    /**
     * The document as vertx-openapi reads it. Its 5.0 line cannot load a request body in a media type it has no
     * parser for, so NDJSON is left out here: this test validates responses, never requests. Nor does it take
     * responses in the export formats (GPX, KML, CSV, NDJSON, GeoJSON's own type): those are left out too and
     * remembered in {@link #EXPORTS}, where {@link #conform} checks them itself.
     */
    private static JsonObject loadDocument() throws Exception {
        Map<String, Object> yaml = new Yaml().load(Files.readString(DOCUMENT));
        JsonObject document = new JsonObject(yaml);
        JsonObject paths = document.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) {
                if (!(item.getValue(method) instanceof JsonObject op)) {
                    continue;
                }
                if (op.getJsonObject("requestBody") != null) {
                    op.getJsonObject("requestBody").getJsonObject("content").remove("application/x-ndjson");
                }
                JsonObject responses = op.getJsonObject("responses", new JsonObject());
                for (String status : responses.fieldNames()) {
                    JsonObject content = responses.getValue(status) instanceof JsonObject response
                            ? response.getJsonObject("content") : null;
                    if (content == null) {
                        continue;
                    }
                    for (String type : Set.copyOf(content.fieldNames())) {
                        if (type != null && EXPORT_TYPES.contains(type)) {
                            content.remove(type);
                            EXPORTS.computeIfAbsent(op.getString("operationId") + " " + status,
                                    key -> new TreeSet<>()).add(type);
                        }
                    }
                    if (content.isEmpty()) {
                        // Only export formats: the validator still needs the status, with no body to check.
                        responses.getJsonObject(status).remove("content");
                    }
                }
            }
        }
        return new JsonObject(document.encode()); // plain JSON all the way down, as the library reads it
    }

    /** Media types the validator has no parser for; answers in them are held to the document by {@link #conform}. */
    private static final Set<String> EXPORT_TYPES = Set.of("application/geo+json", "application/gpx+xml",
            "application/vnd.google-earth.kml+xml", "text/csv", "application/x-ndjson");
    /** Export media types the document declares, by "operationId status". */
    private static final Map<String, Set<String>> EXPORTS = new TreeMap<>();

    private String user(String username, String role) throws Exception {
        call(HttpMethod.POST, "/api/v1/users", admin, new JsonObject().put("username", username)
                .put("password", "correct-horse-battery").put("role", role));
        return call(HttpMethod.POST, "/api/v1/login", null, new JsonObject().put("username", username)
                .put("password", "correct-horse-battery")).bodyAsJsonObject().getString("token");
    }

    private String unit(String id, String type) throws Exception {
        return call(HttpMethod.POST, "/api/v1/units", admin, new JsonObject().put("id", id).put("type", type))
                .bodyAsJsonObject().getString("deviceKey");
    }

    private static Buffer gzip(String text) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return Buffer.buffer(bytes.toByteArray());
    }

    /** A request body sent as is, with its own content type. */
    private record Raw(String contentType, String text) {
    }

    /** A request body sent with a {@code Content-Encoding}. */
    private record Encoded(String encoding, Buffer bytes) {
    }

    /** Sends a request and fails unless its answer is one the document declares. */
    private HttpResponse<Buffer> call(HttpMethod method, String uri, String token, Object body) throws Exception {
        HttpRequest<Buffer> request = node.http.request(method, uri);
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        HttpResponse<Buffer> response;
        if (body == null) {
            response = TestNode.await(request.send());
        } else if (body instanceof Raw raw) {
            response = TestNode.await(request.putHeader("Content-Type", raw.contentType())
                    .sendBuffer(Buffer.buffer(raw.text())));
        } else if (body instanceof Encoded encoded) {
            response = TestNode.await(request.putHeader("Content-Type", "application/json")
                    .putHeader("Content-Encoding", encoded.encoding()).sendBuffer(encoded.bytes()));
        } else if (body instanceof Buffer buffer) {
            response = TestNode.await(request.putHeader("Content-Type", "application/json").sendBuffer(buffer));
        } else {
            response = TestNode.await(request.sendJson(body));
        }
        conform(method, uri, response.statusCode(), response.headers(), response.body());
        return response;
    }

    /** {@link #call} that also expects {@code status}; for a 400, the error must name {@code field}. */
    private HttpResponse<Buffer> expect(int status, HttpMethod method, String uri, String token, Object body)
            throws Exception {
        HttpResponse<Buffer> response = call(method, uri, token, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, uri, response.bodyAsString()).isEqualTo(status);
        return response;
    }

    private void badRequest(String field, HttpMethod method, String uri, String token, Object body) throws Exception {
        JsonObject error = expect(400, method, uri, token, body).bodyAsJsonObject();
        assertThat(error.getString("field")).as("%s %s: %s", method, uri, error).isEqualTo(field);
    }

    /** The checks every answer gets, HTTP and WebSocket alike. */
    private void conform(HttpMethod method, String uri, int status, MultiMap headers, Buffer body) throws Exception {
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        Operation operation = contract.findOperation(path, method);
        assertThat(operation).as("%s %s is in the document", method, path).isNotNull();
        Map<String, String> headerMap = new HashMap<>();
        headers.forEach(header -> headerMap.put(header.getKey(), header.getValue()));
        boolean empty = body == null || body.length() == 0;
        String type = mediaType(headers.get("Content-Type"));
        if (type != null && EXPORT_TYPES.contains(type)) {
            assertThat(EXPORTS.getOrDefault(operation.getOperationId() + " " + status, Set.of()))
                    .as("%s %s answered %d in %s, which %s does not declare", method, uri, status, type, DOCUMENT)
                    .contains(type);
            if (type.equals("application/geo+json")) {
                type = "application/json"; // the same schema is declared for both; validate the body by it
            } else {
                seen.computeIfAbsent(operation.getOperationId(), id -> new TreeSet<>()).add(status);
                return;
            }
        }
        ValidatableResponse response = ValidatableResponse.create(status, headerMap, empty ? null : body, type);
        try {
            TestNode.await(validator.validate(response, operation.getOperationId()));
        } catch (ExecutionException e) {
            throw new AssertionError(String.format("%s %s answered %d, which %s does not allow: %s%n%s", method, uri,
                    status, DOCUMENT, describe(e.getCause()), empty ? "(no body)" : abbreviate(body.toString())),
                    e.getCause());
        }
        if (operation.getResponse(status).getContent().isEmpty()) {
            assertThat(empty).as("%s %s answered %d with a body the document does not declare", method, uri, status)
                    .isTrue();
        }
        seen.computeIfAbsent(operation.getOperationId(), id -> new TreeSet<>()).add(status);
    }

    /** The media type without parameters: {@code text/plain; version=0.0.4} is declared as {@code text/plain}. */
    private static String mediaType(String contentType) {
        return contentType == null ? null : contentType.split(";")[0].trim().toLowerCase();
    }

    private static String describe(Throwable failure) {
        if (failure instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
            List<OutputUnit> errors = schema.getOutputUnit().getErrors();
            if (errors != null && !errors.isEmpty()) {
                return failure.getMessage() + errors.stream()
                        .map(unit -> "\n  at " + unit.getInstanceLocation() + ": " + unit.getError())
                        .collect(Collectors.joining());
            }
        }
        return failure.getMessage();
    }

    private static String abbreviate(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "…";
    }

    /** Opens a WebSocket: its 101 or its refusal is checked against the document like any answer. */
    private void webSocket(int status, String uri, String token) throws Exception {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port)
                .setURI(uri);
        if (token != null) {
            options.addHeader("Authorization", "Bearer " + token);
        }
        WebSocketClient client = node.vertx.createWebSocketClient();
        int answered;
        Buffer refusal = null;
        try {
            WebSocket socket = TestNode.await(client.connect(options));
            answered = 101;
            conform(HttpMethod.GET, uri, answered, MultiMap.caseInsensitiveMultiMap(), null);
            TestNode.await(socket.close());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UpgradeRejectedException rejected)) {
                throw e;
            }
            answered = rejected.getStatus();
            refusal = rejected.getBody();
            conform(HttpMethod.GET, uri, answered, rejected.getHeaders(), refusal);
        } finally {
            TestNode.await(client.close());
        }
        assertThat(answered).as("GET %s: %s", uri, refusal).isEqualTo(status);
        if (status == 400) {
            assertThat(new JsonObject(refusal).getString("field")).isEqualTo("types");
        }
    }

    /**
     * A plain GET on a WebSocket route, which the WebSocket layer refuses with 400 and a plain-text reason but no
     * Content-Type. The validator cannot take a body without a content type, so this one answer is held against its
     * declaration directly.
     */
    private void notAHandshake(String uri) throws Exception {
        HttpResponse<Buffer> response = TestNode.await(node.http.get(uri).bearerTokenAuthentication(viewer).send());
        assertThat(response.statusCode()).as("plain GET %s", uri).isEqualTo(400);
        assertThat(response.getHeader("Content-Type")).isNull();
        Operation operation = contract.findOperation(uri, HttpMethod.GET);
        assertThat(operation.getResponse(400)).as("GET %s declares 400", uri).isNotNull();
        assertThat(operation.getResponse(400).getContent()).as("GET %s declares a text 400", uri)
                .containsKey("text/plain");
        seen.computeIfAbsent(operation.getOperationId(), id -> new TreeSet<>()).add(400);
    }

    /** Waits up to 10 s for a line of {@code /metrics}. */
    private void awaitMetric(String line) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!TestNode.await(node.http.get("/metrics").send()).bodyAsString().contains("\n" + line + "\n")) {
            assertThat(System.currentTimeMillis()).as("/metrics shows %s", line).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static String recent(int secondsAgo) {
        return Instant.now().minusSeconds(secondsAgo).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    @Test
    @Order(1)
    void loginAndUsers() throws Exception {
        expect(200, HttpMethod.POST, "/api/v1/login", null, new JsonObject().put("username", "admin")
                .put("password", TestNode.ADMIN_PASSWORD));
        expect(401, HttpMethod.POST, "/api/v1/login", null, new JsonObject().put("username", "admin")
                .put("password", "not-the-password"));
        expect(401, HttpMethod.POST, "/api/v1/login", null, new JsonObject().put("username", "admin"));
        badRequest("body", HttpMethod.POST, "/api/v1/login", null, new Raw("application/json", "{not json"));

        JsonObject user = new JsonObject().put("username", "watch2").put("password", "correct-horse-battery")
                .put("role", "viewer");
        expect(201, HttpMethod.POST, "/api/v1/users", admin, user);
        expect(409, HttpMethod.POST, "/api/v1/users", admin, user);
        badRequest("username", HttpMethod.POST, "/api/v1/users", admin, user.copy().put("username", "a b"));
        badRequest("password", HttpMethod.POST, "/api/v1/users", admin, user.copy().put("username", "watch3")
                .put("password", "short"));
        badRequest("role", HttpMethod.POST, "/api/v1/users", admin, user.copy().put("username", "watch3")
                .put("role", "root"));
        expect(401, HttpMethod.POST, "/api/v1/users", null, user);
        expect(401, HttpMethod.POST, "/api/v1/users", "not-a-token", user);
        expect(403, HttpMethod.POST, "/api/v1/users", operator, user);
        expect(403, HttpMethod.POST, "/api/v1/users", uavKey, user);
    }

    @Test
    @Order(2)
    void unitsPositionsAndTracks() throws Exception {
        JsonObject boat = new JsonObject().put("id", "BOAT-3").put("name", "Río 3").put("type", "boat");
        expect(201, HttpMethod.POST, "/api/v1/units", admin, boat);
        expect(409, HttpMethod.POST, "/api/v1/units", admin, boat);
        badRequest("type", HttpMethod.POST, "/api/v1/units", admin, boat.copy().put("id", "BOAT-4")
                .put("type", "submarine"));
        badRequest("id", HttpMethod.POST, "/api/v1/units", admin, boat.copy().put("id", "no spaces"));
        expect(401, HttpMethod.POST, "/api/v1/units", null, boat);
        expect(403, HttpMethod.POST, "/api/v1/units", operator, boat);

        // One fix with every optional field, one with none: nulls in the answers must be declared too.
        JsonObject full = fix("UAV-07", recent(30), 31.76, -106.45).put("alt", 1140.5).put("speed", 12.5)
                .put("heading", 90).put("accuracy", 4).put("battery", 87).put("attributes",
                        new JsonObject().put("mission", "ept-north"));
        expect(202, HttpMethod.POST, "/api/v1/positions", uavKey, full);
        expect(202, HttpMethod.POST, "/api/v1/positions", uavKey, new JsonArray()
                .add(fix("UAV-07", recent(20), 31.761, -106.451))
                .add(fix("UAV-07", recent(10), 31.762, -106.452).put("speed", 3)));
        expect(202, HttpMethod.POST, "/api/v1/positions", truckKey, new Raw("application/x-ndjson",
                fix("TRK-01", recent(25), 31.70, -106.30).encode() + "\n"
                        + fix("TRK-01", recent(15), 31.71, -106.31).encode() + "\n"));
        expect(202, HttpMethod.POST, "/api/v1/positions", admin, fix("BOAT-3", recent(5), 29.56, -104.37));

        JsonObject error = expect(400, HttpMethod.POST, "/api/v1/positions", uavKey, new JsonArray()
                .add(fix("UAV-07", recent(3), 31.7, -106.4))
                .add(fix("UAV-07", recent(2), 91, -106.4))).bodyAsJsonObject();
        assertThat(error.getString("field")).isEqualTo("lat");
        assertThat(error.getInteger("index")).isEqualTo(1);
        badRequest("body", HttpMethod.POST, "/api/v1/positions", uavKey, new Raw("application/json", "lat=31"));
        badRequest("time", HttpMethod.POST, "/api/v1/positions", uavKey, fix("UAV-07", "yesterday", 31.7, -106.4));
        badRequest("unitId", HttpMethod.POST, "/api/v1/positions", admin, fix("GHOST-1", recent(1), 31.7, -106.4));
        expect(401, HttpMethod.POST, "/api/v1/positions", "bwk_unknown", fix("UAV-07", recent(1), 31.7, -106.4));
        expect(403, HttpMethod.POST, "/api/v1/positions", uavKey, fix("TRK-01", recent(1), 31.7, -106.4));
        expect(403, HttpMethod.POST, "/api/v1/positions", viewer, fix("UAV-07", recent(1), 31.7, -106.4));
        expect(202, HttpMethod.POST, "/api/v1/positions", uavKey, new Encoded("gzip",
                gzip(fix("UAV-07", recent(6), 31.7, -106.4).encode())));
        expect(415, HttpMethod.POST, "/api/v1/positions", uavKey, new Encoded("br",
                Buffer.buffer(fix("UAV-07", recent(6), 31.7, -106.4).encode())));
        // A device with more body bytes in flight than its bound (4 MiB by default) is refused before the body.
        try (RawRequest held = RawRequest.open(node.port, "POST", "/api/v1/positions", uavKey, 5_000_000, "[")) {
            awaitMetric("bw_admission_inflight_bytes 5000000");
            JsonObject busy = expect(429, HttpMethod.POST, "/api/v1/positions", uavKey,
                    fix("UAV-07", recent(7), 31.7, -106.4)).bodyAsJsonObject();
            assertThat(busy.getString("reason")).isEqualTo("device-bytes");
        }
        awaitMetric("bw_admission_inflight_bytes 0");
        // Above the 16 MiB limit; the node answers before reading it all.
        expect(413, HttpMethod.POST, "/api/v1/positions", uavKey,
                Buffer.buffer(new byte[16 * 1024 * 1024 + 1]));

        JsonArray units = expect(200, HttpMethod.GET, "/api/v1/units", viewer, null).bodyAsJsonObject()
                .getJsonArray("features");
        assertThat(units).hasSize(3);
        expect(401, HttpMethod.GET, "/api/v1/units", null, null);
        expect(403, HttpMethod.GET, "/api/v1/units", uavKey, null);

        JsonObject track = expect(200, HttpMethod.GET, "/api/v1/units/UAV-07/track?from=" + recent(3600) + "&to="
                + recent(0), viewer, null).bodyAsJsonObject();
        assertThat(track.getJsonObject("properties").getJsonArray("times")).hasSize(4);
        expect(200, HttpMethod.GET, "/api/v1/units/BOAT-3/track", viewer, null);
        JsonObject empty = expect(200, HttpMethod.GET, "/api/v1/units/BOAT-3/track?from=2020-01-01T00:00:00Z&to="
                + "2020-01-02T00:00:00Z", viewer, null).bodyAsJsonObject();
        assertThat(empty.getJsonObject("properties").getJsonArray("times")).isEmpty();
        badRequest("from", HttpMethod.GET, "/api/v1/units/UAV-07/track?from=yesterday", viewer, null);
        badRequest("from", HttpMethod.GET, "/api/v1/units/UAV-07/track?from=" + recent(0) + "&to=" + recent(60),
                viewer, null);
        expect(404, HttpMethod.GET, "/api/v1/units/GHOST-1/track", viewer, null);
        expect(401, HttpMethod.GET, "/api/v1/units/UAV-07/track", null, null);
        expect(403, HttpMethod.GET, "/api/v1/units/UAV-07/track", uavKey, null);
    }

    @Test
    @Order(3)
    void geofences() throws Exception {
        JsonObject polygon = square("Port zone");
        polygon.getJsonObject("properties").put("sector", "EPT").put("unitTypes", new JsonArray().add("drone"));
        String id = expect(201, HttpMethod.POST, "/api/v1/geofences", operator, polygon).bodyAsJsonObject()
                .getString("id");
        JsonObject circle = new JsonObject().put("type", "Feature")
                .put("geometry", new JsonObject().put("type", "Point").put("coordinates",
                        new JsonArray().add(-106.45).add(31.76)))
                .put("properties", new JsonObject().put("name", "Bridge").put("radiusMeters", 500)
                        .put("marginMeters", 20).put("rules", new JsonObject().put("exit", false)
                                .put("dwellSeconds", 600)));
        expect(201, HttpMethod.POST, "/api/v1/geofences", operator, circle);
        JsonObject corridor = new JsonObject().put("type", "Feature")
                .put("geometry", new JsonObject().put("type", "LineString").put("coordinates", new JsonArray()
                        .add(new JsonArray().add(-106.6).add(31.78)).add(new JsonArray().add(-106.3).add(31.70))))
                .put("properties", new JsonObject().put("name", "River").put("severity", "info")
                        .put("bufferMeters", 250).put("schedule", new JsonObject().put("tz", "America/Chihuahua")
                                .put("days", new JsonArray().add("sat").add("sun")).put("from", "22:00")
                                .put("to", "06:00")));
        JsonObject stored = expect(201, HttpMethod.POST, "/api/v1/geofences", operator, corridor).bodyAsJsonObject();

        badRequest("name", HttpMethod.POST, "/api/v1/geofences", operator, square(" "));
        JsonObject bowTie = square("Bow tie");
        bowTie.getJsonObject("geometry").put("coordinates", new JsonArray().add(new JsonArray()
                .add(new JsonArray().add(-106.5).add(31.7)).add(new JsonArray().add(-106.4).add(31.8))
                .add(new JsonArray().add(-106.4).add(31.7)).add(new JsonArray().add(-106.5).add(31.8))
                .add(new JsonArray().add(-106.5).add(31.7))));
        badRequest("geometry", HttpMethod.POST, "/api/v1/geofences", operator, bowTie);
        badRequest("rules.enter", HttpMethod.POST, "/api/v1/geofences", operator, square("Rules").put("properties",
                new JsonObject().put("name", "Rules").put("rules", new JsonObject().put("enter", "yes"))));
        expect(401, HttpMethod.POST, "/api/v1/geofences", null, polygon);
        expect(403, HttpMethod.POST, "/api/v1/geofences", viewer, polygon);

        JsonArray all = expect(200, HttpMethod.GET, "/api/v1/geofences", viewer, null).bodyAsJsonObject()
                .getJsonArray("features");
        assertThat(all).hasSize(3);
        expect(401, HttpMethod.GET, "/api/v1/geofences", null, null);
        expect(403, HttpMethod.GET, "/api/v1/geofences", uavKey, null);

        expect(200, HttpMethod.GET, "/api/v1/geofences/" + id, viewer, null);
        expect(404, HttpMethod.GET, "/api/v1/geofences/" + NOWHERE, viewer, null);
        expect(404, HttpMethod.GET, "/api/v1/geofences/not-a-uuid", viewer, null);
        expect(401, HttpMethod.GET, "/api/v1/geofences/" + id, null, null);
        expect(403, HttpMethod.GET, "/api/v1/geofences/" + id, uavKey, null);

        // A corridor as GET returned it goes back as it is.
        stored.getJsonObject("properties").put("bufferMeters", 300);
        expect(200, HttpMethod.PUT, "/api/v1/geofences/" + stored.getString("id"), operator, stored);
        badRequest("severity", HttpMethod.PUT, "/api/v1/geofences/" + id, operator, square("Port zone")
                .put("properties", new JsonObject().put("name", "Port zone").put("severity", "loud")));
        expect(404, HttpMethod.PUT, "/api/v1/geofences/" + NOWHERE, operator, square("Port zone"));
        expect(401, HttpMethod.PUT, "/api/v1/geofences/" + id, null, square("Port zone"));
        expect(403, HttpMethod.PUT, "/api/v1/geofences/" + id, viewer, square("Port zone"));

        expect(401, HttpMethod.DELETE, "/api/v1/geofences/" + id, null, null);
        expect(403, HttpMethod.DELETE, "/api/v1/geofences/" + id, viewer, null);
        expect(204, HttpMethod.DELETE, "/api/v1/geofences/" + id, operator, null);
        expect(404, HttpMethod.DELETE, "/api/v1/geofences/" + id, operator, null);
    }

    @Test
    @Order(4)
    void alerts() throws Exception {
        String fence = expect(201, HttpMethod.POST, "/api/v1/geofences", operator, square("Checkpoint"))
                .bodyAsJsonObject().getString("id");
        expect(202, HttpMethod.POST, "/api/v1/positions", truckKey, fix("TRK-01", recent(4), 31.60, -106.20));
        expect(202, HttpMethod.POST, "/api/v1/positions", truckKey, fix("TRK-01", recent(3), 31.75, -106.45));

        JsonArray alerts = expect(200, HttpMethod.GET, "/api/v1/alerts?type=enter,exit&unitId=TRK-01&geofenceId="
                + fence + "&since=" + recent(600) + "&limit=10", viewer, null).bodyAsJsonArray();
        assertThat(alerts).hasSize(1);
        String alert = alerts.getJsonObject(0).getString("id");
        expect(200, HttpMethod.GET, "/api/v1/alerts", viewer, null);
        badRequest("limit", HttpMethod.GET, "/api/v1/alerts?limit=0", viewer, null);
        badRequest("type", HttpMethod.GET, "/api/v1/alerts?type=enter,teleport", viewer, null);
        badRequest("geofenceId", HttpMethod.GET, "/api/v1/alerts?geofenceId=7", viewer, null);
        badRequest("since", HttpMethod.GET, "/api/v1/alerts?since=yesterday", viewer, null);
        expect(401, HttpMethod.GET, "/api/v1/alerts", null, null);
        expect(403, HttpMethod.GET, "/api/v1/alerts", uavKey, null);

        badRequest("acked", HttpMethod.GET, "/api/v1/alerts?acked=maybe", viewer, null);
        badRequest("comment", HttpMethod.POST, "/api/v1/alerts/" + alert + "/ack", operator,
                new JsonObject().put("comment", "x".repeat(1001)));
        JsonObject acked = expect(200, HttpMethod.POST, "/api/v1/alerts/" + alert + "/ack", operator,
                new JsonObject().put("comment", "Checked with the patrol")).bodyAsJsonObject();
        assertThat(acked.getString("ackedBy")).isEqualTo("ops1");
        assertThat(acked.getString("comment")).isEqualTo("Checked with the patrol");
        expect(200, HttpMethod.GET, "/api/v1/alerts?acked=true", viewer, null);
        expect(200, HttpMethod.GET, "/api/v1/alerts?type=enter", viewer, null);
        expect(404, HttpMethod.POST, "/api/v1/alerts/" + NOWHERE + "/ack", operator, null);
        expect(404, HttpMethod.POST, "/api/v1/alerts/42/ack", operator, null);
        expect(401, HttpMethod.POST, "/api/v1/alerts/" + alert + "/ack", null, null);
        expect(403, HttpMethod.POST, "/api/v1/alerts/" + alert + "/ack", viewer, null);
    }

    @Test
    @Order(4)
    void sensorsDetectionsAndDispatch() throws Exception {
        String sensorKey = unit("SEN-09", "sensor");
        JsonObject camera = new JsonObject().put("sensor", new JsonObject().put("kind", "camera").put("bearing", 180)
                .put("fovDegrees", 60).put("rangeMeters", 2000));
        expect(200, HttpMethod.PATCH, "/api/v1/units/SEN-09", admin, new JsonObject().put("name", "Camera 9")
                .put("properties", camera));
        badRequest("properties.sensor.kind", HttpMethod.PATCH, "/api/v1/units/SEN-09", admin,
                new JsonObject().put("properties", new JsonObject().put("sensor", new JsonObject().put("kind", "eye"))));
        expect(404, HttpMethod.PATCH, "/api/v1/units/NOPE", admin, new JsonObject().put("name", "x"));
        expect(401, HttpMethod.PATCH, "/api/v1/units/SEN-09", null, new JsonObject().put("name", "x"));
        expect(403, HttpMethod.PATCH, "/api/v1/units/SEN-09", operator, new JsonObject().put("name", "x"));
        expect(202, HttpMethod.POST, "/api/v1/positions", sensorKey, fix("SEN-09", recent(2), 31.74, -106.44));
        JsonArray units = expect(200, HttpMethod.GET, "/api/v1/units", viewer, null).bodyAsJsonObject()
                .getJsonArray("features");
        assertThat(units.stream().map(f -> ((JsonObject) f).getJsonObject("properties"))
                .filter(p -> "SEN-09".equals(p.getString("id"))).findFirst().orElseThrow()
                .getJsonObject("sensor").getString("kind")).isEqualTo("camera");

        JsonObject detection = new JsonObject().put("sensorId", "SEN-09").put("time", recent(1)).put("kind", "person")
                .put("bearing", 180).put("rangeMeters", 800);
        String alert = expect(202, HttpMethod.POST, "/api/v1/detections", sensorKey, detection).bodyAsJsonObject()
                .getString("alertId");
        badRequest("kind", HttpMethod.POST, "/api/v1/detections", sensorKey, detection.copy().put("kind", "?"));
        expect(401, HttpMethod.POST, "/api/v1/detections", null, detection);
        expect(403, HttpMethod.POST, "/api/v1/detections", viewer, detection);
        expect(404, HttpMethod.POST, "/api/v1/detections", operator, detection.copy().put("sensorId", "NOPE"));

        JsonObject sent = expect(200, HttpMethod.POST, "/api/v1/alerts/" + alert + "/assign", operator,
                new JsonObject().put("unitId", "TRK-01")).bodyAsJsonObject();
        assertThat(sent.getString("assignedUnitId")).isEqualTo("TRK-01");
        assertThat(sent.getJsonArray("nearest")).isNotEmpty();
        badRequest("unitId", HttpMethod.POST, "/api/v1/alerts/" + alert + "/assign", operator,
                new JsonObject().put("unitId", "SEN-09"));
        expect(404, HttpMethod.POST, "/api/v1/alerts/" + NOWHERE + "/assign", operator,
                new JsonObject().put("unitId", "TRK-01"));
        expect(401, HttpMethod.POST, "/api/v1/alerts/" + alert + "/assign", null,
                new JsonObject().put("unitId", "TRK-01"));
        expect(403, HttpMethod.POST, "/api/v1/alerts/" + alert + "/assign", viewer,
                new JsonObject().put("unitId", "TRK-01"));
        expect(200, HttpMethod.GET, "/api/v1/alerts?type=detection", viewer, null);
    }

    @Test
    @Order(5)
    void webhooks() throws Exception {
        JsonObject hook = new JsonObject().put("url", "https://soc.example/borderwatch").put("secret", "s3cret-key")
                .put("types", new JsonArray().add("enter").add("exit"));
        String id = expect(201, HttpMethod.POST, "/api/v1/webhooks", admin, hook).bodyAsJsonObject().getString("id");
        String all = expect(201, HttpMethod.POST, "/api/v1/webhooks", admin, hook.copy().put("types", null))
                .bodyAsJsonObject().getString("id");
        badRequest("url", HttpMethod.POST, "/api/v1/webhooks", admin, hook.copy().put("url", "ftp://soc.example/"));
        badRequest("secret", HttpMethod.POST, "/api/v1/webhooks", admin, hook.copy().put("secret", "short"));
        badRequest("types", HttpMethod.POST, "/api/v1/webhooks", admin, hook.copy().put("types", new JsonArray()));
        expect(401, HttpMethod.POST, "/api/v1/webhooks", null, hook);
        expect(403, HttpMethod.POST, "/api/v1/webhooks", operator, hook);

        assertThat(expect(200, HttpMethod.GET, "/api/v1/webhooks", admin, null).bodyAsJsonArray()).hasSize(2);
        expect(401, HttpMethod.GET, "/api/v1/webhooks", null, null);
        expect(403, HttpMethod.GET, "/api/v1/webhooks", viewer, null);

        // One delivery queued as a detector would (its endpoint does not resolve here, so it stays pending).
        node.sql("INSERT INTO webhook_deliveries (webhook_id, alert_id) SELECT $1::uuid, id FROM alerts LIMIT 1", all);
        String deliveries = "/api/v1/webhooks/" + all + "/deliveries";
        assertThat(expect(200, HttpMethod.GET, deliveries, admin, null).bodyAsJsonArray()).hasSize(1);
        expect(200, HttpMethod.GET, deliveries + "?state=pending&limit=5", admin, null);
        assertThat(expect(200, HttpMethod.GET, deliveries + "?state=dead", admin, null).bodyAsJsonArray()).isEmpty();
        badRequest("state", HttpMethod.GET, deliveries + "?state=lost", admin, null);
        badRequest("limit", HttpMethod.GET, deliveries + "?limit=0", admin, null);
        expect(401, HttpMethod.GET, deliveries, null, null);
        expect(403, HttpMethod.GET, deliveries, operator, null);
        expect(404, HttpMethod.GET, "/api/v1/webhooks/" + NOWHERE + "/deliveries", admin, null);
        expect(404, HttpMethod.GET, "/api/v1/webhooks/x/deliveries", admin, null);

        expect(401, HttpMethod.DELETE, "/api/v1/webhooks/" + id, null, null);
        expect(403, HttpMethod.DELETE, "/api/v1/webhooks/" + id, operator, null);
        expect(204, HttpMethod.DELETE, "/api/v1/webhooks/" + id, admin, null);
        expect(404, HttpMethod.DELETE, "/api/v1/webhooks/" + id, admin, null);
        expect(404, HttpMethod.DELETE, "/api/v1/webhooks/x", admin, null);
    }

    @Test
    @Order(5)
    void contacts() throws Exception {
        String radar = unit("RADAR-9", "sensor");
        JsonObject zone = square("Restricted airspace");
        zone.getJsonObject("properties").put("targets", new JsonArray().add("contacts")).put("maxAltitudeMeters", 600)
                .put("contactKinds", new JsonArray().add("aircraft").add("person"));
        expect(201, HttpMethod.POST, "/api/v1/geofences", operator, zone);
        // One fix with every optional field, one with none, crossing into the contacts fence: an alert about it.
        JsonObject outside = new JsonObject().put("source", "radar-9").put("trackId", "12").put("time", recent(20))
                .put("lat", 31.65).put("lon", -106.45).put("kind", "person").put("speed", 1.2).put("heading", 90)
                .put("alt", 1100).put("name", "walker").put("attributes", new JsonObject().put("rcs", 0.4));
        JsonObject inside = new JsonObject().put("source", "radar-9").put("trackId", "12").put("time", recent(10))
                .put("lat", 31.75).put("lon", -106.45);
        expect(202, HttpMethod.POST, "/api/v1/contacts", radar, new JsonArray().add(outside).add(inside));
        expect(202, HttpMethod.POST, "/api/v1/contacts", operator, new JsonObject().put("source", "adsb")
                .put("trackId", "A1B2C3").put("time", recent(5)).put("lat", 31.6).put("lon", -106.3));
        badRequest("lat", HttpMethod.POST, "/api/v1/contacts", admin, inside.copy().put("lat", 95));
        badRequest("body", HttpMethod.POST, "/api/v1/contacts", admin, new Raw("application/json", "[]"));
        expect(401, HttpMethod.POST, "/api/v1/contacts", null, inside);
        expect(403, HttpMethod.POST, "/api/v1/contacts", viewer, inside);
        expect(403, HttpMethod.POST, "/api/v1/contacts", uavKey, inside);
        expect(201, HttpMethod.POST, "/api/v1/agencies", admin, new JsonObject().put("id", "harbour")
                .put("name", "Harbour police"));
        expect(201, HttpMethod.POST, "/api/v1/users", admin, new JsonObject().put("username", "harbour-ops")
                .put("password", "correct-horse-battery").put("role", "operator").put("agency", "harbour"));
        String harbour = call(HttpMethod.POST, "/api/v1/login", null, new JsonObject().put("username", "harbour-ops")
                .put("password", "correct-horse-battery")).bodyAsJsonObject().getString("token");
        expect(409, HttpMethod.POST, "/api/v1/contacts", harbour, inside);

        assertThat(expect(200, HttpMethod.GET, "/api/v1/contacts", viewer, null).bodyAsJsonObject()
                .getJsonArray("features")).hasSize(2);
        expect(200, HttpMethod.GET, "/api/v1/contacts?bbox=-107,31,-106,32&since=" + recent(60) + "&limit=5",
                viewer, null);
        badRequest("bbox", HttpMethod.GET, "/api/v1/contacts?bbox=1,2", viewer, null);
        expect(401, HttpMethod.GET, "/api/v1/contacts", null, null);
        expect(403, HttpMethod.GET, "/api/v1/contacts", radar, null);

        expect(200, HttpMethod.GET, "/api/v1/contacts/radar-9:12/track?from=" + recent(60), viewer, null);
        badRequest("from", HttpMethod.GET, "/api/v1/contacts/radar-9:12/track?from=yesterday", viewer, null);
        expect(401, HttpMethod.GET, "/api/v1/contacts/radar-9:12/track", null, null);
        expect(403, HttpMethod.GET, "/api/v1/contacts/radar-9:12/track", radar, null);
        expect(404, HttpMethod.GET, "/api/v1/contacts/radar-9:12/track", harbour, null);
        expect(404, HttpMethod.GET, "/api/v1/contacts/radar-9:99/track", viewer, null);

        JsonObject alert = expect(200, HttpMethod.GET, "/api/v1/alerts?unitId=radar-9:12", viewer, null)
                .bodyAsJsonArray().getJsonObject(0);
        assertThat(alert.getString("contactId")).isEqualTo("radar-9:12");
    }

    @Test
    @Order(5)
    void agenciesAndShares() throws Exception {
        JsonObject agency = new JsonObject().put("id", "state-police").put("name", "State Police");
        expect(201, HttpMethod.POST, "/api/v1/agencies", admin, agency);
        expect(409, HttpMethod.POST, "/api/v1/agencies", admin, agency);
        badRequest("id", HttpMethod.POST, "/api/v1/agencies", admin, new JsonObject().put("id", "Not An Id")
                .put("name", "x"));
        expect(401, HttpMethod.POST, "/api/v1/agencies", null, agency);
        expect(403, HttpMethod.POST, "/api/v1/agencies", operator, agency);
        expect(200, HttpMethod.GET, "/api/v1/agencies", viewer, null);
        expect(401, HttpMethod.GET, "/api/v1/agencies", null, null);
        expect(403, HttpMethod.GET, "/api/v1/agencies", uavKey, null);

        JsonObject share = expect(201, HttpMethod.POST, "/api/v1/shares", admin, new JsonObject().put("from", "root")
                .put("to", "state-police").put("unitTypes", new JsonArray().add("drone"))).bodyAsJsonObject();
        badRequest("to", HttpMethod.POST, "/api/v1/shares", admin, new JsonObject().put("from", "root")
                .put("to", "nobody"));
        badRequest("unitTypes", HttpMethod.POST, "/api/v1/shares", admin, new JsonObject().put("from", "root")
                .put("to", "state-police").put("unitTypes", new JsonArray().add("tank")));
        expect(401, HttpMethod.POST, "/api/v1/shares", null, share);
        expect(403, HttpMethod.POST, "/api/v1/shares", operator, share);
        expect(200, HttpMethod.GET, "/api/v1/shares", admin, null);
        expect(401, HttpMethod.GET, "/api/v1/shares", null, null);
        expect(403, HttpMethod.GET, "/api/v1/shares", viewer, null);
        expect(401, HttpMethod.DELETE, "/api/v1/shares/" + share.getString("id"), null, null);
        expect(403, HttpMethod.DELETE, "/api/v1/shares/" + share.getString("id"), viewer, null);
        expect(204, HttpMethod.DELETE, "/api/v1/shares/" + share.getString("id"), admin, null);
        expect(404, HttpMethod.DELETE, "/api/v1/shares/" + share.getString("id"), admin, null);
    }

    @Test
    @Order(6)
    void sessionsUsersKeysAndAudit() throws Exception {
        JsonArray users = expect(200, HttpMethod.GET, "/api/v1/users", admin, null).bodyAsJsonArray();
        assertThat(users.encode()).doesNotContain("hash");
        expect(401, HttpMethod.GET, "/api/v1/users", null, null);
        expect(403, HttpMethod.GET, "/api/v1/users", operator, null);

        call(HttpMethod.POST, "/api/v1/users", admin, new JsonObject().put("username", "watch9")
                .put("password", "correct-horse-battery").put("role", "viewer"));
        expect(200, HttpMethod.PATCH, "/api/v1/users/watch9", admin, new JsonObject().put("role", "operator")
                .put("disabled", false));
        badRequest("password", HttpMethod.PATCH, "/api/v1/users/watch9", admin, new JsonObject()
                .put("password", "qwerty123456"));
        badRequest("body", HttpMethod.PATCH, "/api/v1/users/watch9", admin, new JsonObject());
        expect(404, HttpMethod.PATCH, "/api/v1/users/nobody", admin, new JsonObject().put("disabled", true));
        expect(401, HttpMethod.PATCH, "/api/v1/users/watch9", null, new JsonObject().put("disabled", true));
        expect(403, HttpMethod.PATCH, "/api/v1/users/watch9", operator, new JsonObject().put("disabled", true));

        String token = call(HttpMethod.POST, "/api/v1/login", null, new JsonObject().put("username", "watch9")
                .put("password", "correct-horse-battery")).bodyAsJsonObject().getString("token");
        expect(204, HttpMethod.POST, "/api/v1/logout", token, null);
        expect(401, HttpMethod.POST, "/api/v1/logout", token, null);
        expect(403, HttpMethod.POST, "/api/v1/logout", uavKey, null);

        unit("KEY-1", "foot");
        String key = expect(200, HttpMethod.POST, "/api/v1/units/KEY-1/key", admin, null).bodyAsJsonObject()
                .getString("deviceKey");
        assertThat(key).startsWith("bwk_");
        expect(404, HttpMethod.POST, "/api/v1/units/GHOST-1/key", admin, null);
        expect(401, HttpMethod.POST, "/api/v1/units/KEY-1/key", null, null);
        expect(403, HttpMethod.POST, "/api/v1/units/KEY-1/key", operator, null);

        for (int i = 0; i < 5; i++) {
            expect(401, HttpMethod.POST, "/api/v1/login", null, new JsonObject().put("username", "watch9")
                    .put("password", "not-the-password"));
        }
        HttpResponse<Buffer> throttled = expect(429, HttpMethod.POST, "/api/v1/login", null, new JsonObject()
                .put("username", "watch9").put("password", "correct-horse-battery"));
        assertThat(throttled.getHeader("Retry-After")).matches("\\d+");

        long deadline = System.currentTimeMillis() + 10_000;
        JsonArray entries;
        do {
            entries = expect(200, HttpMethod.GET, "/api/v1/audit?since=" + recent(3600) + "&limit=1000", admin, null)
                    .bodyAsJsonArray();
        } while (entries.stream().noneMatch(e -> "unit.key".equals(((JsonObject) e).getString("action")))
                && System.currentTimeMillis() < deadline);
        assertThat(entries.stream().map(e -> ((JsonObject) e).getString("action")))
                .contains("login", "login.failed", "logout", "user.create", "user.update", "unit.key");
        expect(200, HttpMethod.GET, "/api/v1/audit?actor=admin&action=unit.key&limit=5", admin, null);
        badRequest("action", HttpMethod.GET, "/api/v1/audit?action=teleport", admin, null);
        expect(401, HttpMethod.GET, "/api/v1/audit", null, null);
        expect(403, HttpMethod.GET, "/api/v1/audit", viewer, null);
    }

    @Test
    @Order(6)
    void history() throws Exception {
        String window = "from=" + recent(3600) + "&to=" + recent(0);
        String tracks = "/api/v1/history/tracks?unitIds=UAV-07,TRK-01&" + window;
        JsonObject collection = expect(200, HttpMethod.GET, tracks, viewer, null).bodyAsJsonObject();
        assertThat(collection.getJsonArray("features")).hasSize(2);
        expect(200, HttpMethod.GET, tracks + "&simplify=5&format=geojson", viewer, null);
        for (String format : List.of("gpx", "kml", "csv")) {
            assertThat(expect(200, HttpMethod.GET, tracks + "&format=" + format, viewer, null)
                    .getHeader("Content-Disposition")).startsWith("attachment;");
        }
        badRequest("to", HttpMethod.GET, "/api/v1/history/tracks?unitIds=UAV-07&from=" + recent(3600), viewer, null);
        badRequest("format", HttpMethod.GET, tracks + "&format=shp", viewer, null);
        expect(404, HttpMethod.GET, "/api/v1/history/tracks?unitIds=GHOST-1&" + window, viewer, null);
        expect(401, HttpMethod.GET, tracks, null, null);
        expect(403, HttpMethod.GET, tracks, uavKey, null);

        JsonObject zone = new JsonObject().put("geometry", square("Zone").getJsonObject("geometry"))
                .put("from", recent(3600)).put("to", recent(0));
        expect(200, HttpMethod.POST, "/api/v1/history/within", viewer, zone);
        expect(200, HttpMethod.POST, "/api/v1/history/within?format=gpx", viewer, zone);
        expect(200, HttpMethod.POST, "/api/v1/history/within?format=geojson", viewer, zone);
        badRequest("geometry", HttpMethod.POST, "/api/v1/history/within", viewer, zone.copy().put("geometry",
                new JsonObject().put("type", "Point").put("coordinates", new JsonArray().add(-106.4).add(31.7))));
        expect(401, HttpMethod.POST, "/api/v1/history/within", null, zone);
        expect(403, HttpMethod.POST, "/api/v1/history/within", uavKey, zone);

        String replay = "/api/v1/history/replay?" + window;
        assertThat(expect(200, HttpMethod.GET, replay + "&bbox=-107,31,-106,32", viewer, null).bodyAsString())
                .contains("\"unitId\":\"UAV-07\"");
        badRequest("bbox", HttpMethod.GET, replay + "&bbox=west", viewer, null);
        expect(401, HttpMethod.GET, replay, null, null);
        expect(403, HttpMethod.GET, replay, uavKey, null);

        for (String report : List.of("trips", "stops")) {
            String uri = "/api/v1/history/" + report + "?unitId=UAV-07&" + window;
            expect(200, HttpMethod.GET, uri + "&stopSpeed=0.5&stopSeconds=120", viewer, null);
            badRequest("stopSeconds", HttpMethod.GET, uri + "&stopSeconds=-3", viewer, null);
            expect(404, HttpMethod.GET, "/api/v1/history/" + report + "?unitId=GHOST-1&" + window, viewer, null);
            expect(401, HttpMethod.GET, uri, null, null);
            expect(403, HttpMethod.GET, uri, uavKey, null);
        }
    }

    @Test
    @Order(6)
    void healthAndMetrics() throws Exception {
        expect(200, HttpMethod.GET, "/health/live", null, null);
        expect(200, HttpMethod.GET, "/health/ready", null, null);
        assertThat(expect(200, HttpMethod.GET, "/metrics", null, null).bodyAsString()).contains("# TYPE ");
    }

    @Test
    @Order(7)
    void webSockets() throws Exception {
        webSocket(101, "/ws/live?access_token=" + viewer, null);
        webSocket(101, "/ws/live", viewer);
        webSocket(401, "/ws/live", null);
        webSocket(401, "/ws/live?access_token=expired", null);
        webSocket(403, "/ws/live?access_token=" + uavKey, null);
        notAHandshake("/ws/live");

        webSocket(101, "/ws/alerts?types=enter,exit&geofenceId=" + NOWHERE + "&unitId=UAV-07&access_token=" + viewer,
                null);
        webSocket(400, "/ws/alerts?types=teleport&access_token=" + viewer, null);
        webSocket(401, "/ws/alerts", null);
        webSocket(403, "/ws/alerts", uavKey);
        notAHandshake("/ws/alerts");
    }

    /** Every route the sources mount is documented, and every documented route is mounted. */
    @Test
    @Order(8)
    void theDocumentListsExactlyTheMountedRoutes() throws Exception {
        Set<String> mounted = new TreeSet<>();
        try (Stream<java.nio.file.Path> files = Files.walk(SOURCES)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher route = ROUTE.matcher(Files.readString(file));
                while (route.find()) {
                    String path = route.group(2).replaceAll(":(\\w+)", "{$1}");
                    if (route.group(1).equals("route") && path.endsWith("*")) {
                        continue; // body limits, the token gate, error mapping, the web app: not operations
                    }
                    mounted.add(route.group(1).toUpperCase() + " " + path);
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        for (Path path : contract.getPaths()) {
            path.getOperations().forEach(op -> documented.add(op.getHttpMethod().name() + " " + path.getName()));
        }
        assertThat(mounted).as("routes mounted in %s", SOURCES).isNotEmpty();
        assertThat(documented).as("operations in %s", DOCUMENT).containsExactlyInAnyOrderElementsOf(mounted);
    }

    /** Runs last: every documented operation was called, and gave every answer the document lists for it. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyDocumentedAnswerWasSeen() {
        Map<String, Set<Integer>> missing = new TreeMap<>();
        for (Operation operation : contract.operations()) {
            Set<Integer> declared = new TreeSet<>(operation.getOpenAPIModel().getJsonObject("responses").fieldNames()
                    .stream().filter(code -> code.matches("\\d{3}")).map(Integer::valueOf).toList());
            declared.removeAll(NOT_PROVOKED);
            declared.removeAll(seen.getOrDefault(operation.getOperationId(), Set.of()));
            if (!declared.isEmpty()) {
                missing.put(operation.getOperationId(), declared);
            }
        }
        assertThat(missing).as("declared answers no request provoked").isEmpty();
    }
}
