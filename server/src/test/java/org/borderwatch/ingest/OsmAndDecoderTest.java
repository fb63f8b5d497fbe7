package org.borderwatch.ingest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.assertj.core.data.Offset;
import org.borderwatch.http.ApiException;
import org.borderwatch.ingest.OsmAndTraccarSamples.Sample;
import org.borderwatch.ingest.OsmAndTraccarSamples.Stored;
import org.borderwatch.track.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The OsmAnd decoder on every sample of Traccar's own OsmAndProtocolDecoderTest ({@link OsmAndTraccarSamples}, device
 * ids replaced by a key), then on the shapes Traccar's test leaves out: iOS "unknown" values, {@code location=},
 * {@code deviceid}, times without an offset, and the limits.
 */
class OsmAndDecoderTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String KEY = "bwk_test";
    private static final double KNOT = 1852.0 / 3600.0;

    private final OsmAndDecoder decoder = new OsmAndDecoder(Clock.fixed(NOW, ZoneOffset.UTC));
    private final PositionParser parser = new PositionParser(Clock.fixed(NOW, ZoneOffset.UTC));

    private OsmAndDecoder.Decoded query(String uri) {
        return decoder.decode(uri, null, Buffer.buffer());
    }

    private OsmAndDecoder.Decoded json(String body) {
        return decoder.decode("/", "application/json", Buffer.buffer(body));
    }

    /** One of Traccar's samples as its test sends it, with our key for its device id. */
    private OsmAndDecoder.Decoded decode(Sample sample) {
        String body = sample.body(KEY);
        return decoder.decode(sample.uri(KEY), sample.contentType(), body == null ? Buffer.buffer()
                : Buffer.buffer(body));
    }

    /** The fix as the rest of the server sees it, validated by the one position parser. */
    private Position fix(OsmAndDecoder.Decoded decoded) {
        assertThat(decoded.key()).isEqualTo(KEY);
        return parser.parse(decoded.position().copy().put("unitId", "UAV-01"), 0);
    }

    private static void rejected(Runnable decode, int status, String field) {
        assertThatThrownBy(decode::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.toJson().getString("field")).isEqualTo(field);
        });
    }

    // Traccar's testDecodeQuery

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.borderwatch.ingest.OsmAndTraccarSamples#positions")
    void everyTraccarSampleWithAPositionDecodesToTheRowItStores(Sample sample) {
        Position p = fix(decode(sample));

        Stored expected = sample.stored();
        assertThat(p.time()).isEqualTo(expected.time() == null ? NOW : expected.time());
        assertThat(p.lat()).isEqualTo(expected.lat());
        assertThat(p.lon()).isEqualTo(expected.lon());
        assertThat(p.speed()).isEqualTo(expected.speed());
        assertThat(p.heading()).isEqualTo(expected.heading());
        assertThat(p.alt()).isEqualTo(expected.alt());
        assertThat(p.accuracy()).isEqualTo(expected.accuracy());
        assertThat(p.battery()).isEqualTo(expected.battery());
        assertThat(OsmAndTraccarSamples.normalized(p.attributes() == null ? null : p.attributes().getMap()))
                .isEqualTo(expected.attributes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.borderwatch.ingest.OsmAndTraccarSamples#refusals")
    void everyTraccarSampleWithoutAPositionIsRefusedWithItsField(Sample sample) {
        rejected(() -> fix(decode(sample)), 400, sample.refusedField());
    }

    @Test
    void traccarCellAndWifiWithoutCoordinatesAreKeptButAreNoFix() {
        OsmAndDecoder.Decoded decoded = decode(OsmAndTraccarSamples.CELL_AND_WIFI_ONLY);

        JsonObject attributes = decoded.position().getJsonObject("attributes");
        assertThat(attributes.getJsonArray("cell").getList()).containsExactly("257,02,16,2224", "257,02,16,2223,-90");
        assertThat(attributes.getJsonArray("wifi").getList())
                .containsExactly("00-14-22-01-23-45,-80", "00-1C-B3-09-85-15,-70");
        // Traccar fills in the device's last location; here a report without coordinates is not a fix.
        rejected(() -> fix(decoded), 400, "lat");
    }

    @Test
    void traccarWithoutIdIsRejected() {
        rejected(() -> decode(OsmAndTraccarSamples.WITHOUT_ID), 400, "id");
    }

    @Test
    void traccarIsoTimestampAndHdop() {
        Position p = fix(decode(OsmAndTraccarSamples.ISO_TIME_AND_HDOP));

        assertThat(p.time()).isEqualTo(Instant.parse("2016-01-27T18:55:47Z"));
        assertThat(p.lat()).isEqualTo(42.06288);
        assertThat(p.lon()).isEqualTo(-88.23412);
        assertThat(p.alt()).isEqualTo(224.0);
        assertThat(p.speed()).isEqualTo(0.0);
        assertThat(p.attributes().getValue("hdop")).isEqualTo(6.0);
    }

    @Test
    void traccarMillisecondTimestamp() {
        Position p = fix(decode(OsmAndTraccarSamples.MILLISECOND_TIME));

        assertThat(p.time()).isEqualTo(Instant.ofEpochMilli(1442068686579L));
    }

    @Test
    void traccarSpacedTimestampWithTheIdLast() {
        Position p = fix(decode(OsmAndTraccarSamples.SPACED_TIME_ID_LAST));

        assertThat(p.time()).isEqualTo(Instant.parse("2014-06-04T09:10:11Z"));
        assertThat(p.lat()).isEqualTo(49.60688);
        assertThat(p.lon()).isEqualTo(6.15788);
        assertThat(p.alt()).isEqualTo(384.7);
    }

    @Test
    void traccarClassicClientFields() {
        Position p = fix(decode(OsmAndTraccarSamples.CLASSIC_CLIENT));

        assertThat(p.time()).isEqualTo(Instant.ofEpochSecond(1377177267));
        assertThat(p.lat()).isEqualTo(60.0);
        assertThat(p.lon()).isEqualTo(30.0);
        assertThat(p.heading()).isEqualTo(0.0);
        assertThat(p.alt()).isEqualTo(0.0);
        assertThat(p.attributes().getValue("hdop")).isEqualTo(0.0);
    }

    @Test
    void traccarMinimal() {
        Position p = fix(decode(OsmAndTraccarSamples.MINIMAL));

        assertThat(p.time()).isEqualTo(Instant.ofEpochSecond(1377177267));
        assertThat(p.speed()).isNull();
        assertThat(p.attributes()).isNull();
    }

    @Test
    void traccarDeviceidAndHeadingWithoutTimestamp() {
        Position p = fix(decode(OsmAndTraccarSamples.DEVICEID_WITHOUT_TIME));

        assertThat(p.time()).as("no timestamp: the time of arrival").isEqualTo(NOW);
        assertThat(p.heading()).isEqualTo(0.0);
        assertThat(p.attributes().getValue("vacc")).isEqualTo(0L);
        assertThat(p.attributes().getValue("hacc")).isEqualTo(0L);
    }

    @Test
    void traccarBatteryInPercent() {
        Position p = fix(decode(OsmAndTraccarSamples.BATTERY_WITHOUT_TIME));

        assertThat(p.battery()).isEqualTo(87.0);
        assertThat(p.alt()).isEqualTo(350.059479);
        assertThat(p.lon()).isEqualTo(-0.883333);
    }

    @Test
    void traccarLocationPair() {
        Position p = fix(decode(OsmAndTraccarSamples.LOCATION_PAIR));

        assertThat(p.lat()).isEqualTo(60.0);
        assertThat(p.lon()).isEqualTo(30.0);
    }

    @Test
    void traccarUnknownKeysBecomeTypedAttributesAndSpeedIsKnots() {
        Position p = fix(decode(OsmAndTraccarSamples.IGNITION_RPM_FUEL));

        assertThat(p.speed()).isCloseTo(40 * KNOT, Offset.offset(1e-9));
        assertThat(p.heading()).isEqualTo(7.19889788244);
        assertThat(p.attributes().getMap()).containsEntry("ignition", true).containsEntry("rpm", 933L)
                .containsEntry("fuel", 24L);
    }

    // Traccar's testDecodeJson (Traccar Client 9)

    @Test
    void traccarJsonFromTheCurrentClient() {
        Position p = fix(decode(OsmAndTraccarSamples.JSON_ANDROID));

        assertThat(p.time()).isEqualTo(Instant.parse("2025-06-15T13:45:12.862Z"));
        assertThat(p.lat()).isEqualTo(37.4219983);
        assertThat(p.lon()).isEqualTo(-122.084);
        assertThat(p.accuracy()).isEqualTo(5.0);
        assertThat(p.speed()).isEqualTo(0.0);
        assertThat(p.heading()).as("-1: unknown").isNull();
        assertThat(p.alt()).isEqualTo(5.0);
        assertThat(p.battery()).as("level 1 of 1 is 100 %").isEqualTo(100.0);
        assertThat(p.attributes().getMap()).containsEntry("motion", false).containsEntry("odometer", 0L)
                .containsEntry("event", "motionchange").containsEntry("charge", false)
                .containsEntry("activity", "still").doesNotContainKey("_");
    }

    @Test
    void traccarJsonExtrasKeepTheirTypes() {
        Position p = fix(decode(OsmAndTraccarSamples.JSON_ANDROID_EXTRAS));

        assertThat(p.attributes().getMap()).containsEntry("device_string_test", "long_device_id")
                .containsEntry("device_bool_test", true).containsEntry("device_bool_false_test", false)
                .containsEntry("device_integer_test", 1L).containsEntry("device_integer_twelve_test", 12L)
                .containsEntry("device_double_test", 1.345)
                .containsEntry("device_very_long_double_test", 1763636.3442);
    }

    @Test
    void traccarJsonFromIosWithUnknownSpeedHeadingAndBattery() {
        Position p = fix(decode(OsmAndTraccarSamples.JSON_IOS));

        assertThat(p.time()).isEqualTo(Instant.parse("2025-05-09T04:11:30.579Z"));
        assertThat(p.lat()).isEqualTo(37.785834);
        assertThat(p.lon()).isEqualTo(-122.406417);
        assertThat(p.speed()).isNull();
        assertThat(p.heading()).isNull();
        assertThat(p.battery()).isNull();
        assertThat(p.alt()).isEqualTo(0.0);
        assertThat(p.attributes().getMap()).containsEntry("mock", true).containsEntry("activity", "unknown");
    }

    @Test
    void traccarJsonSpeedIsMetresPerSecondAndBatteryAFraction() {
        Position p = fix(decode(OsmAndTraccarSamples.JSON_SPEED_AND_BATTERY));

        assertThat(p.lat()).isEqualTo(-6.1148096);
        assertThat(p.lon()).isEqualTo(106.6837015);
        assertThat(p.speed()).isEqualTo(18.67);
        assertThat(p.heading()).isEqualTo(63.0);
        assertThat(p.accuracy()).isEqualTo(3.8);
        assertThat(p.alt()).isEqualTo(35.7);
        assertThat(p.battery()).isEqualTo(79.0);
    }

    // Beyond Traccar's test

    @Test
    void iosUnknownSpeedAndBearingAreLeftOutAndTheFixKept() {
        Position p = fix(query("/?id=" + KEY + "&timestamp=1700000000&lat=31.5&lon=-106.4&speed=-1&bearing=-1"
                + "&accuracy=-1&batt=-1&altitude=-12.5"));

        assertThat(p.speed()).isNull();
        assertThat(p.heading()).isNull();
        assertThat(p.accuracy()).isNull();
        assertThat(p.battery()).isNull();
        assertThat(p.alt()).as("below sea level is a height, not unknown").isEqualTo(-12.5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2016-01-27T18:55:47             | 2016-01-27T18:55:47Z",
        "2016-01-27T18:55:47.25          | 2016-01-27T18:55:47.250Z",
        "2016-01-27T20:55:47%2B02:00     | 2016-01-27T18:55:47Z",
        "2016-01-27T18:55:47Z            | 2016-01-27T18:55:47Z",
        "2016-01-27 18:55:47             | 2016-01-27T18:55:47Z",
        "2016-01-27+18:55:47             | 2016-01-27T18:55:47Z",
        "1453920947                      | 2016-01-27T18:55:47Z",
        "1453920947000                   | 2016-01-27T18:55:47Z",
        "2147483647                      | 1970-01-25T20:31:23.647Z",
    })
    void timestamps(String timestamp, String expected) {
        Position p = fix(query("/?id=" + KEY + "&lat=1&lon=2&timestamp=" + timestamp.replace(" ", "%20")));

        assertThat(p.time()).isEqualTo(Instant.parse(expected));
    }

    @Test
    void aHeadingOf360IsNorth() {
        assertThat(fix(query("/?id=" + KEY + "&lat=1&lon=2&heading=360")).heading()).isEqualTo(0.0);
    }

    @Test
    void aFormBodyAddsToTheQueryAndAnyContentTypeIsReadAsAForm() {
        OsmAndDecoder.Decoded form = decoder.decode("/?id=" + KEY, "application/x-www-form-urlencoded",
                Buffer.buffer("lat=31.1&lon=-106.2&ignition=false&note=hello+world"));
        OsmAndDecoder.Decoded plain = decoder.decode("/", "text/plain",
                Buffer.buffer("id=" + KEY + "&lat=31.1&lon=-106.2"));

        assertThat(fix(form).attributes().getMap()).containsEntry("ignition", false)
                .containsEntry("note", "hello world");
        assertThat(fix(plain).lat()).isEqualTo(31.1);
    }

    @Test
    void aJsonBodyIsRecognisedWithoutItsContentTypeAndMayTakeTheKeyFromTheQuery() {
        OsmAndDecoder.Decoded decoded = decoder.decode("/?id=" + KEY, null, Buffer.buffer(
                " {\"location\":{\"coords\":{\"latitude\":1,\"longitude\":2}}}"));

        Position p = fix(decoded);
        assertThat(p.lat()).isEqualTo(1.0);
        assertThat(p.time()).isEqualTo(NOW);
    }

    @Test
    void namesOfKnownFieldsMatchInAnyCase() {
        Position p = fix(query("/?ID=" + KEY + "&Lat=1&LON=2&Speed=1"));

        assertThat(p.lat()).isEqualTo(1.0);
        assertThat(p.speed()).isCloseTo(KNOT, Offset.offset(1e-12));
    }

    @Test
    void numbersThatAreNotDecimalsStayStrings() {
        JsonObject attributes = fix(query("/?id=" + KEY + "&lat=1&lon=2&a=NaN&b=Infinity&c=0x10&d=1f&e=1e400"
                + "&f=12345678901234567890&g=-7&h=.5")).attributes();

        assertThat(attributes.getMap()).containsEntry("a", "NaN").containsEntry("b", "Infinity")
                .containsEntry("c", "0x10").containsEntry("d", "1f").containsEntry("e", "1e400")
                .containsEntry("f", 1.2345678901234567E19).containsEntry("g", -7L).containsEntry("h", 0.5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "400 | id       | /?lat=1&lon=2",
        "400 | lat      | /?id=k&lat=north&lon=2",
        "400 | lat      | /?id=k&lat=NaN&lon=2",
        "400 | lon      | /?id=k&lat=1&lon=Infinity",
        "400 | lat      | /?id=k&lat=1e999&lon=2",
        "400 | location | /?id=k&location=1",
        "400 | location | /?id=k&location=1,2,3",
        "400 | speed    | /?id=k&lat=1&lon=2&speed=fast",
        "400 | time     | /?id=k&lat=1&lon=2&timestamp=yesterday",
        "400 | time     | /?id=k&lat=1&lon=2&timestamp=2016-13-45T99:00:00Z",
        "400 | time     | /?id=k&lat=1&lon=2&timestamp=99999999999999999999",
        "400 | time     | /?id=k&lat=1&lon=2&timestamp=-9223372036854775808",
        "400 | deviceid | /?id=k&deviceid=j&lat=1&lon=2",
        "400 | query    | /?id=k&lat=%zz",
        "400 | ab       | /?id=k&lat=1&lon=2&ab=x%01y",
        "400 | attributes | /?id=k&lat=1&lon=2&x%00y=1",
    })
    void badQueriesNameTheirField(int status, String field, String uri) {
        rejected(() -> query(uri), status, field);
    }

    @Test
    void attributesAreBounded() {
        StringBuilder many = new StringBuilder("/?id=k&lat=1&lon=2");
        for (int i = 0; i <= OsmAndDecoder.MAX_ATTRIBUTES; i++) {
            many.append("&a").append(i).append("=1");
        }
        StringBuilder tooMany = new StringBuilder("/?id=k");
        for (int i = 0; i <= OsmAndDecoder.MAX_PARAMETERS; i++) {
            tooMany.append("&cell=").append(i);
        }

        rejected(() -> query(many.toString()), 400, "attributes");
        rejected(() -> query(tooMany.toString()), 400, "attributes");
        rejected(() -> query("/?id=k&lat=1&lon=2&note=" + "x".repeat(OsmAndDecoder.MAX_VALUE_LENGTH + 1)), 400,
                "note");
        rejected(() -> query("/?id=k&lat=1&lon=2&" + "n".repeat(OsmAndDecoder.MAX_NAME_LENGTH + 1) + "=1"), 400,
                "attributes");
        assertThat(fix(query("/?id=" + KEY + "&lat=1&lon=2&note=" + "x".repeat(OsmAndDecoder.MAX_VALUE_LENGTH)))
                .attributes().getString("note")).hasSize(OsmAndDecoder.MAX_VALUE_LENGTH);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "400 | body      | {\"device_id\":\"k\",",
        "400 | body      | [1,2]",
        "400 | device_id | {\"location\":{}}",
        "400 | device_id | {\"device_id\":{},\"location\":{}}",
        "400 | location  | {\"device_id\":\"k\"}",
        "400 | location  | {\"device_id\":\"k\",\"location\":[]}",
        "400 | time      | {\"device_id\":\"k\",\"location\":{\"timestamp\":\"soon\"}}",
        "400 | time      | {\"device_id\":\"k\",\"location\":{\"timestamp\":true}}",
        "400 | battery   | {\"device_id\":\"k\",\"location\":{\"battery\":{\"level\":87}}}",
        "400 | battery   | {\"device_id\":\"k\",\"location\":{\"battery\":{\"level\":\"full\"}}}",
        "400 | big       | {\"device_id\":\"k\",\"location\":{\"extras\":{\"big\":1e400}}}",
        "400 | body      | {\"device_id\":\"k\",\"location\":{\"coords\":{\"latitude\":NaN}}}",
    })
    void badJsonNamesItsField(int status, String field, String body) {
        rejected(() -> json(body), status, field);
    }

    @Test
    void jsonValuesOfTheWrongTypeAreLeftToThePositionParser() {
        OsmAndDecoder.Decoded decoded = json("{\"device_id\":\"" + KEY + "\",\"location\":{\"coords\":"
                + "{\"latitude\":\"1\",\"longitude\":2,\"speed\":\"fast\"}}}");

        rejected(() -> fix(decoded), 400, "lat");
    }

    @Test
    void multipartIsUnsupported() {
        rejected(() -> decoder.decode("/", "multipart/form-data; boundary=x", Buffer.buffer("--x\r\n")), 415,
                "body");
    }
}
