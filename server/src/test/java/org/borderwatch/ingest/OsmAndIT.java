package org.borderwatch.ingest;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.assertj.core.data.Offset;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OsmAnd door with a real HTTP client, in the shapes real clients send: the classic Traccar Client (the query in
 * a POST with an empty body), the current Traccar Client (JSON), OsmAnd's GET and a form post. Every request has a
 * client timeout, so a request the server leaves unanswered fails the test instead of hanging it.
 */
class OsmAndIT {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final double KNOT = 1852.0 / 3600.0;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private TestNode node;
    private int port;
    private String key;

    @BeforeEach
    void start() throws Exception {
        port = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_OSMAND_PORT", String.valueOf(port)));
        key = node.createUnit("UAV-01", "drone");
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private HttpResponse<String> send(String method, String uri, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri))
                .timeout(TIMEOUT).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String uri, String contentType, String body) throws Exception {
        return send("POST", uri, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private Row row(Instant time) throws Exception {
        return node.sql("SELECT ST_Y(geom) AS lat, ST_X(geom) AS lon, speed, heading, alt, accuracy, battery, "
                + "attributes::text AS attributes FROM positions WHERE unit_id = 'UAV-01' AND time = $1",
                time.atOffset(ZoneOffset.UTC)).iterator().next();
    }

    private long stored() throws Exception {
        return node.count("SELECT count(*) FROM positions");
    }

    @Test
    void classicTraccarClientPostsItsQueryWithAnEmptyBody() throws Exception {
        Instant t = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        String query = "/?id=" + key + "&lat=31.7601&lon=-106.4502&speed=10&bearing=271.5&altitude=1140"
                + "&accuracy=6.5&batt=87&hdop=0.9&ignition=true&timestamp=";

        HttpResponse<String> bare = post(query + t.getEpochSecond(), null, "");
        HttpResponse<String> typed = post(query + (t.getEpochSecond() + 1), "application/x-www-form-urlencoded", "");

        assertThat(bare.statusCode()).as(bare.body()).isEqualTo(200);
        assertThat(bare.body()).isEmpty();
        assertThat(typed.statusCode()).as(typed.body()).isEqualTo(200);
        for (Instant time : new Instant[] {t, t.plusSeconds(1)}) {
            Row row = row(time);
            assertThat(row.getDouble("lat")).isEqualTo(31.7601);
            assertThat(row.getDouble("lon")).isEqualTo(-106.4502);
            assertThat(row.getDouble("speed")).as("10 knots in m/s").isCloseTo(10 * KNOT, Offset.offset(1e-9));
            assertThat(row.getDouble("heading")).isEqualTo(271.5);
            assertThat(row.getDouble("alt")).isEqualTo(1140.0);
            assertThat(row.getDouble("accuracy")).isEqualTo(6.5);
            assertThat(row.getDouble("battery")).isEqualTo(87.0);
            assertThat(new JsonObject(row.getString("attributes")).getMap()).containsEntry("hdop", 0.9)
                    .containsEntry("ignition", true);
        }
    }

    @Test
    void currentTraccarClientPostsJson() throws Exception {
        Instant t = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        String body = """
                {"location":{"timestamp":"%s","coords":{"latitude":31.5,"longitude":-106.25,"speed":3.5,\
                "heading":359.5,"altitude":1201.5,"accuracy":4.2},"battery":{"level":0.87,"is_charging":true},\
                "is_moving":true,"odometer":1520,"event":"motionchange","activity":{"type":"in_vehicle"},\
                "extras":{"trip":"A-7"}},"device_id":"%s"}""".formatted(t, key);

        HttpResponse<String> response = post("/", "application/json", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Row row = row(t);
        assertThat(row.getDouble("lat")).isEqualTo(31.5);
        assertThat(row.getDouble("lon")).isEqualTo(-106.25);
        assertThat(row.getDouble("speed")).as("m/s as sent").isEqualTo(3.5);
        assertThat(row.getDouble("heading")).isEqualTo(359.5);
        assertThat(row.getDouble("alt")).isEqualTo(1201.5);
        assertThat(row.getDouble("accuracy")).isEqualTo(4.2);
        assertThat(row.getDouble("battery")).as("percent").isEqualTo(87.0);
        assertThat(new JsonObject(row.getString("attributes")).getMap()).containsEntry("charge", true)
                .containsEntry("motion", true).containsEntry("odometer", 1520).containsEntry("event", "motionchange")
                .containsEntry("activity", "in_vehicle").containsEntry("trip", "A-7");
    }

    @Test
    void osmAndGetAndAFormPost() throws Exception {
        Instant t = Instant.now().minusSeconds(90).truncatedTo(ChronoUnit.SECONDS);
        String local = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(t);
        String spaced = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC)
                .format(t.plusSeconds(1));

        HttpResponse<String> get = send("GET", "/?deviceid=" + key + "&location=31.1,-106.1&heading=360&speed=-1"
                + "&timestamp=" + local, null, null);
        HttpResponse<String> form = post("/", "application/x-www-form-urlencoded", "id=" + key
                + "&lat=31.2&lon=-106.2&timestamp=" + URLEncoder.encode(spaced, StandardCharsets.UTF_8)
                + "&note=" + URLEncoder.encode("gate 4 & road", StandardCharsets.UTF_8));

        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
        Row first = row(t);
        assertThat(first.getDouble("lat")).isEqualTo(31.1);
        assertThat(first.getDouble("heading")).as("360 is north").isEqualTo(0.0);
        assertThat(first.getDouble("speed")).as("-1 is unknown").isNull();
        Row second = row(t.plusSeconds(1));
        assertThat(second.getDouble("lon")).isEqualTo(-106.2);
        assertThat(new JsonObject(second.getString("attributes")).getString("note")).isEqualTo("gate 4 & road");
    }

    @Test
    void badRequestsAreAnsweredWithTheirFieldAndStoreNothing() throws Exception {
        String fix = "&lat=31&lon=-106";

        HttpResponse<String> unknown = send("GET", "/?id=bwk_nope" + fix, null, null);
        HttpResponse<String> missing = post("/?lat=31&lon=-106", null, "");
        HttpResponse<String> badLat = send("GET", "/?id=" + key + "&lat=91&lon=-106", null, null);
        HttpResponse<String> notNumber = post("/", "application/x-www-form-urlencoded", "id=" + key
                + "&lat=north&lon=-106");
        HttpResponse<String> truncated = post("/", "application/json", "{\"device_id\":\"" + key + "\",\"loc");
        HttpResponse<String> put = send("PUT", "/?id=" + key + fix, null, null);
        byte[] big = ("id=" + key + fix + "&pad=" + "x".repeat(OsmAndVerticle.MAX_BODY_BYTES))
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> tooLarge = send("POST", "/", "application/x-www-form-urlencoded", big);
        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/?id=" + key + fix)).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(missing.body()).getString("field")).isEqualTo("id");
        assertThat(badLat.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(badLat.body()).getMap()).containsEntry("field", "lat").doesNotContainKey("index");
        assertThat(notNumber.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(notNumber.body()).getString("field")).isEqualTo("lat");
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(truncated.body()).getString("field")).isEqualTo("body");
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(new JsonObject(tooLarge.body()).getString("field")).isEqualTo("body");
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(stored()).isZero();

        HttpResponse<String> after = send("GET", "/?id=" + key + fix, null, null);
        assertThat(after.statusCode()).as("the door still serves after the refusals").isEqualTo(200);
        assertThat(stored()).isEqualTo(1);
    }

    @Test
    void aFullIngestQueueAsksTheDeviceToRetry() throws Exception {
        node.close();
        node = TestNode.fresh(Map.of("BW_OSMAND_PORT", String.valueOf(port), "BW_QUEUE_MAX", "0"));
        key = node.createUnit("UAV-01", "drone");

        HttpResponse<String> response = post("/?id=" + key + "&lat=31&lon=-106", null, "");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(stored()).isZero();
    }
}
