package org.borderwatch.ingest;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import org.assertj.core.data.Offset;
import org.borderwatch.TestNode;
import org.borderwatch.ingest.OsmAndTraccarSamples.Sample;
import org.borderwatch.ingest.OsmAndTraccarSamples.Stored;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request of Traccar's own OsmAnd decoder test, sent as Traccar's test sends it over a real HTTP client to a
 * real node's OsmAnd port, and read back from {@code positions}: each sample with a position is answered 200 and
 * stored with its values; each without one is refused with the field it lacks, and nothing is stored. One node for
 * all samples; each sample reports for a unit of its own, since several share Traccar's times.
 */
class OsmAndTraccarSamplesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Offset<Double> EXACT = Offset.offset(1e-9);

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static TestNode node;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        port = TestNode.freePort();
        node = TestNode.fresh(Map.of("BW_OSMAND_PORT", String.valueOf(port)));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    private static HttpResponse<String> send(Sample sample, String key) throws Exception {
        String body = sample.body(key);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + sample.uri(key)))
                .timeout(TIMEOUT).method(sample.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (sample.contentType() != null) {
            request.header("Content-Type", sample.contentType());
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String unitOf(Sample sample) {
        return "traccar-" + sample.name();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.borderwatch.ingest.OsmAndTraccarSamples#positions")
    void eachSampleWithAPositionIsStoredWithItsValues(Sample sample) throws Exception {
        String unit = unitOf(sample);
        String key = node.createUnit(unit, "vehicle");
        Instant sent = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        HttpResponse<String> response = send(sample, key);

        Instant answered = Instant.now();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        RowSet<Row> rows = node.sql("SELECT time, ST_Y(geom) AS lat, ST_X(geom) AS lon, speed, heading, alt, accuracy, "
                + "battery, attributes::text AS attributes FROM positions WHERE unit_id = $1", unit);
        assertThat(rows.size()).as("rows of " + unit).isEqualTo(1);
        Row row = rows.iterator().next();
        Stored expected = sample.stored();
        Instant time = row.getOffsetDateTime("time").toInstant();
        if (expected.time() == null) {
            assertThat(time).as("no timestamp: the time of arrival").isBetween(sent, answered);
        } else {
            assertThat(time).isEqualTo(expected.time());
        }
        assertThat(row.getDouble("lat")).isEqualTo(expected.lat());
        assertThat(row.getDouble("lon")).isEqualTo(expected.lon());
        measure(row, "speed", expected.speed());
        measure(row, "heading", expected.heading());
        measure(row, "alt", expected.alt());
        measure(row, "accuracy", expected.accuracy());
        measure(row, "battery", expected.battery());
        String attributes = row.getString("attributes");
        assertThat(OsmAndTraccarSamples.normalized(attributes == null ? null : new JsonObject(attributes).getMap()))
                .isEqualTo(expected.attributes());
    }

    private static void measure(Row row, String column, Double expected) {
        if (expected == null) {
            assertThat(row.getDouble(column)).as(column + " not reported").isNull();
        } else {
            assertThat(row.getDouble(column)).as(column).isCloseTo(expected, EXACT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.borderwatch.ingest.OsmAndTraccarSamples#refusals")
    void eachSampleWithoutAPositionIsRefusedWithItsFieldAndNothingStored(Sample sample) throws Exception {
        String key = node.createUnit(unitOf(sample), "vehicle");
        long before = node.count("SELECT count(*) FROM positions");

        HttpResponse<String> response = send(sample, key);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(new JsonObject(response.body()).getString("field")).isEqualTo(sample.refusedField());
        assertThat(node.count("SELECT count(*) FROM positions")).isEqualTo(before);
    }
}
