package org.borderwatch.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request bodies as clients really send them: {@code curl -d} (JSON labelled as a form), other or no content types,
 * gzip and deflate, and the bodies that must be refused (forms, multipart, corrupt or bomb compression, unknown
 * codings, NUL characters) with a 4xx naming the body or field, never a 500.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestBodiesIT {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Instant BASE = Instant.parse("2026-11-25T00:00:00Z");
    private static final String NOTE = "observation post 7, north ridge, visual on the fence line".repeat(2);

    private TestNode node;
    private String key;

    @BeforeAll
    void startNode() throws Exception {
        node = TestNode.fresh();
        key = node.createUnit("UAV-07", "drone");
    }

    @AfterAll
    void stopNode() throws Exception {
        node.close();
    }

    @BeforeEach
    void emptyPositions() throws Exception {
        node.sql("TRUNCATE positions, unit_state");
    }

    /** {@code count} distinct fixes of UAV-07, one per second from {@link #BASE}. */
    static JsonArray fixes(int count) {
        JsonArray array = new JsonArray();
        for (int i = 0; i < count; i++) {
            array.add(new JsonObject().put("unitId", "UAV-07").put("time", BASE.plusSeconds(i).toString())
                    .put("lat", 31.7 + i * 1e-6).put("lon", -106.4).put("speed", 3.5).put("heading", 90.0)
                    .put("attributes", new JsonObject().put("source", "curl").put("note", NOTE)));
        }
        return array;
    }

    private HttpResponse<Buffer> send(String path, String token, String contentType, String encoding, Buffer body)
            throws Exception {
        HttpRequest<Buffer> request = node.http.post(path);
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        if (contentType != null) {
            request.putHeader("Content-Type", contentType);
        }
        if (encoding != null) {
            request.putHeader("Content-Encoding", encoding);
        }
        return TestNode.await(request.sendBuffer(body));
    }

    private long stored() throws Exception {
        return node.count("SELECT count(*) FROM positions");
    }

    private static void assertNamesBody(HttpResponse<Buffer> response, int status) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
        assertThat(response.getHeader("Content-Type")).startsWith("application/json");
        assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo("body");
    }

    @ParameterizedTest(name = "{0} fixes")
    @ValueSource(ints = {20, 20_000})
    void curlDashDJsonIsAcceptedAlthoughLabelledAsAForm(int count) throws Exception {
        Buffer body = fixes(count).toBuffer();
        assertThat(body.length()).isGreaterThan(count > 1000 ? 5_000_000 : 5_000);

        HttpResponse<Buffer> response = send("/api/v1/positions", key, FORM, null, body);

        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
        assertThat(response.bodyAsJsonObject().getInteger("accepted")).isEqualTo(count);
        assertThat(stored()).isEqualTo(count);
    }

    @Test
    void jsonIsAcceptedWithAnyOrNoContentTypeAndNdjsonStaysNdjson() throws Exception {
        JsonArray fixes = fixes(4);

        HttpResponse<Buffer> plain = send("/api/v1/positions", key, "text/plain; charset=nonsense", null,
                fixes.getJsonObject(0).toBuffer());
        HttpResponse<Buffer> none = send("/api/v1/positions", key, null, null, fixes.getJsonObject(1).toBuffer());
        HttpResponse<Buffer> ndjson = send("/api/v1/positions", key, "application/x-ndjson", null,
                Buffer.buffer(fixes.getJsonObject(2).encode() + "\n" + fixes.getJsonObject(3).encode() + "\n"));

        assertThat(plain.statusCode()).as(plain.bodyAsString()).isEqualTo(202);
        assertThat(none.statusCode()).as(none.bodyAsString()).isEqualTo(202);
        assertThat(ndjson.statusCode()).as(ndjson.bodyAsString()).isEqualTo(202);
        assertThat(ndjson.bodyAsJsonObject().getInteger("accepted")).isEqualTo(2);
        assertThat(stored()).isEqualTo(4);
    }

    @Test
    void aRealFormBodyIsABadBody() throws Exception {
        HttpResponse<Buffer> response = send("/api/v1/positions", key, FORM, null,
                Buffer.buffer("unitId=UAV-07&time=2026-11-25T00:00:00Z&lat=31.7&lon=-106.4"));

        assertNamesBody(response, 400);
        assertThat(stored()).isZero();
    }

    @Test
    void aMultipartBodyIsABadBody() throws Exception {
        HttpResponse<Buffer> response = TestNode.await(node.http.post("/api/v1/positions")
                .bearerTokenAuthentication(key)
                .sendMultipartForm(MultipartForm.create().attribute("unitId", "UAV-07").attribute("lat", "31.7")
                        .textFileUpload("file", "fixes.json", fixes(3).toBuffer(), "application/json")));

        assertNamesBody(response, 400);
        assertThat(stored()).isZero();
    }

    @Test
    void gzipAndDeflateBodiesAreInflated() throws Exception {
        JsonArray fixes = fixes(300);

        HttpResponse<Buffer> gzip = send("/api/v1/positions", key, "application/json", "gzip",
                gzip(Buffer.buffer().appendBuffer(slice(fixes, 0, 100).toBuffer())));
        HttpResponse<Buffer> zlib = send("/api/v1/positions", key, FORM, "deflate",
                deflate(slice(fixes, 100, 200).toBuffer(), false));
        HttpResponse<Buffer> raw = send("/api/v1/positions", key, null, "Deflate",
                deflate(slice(fixes, 200, 250).toBuffer(), true));
        StringBuilder ndjson = new StringBuilder();
        for (int i = 250; i < 300; i++) {
            ndjson.append(fixes.getJsonObject(i).encode()).append('\n');
        }
        HttpResponse<Buffer> gzippedNdjson = send("/api/v1/positions", key, "application/x-ndjson", "x-gzip",
                gzip(Buffer.buffer(ndjson.toString())));

        assertThat(gzip.statusCode()).as(gzip.bodyAsString()).isEqualTo(202);
        assertThat(zlib.statusCode()).as(zlib.bodyAsString()).isEqualTo(202);
        assertThat(raw.statusCode()).as(raw.bodyAsString()).isEqualTo(202);
        assertThat(gzippedNdjson.statusCode()).as(gzippedNdjson.bodyAsString()).isEqualTo(202);
        assertThat(stored()).isEqualTo(300);
        assertThat(node.count("SELECT count(*) FROM positions WHERE attributes->>'source' = 'curl'")).isEqualTo(300);
    }

    @Test
    void corruptOrTruncatedGzipIsABadBody() throws Exception {
        byte[] good = gzip(fixes(50).toBuffer()).getBytes();
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x55;
        byte[] badChecksum = good.clone();
        badChecksum[good.length - 6] ^= 0x01;
        Buffer truncated = Buffer.buffer(good).slice(0, good.length - 20);

        assertNamesBody(send("/api/v1/positions", key, null, "gzip", Buffer.buffer(flipped)), 400);
        assertNamesBody(send("/api/v1/positions", key, null, "gzip", Buffer.buffer(badChecksum)), 400);
        assertNamesBody(send("/api/v1/positions", key, null, "gzip", truncated), 400);
        assertNamesBody(send("/api/v1/positions", key, null, "gzip", fixes(1).toBuffer()), 400);
        assertNamesBody(send("/api/v1/positions", key, null, "deflate", Buffer.buffer("not deflate at all")), 400);
        assertThat(stored()).isZero();
    }

    @Test
    void aGzipBombIsRefusedAsTooLargeWithoutInflatingIt() throws Exception {
        // More zeros than this JVM's whole heap: a server that inflated the body before counting could not answer.
        long inflated = Runtime.getRuntime().maxMemory() + (1L << 30);
        Buffer bomb = gzipOfZeros(inflated);
        assertThat(bomb.length()).isLessThan(16 * 1024 * 1024);

        long started = System.nanoTime();
        HttpResponse<Buffer> response = send("/api/v1/positions", key, "application/json", "gzip", bomb);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertNamesBody(response, 413);
        assertThat(millis).isLessThan(10_000);
        assertThat(stored()).isZero();
        // The connection pool carries on: the next request is served normally.
        assertThat(send("/api/v1/positions", key, null, "gzip", gzip(fixes(2).toBuffer())).statusCode())
                .isEqualTo(202);
    }

    @Test
    void anUnknownContentEncodingIsUnsupported() throws Exception {
        assertNamesBody(send("/api/v1/positions", key, null, "br", fixes(1).toBuffer()), 415);
        assertNamesBody(send("/api/v1/positions", key, null, "gzip, gzip", fixes(1).toBuffer()), 415);
        assertThat(send("/api/v1/positions", key, null, "identity", fixes(1).toBuffer()).statusCode())
                .isEqualTo(202);
        // Without a body there is nothing to decode: a stray header on a GET is no reason to refuse it.
        assertThat(TestNode.await(node.http.get("/api/v1/units").bearerTokenAuthentication(node.adminToken())
                .putHeader("Content-Encoding", "br").send()).statusCode()).isEqualTo(200);
    }

    @Test
    void everyJsonRouteTakesJsonLabelledAsAFormAndRefusesARealForm() throws Exception {
        String admin = node.adminToken();
        JsonObject login = new JsonObject().put("username", "admin").put("password", TestNode.ADMIN_PASSWORD);
        JsonObject user = new JsonObject().put("username", "watch.officer").put("password", "correct horse battery")
                .put("role", "operator");
        JsonObject unit = new JsonObject().put("id", "PV-09").put("name", "Patrol 9").put("type", "vehicle");
        JsonObject fence = new JsonObject().put("type", "Feature")
                .put("geometry", new JsonObject().put("type", "Point")
                        .put("coordinates", new JsonArray().add(-106.4).add(31.7)))
                .put("properties", new JsonObject().put("name", "Gate").put("severity", "warning")
                        .put("radiusMeters", 250).put("rules", new JsonObject().put("enter", true)));
        JsonObject webhook = new JsonObject().put("url", "http://192.0.2.1:9/hook").put("secret", "s3cret-hmac");
        String alert = node.sql("INSERT INTO alerts (type, unit_id, severity, time) "
                + "VALUES ('enter', 'UAV-07', 'warning', now()) RETURNING id::text").iterator().next().getString(0);

        assertThat(send("/api/v1/login", null, FORM, null, login.toBuffer()).statusCode()).isEqualTo(200);
        assertThat(send("/api/v1/users", admin, FORM, null, user.toBuffer()).statusCode()).isEqualTo(201);
        assertThat(send("/api/v1/units", admin, FORM, null, unit.toBuffer()).statusCode()).isEqualTo(201);
        HttpResponse<Buffer> createdFence = send("/api/v1/geofences", admin, FORM, null, fence.toBuffer());
        assertThat(createdFence.statusCode()).as(createdFence.bodyAsString()).isEqualTo(201);
        assertThat(send("/api/v1/webhooks", admin, FORM, null, webhook.toBuffer()).statusCode()).isEqualTo(201);
        HttpResponse<Buffer> ack = send("/api/v1/alerts/" + alert + "/ack", admin, FORM, null,
                new JsonObject().put("comment", "seen").toBuffer());
        assertThat(ack.statusCode()).as(ack.bodyAsString()).isEqualTo(200);
        String fenceId = createdFence.bodyAsJsonObject().getString("id");
        HttpResponse<Buffer> updated = TestNode.await(node.http.put("/api/v1/geofences/" + fenceId)
                .bearerTokenAuthentication(admin).putHeader("Content-Type", FORM)
                .putHeader("Content-Encoding", "gzip").sendBuffer(gzip(fence.toBuffer())));
        assertThat(updated.statusCode()).as(updated.bodyAsString()).isEqualTo(200);

        Buffer form = Buffer.buffer("a=1&b=2");
        for (String path : new String[] {"/api/v1/login", "/api/v1/users", "/api/v1/units", "/api/v1/geofences",
                                         "/api/v1/webhooks"}) {
            assertNamesBody(send(path, admin, FORM, null, form), 400);
        }
        assertThat(node.count("SELECT count(*) FROM units")).isEqualTo(2);
    }

    @Test
    void aNulOrAControlCharacterInAPositionStringNamesItsField() throws Exception {
        JsonObject nulUnit = fixes(1).getJsonObject(0).put("unitId", "UAV-07\u0000");
        JsonObject nulAttribute = fixes(1).getJsonObject(0)
                .put("attributes", new JsonObject().put("note", new JsonObject().put("deep", "a\u0000b")));
        JsonObject nulKey = fixes(1).getJsonObject(0).put("attributes", new JsonObject().put("k\u0000", 1));
        JsonObject tabTime = fixes(1).getJsonObject(0).put("time", "2026-11-25T00:00:00\tZ");
        JsonObject loneSurrogate = fixes(1).getJsonObject(0).put("attributes", new JsonObject().put("k", "\ud800"));

        for (Object[] bad : new Object[][] {{nulUnit, "unitId"}, {nulAttribute, "attributes"},
                                            {nulKey, "attributes"}, {tabTime, "time"},
                                            {loneSurrogate, "attributes"}}) {
            JsonArray body = fixes(2).add(bad[0]);
            HttpResponse<Buffer> response = send("/api/v1/positions", key, FORM, null, body.toBuffer());
            assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
            assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo(bad[1]);
            assertThat(response.bodyAsJsonObject().getInteger("index")).isEqualTo(2);
        }
        assertThat(stored()).isZero();
    }

    @Test
    void aNulInAnyOtherJsonBodyNamesItsFieldInsteadOfFailingInTheDatabase() throws Exception {
        HttpResponse<Buffer> login = send("/api/v1/login", null, null, null,
                Buffer.buffer("{\"username\":\"ad\\u0000min\",\"password\":\"x\"}"));
        HttpResponse<Buffer> webhook = send("/api/v1/webhooks", node.adminToken(), null, null,
                Buffer.buffer("{\"url\":\"https://ops.example.org/h\",\"secret\":\"s3cret-\\u0000hmac\"}"));

        assertThat(login.statusCode()).isEqualTo(400);
        assertThat(login.bodyAsJsonObject().getString("field")).isEqualTo("username");
        assertThat(webhook.statusCode()).isEqualTo(400);
        assertThat(webhook.bodyAsJsonObject().getString("field")).isEqualTo("secret");
    }

    @Test
    void aNulThatOnlyTheDatabaseMeetsIsABadRequestNotAServerError() throws Exception {
        HttpResponse<Buffer> response = node.get("/api/v1/alerts?unitId=UAV%0007", node.adminToken());

        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    }

    private static JsonArray slice(JsonArray array, int from, int to) {
        return new JsonArray(array.getList().subList(from, to));
    }

    static Buffer gzip(Buffer plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain.getBytes());
        }
        return Buffer.buffer(out.toByteArray());
    }

    static Buffer deflate(Buffer plain, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        try (DeflaterOutputStream stream = new DeflaterOutputStream(out, deflater)) {
            stream.write(plain.getBytes());
        } finally {
            deflater.end();
        }
        return Buffer.buffer(out.toByteArray());
    }

    /**
     * A valid gzip stream of {@code size} zero bytes (rounded up to MiB), built without inflating anything: one MiB
     * of zeros compressed with a full flush is a self-contained deflate block, repeated as often as needed.
     */
    static Buffer gzipOfZeros(long size) {
        byte[] zeros = new byte[1 << 20];
        long blocks = (size + zeros.length - 1) / zeros.length;
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] scratch = new byte[64 * 1024];
        deflater.setInput(zeros);
        int blockLength = deflater.deflate(scratch, 0, scratch.length, Deflater.FULL_FLUSH);
        Buffer block = Buffer.buffer().appendBytes(scratch, 0, blockLength);
        deflater.finish();
        int endLength = deflater.deflate(scratch);
        deflater.end();
        CRC32 crc = new CRC32();
        Buffer out = Buffer.buffer((int) (blocks * blockLength + 64))
                .appendBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        for (long i = 0; i < blocks; i++) {
            out.appendBuffer(block);
            crc.update(zeros);
        }
        long total = blocks * zeros.length;
        return out.appendBytes(scratch, 0, endLength)
                .appendIntLE((int) crc.getValue())
                .appendIntLE((int) total);
    }
}
