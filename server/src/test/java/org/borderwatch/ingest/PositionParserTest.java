package org.borderwatch.ingest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.borderwatch.http.ApiException;
import org.borderwatch.track.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing and validation of position bodies, without a server. */
class PositionParserTest {

    private final PositionParser parser = new PositionParser(
            Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));

    private List<Position> parse(String body) {
        return parser.parse(Buffer.buffer(body), "application/json");
    }

    @Test
    void readsEveryFieldAndKeepsMicroseconds() {
        Position p = parse("""
                {"unitId":"UAV-07","time":"2026-11-25T09:59:59.123456789+01:00","lat":31.5,"lon":-106.25,
                 "alt":10,"speed":3.5,"heading":359.9,"accuracy":4,"battery":80,"attributes":{"k":"v"}}""").get(0);

        assertThat(p.unitId()).isEqualTo("UAV-07");
        assertThat(p.time()).isEqualTo(Instant.parse("2026-11-25T08:59:59.123456Z"));
        assertThat(p.lat()).isEqualTo(31.5);
        assertThat(p.lon()).isEqualTo(-106.25);
        assertThat(p.heading()).isEqualTo(359.9);
        assertThat(p.attributes().getString("k")).isEqualTo("v");
    }

    @Test
    void optionalFieldsMayBeAbsent() {
        Position p = parse("{\"unitId\":\"A\",\"time\":\"2026-11-25T10:00:00Z\",\"lat\":0,\"lon\":0}").get(0);

        assertThat(p.speed()).isNull();
        assertThat(p.heading()).isNull();
        assertThat(p.attributes()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lat      | \"lat\":90.5",
        "lat      | \"lat\":\"north\"",
        "lon      | \"lon\":-180.01",
        "time     | \"time\":\"2026-11-25T10:05:01Z\"",
        "time     | \"time\":1764064800",
        "time     | \"time\":\"1969-12-31T23:59:59Z\"",
        "time     | \"time\":\"-0001-01-01T00:00:00Z\"",
        "speed    | \"speed\":-1",
        "heading  | \"heading\":360",
        "accuracy | \"accuracy\":-3",
        "unitId   | \"unitId\":\"\"",
        "attributes | \"attributes\":[1]",
    })
    void namesTheFieldAndIndexOfTheFirstBadItem(String field, String override) {
        String good = "{\"unitId\":\"A\",\"time\":\"2026-11-25T10:00:00Z\",\"lat\":1,\"lon\":1}";
        String bad = "{\"unitId\":\"A\",\"time\":\"2026-11-25T10:00:00Z\",\"lat\":1,\"lon\":1," + override + "}";

        assertThatThrownBy(() -> parse("[" + good + "," + bad + "]"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.toJson().getString("field")).isEqualTo(field);
                    assertThat(e.toJson().getInteger("index")).isEqualTo(1);
                });
    }

    @Test
    void fiveMinutesAheadIsStillAccepted() {
        assertThat(parse("{\"unitId\":\"A\",\"time\":\"2026-11-25T10:05:00Z\",\"lat\":1,\"lon\":1}")).hasSize(1);
    }

    @Test
    void ndjsonSkipsBlankLinesAndCountsItemsForTheIndex() {
        String body = "{\"unitId\":\"A\",\"time\":\"2026-11-25T10:00:00Z\",\"lat\":1,\"lon\":1}\n\n"
                + "{\"unitId\":\"A\",\"time\":\"2026-11-25T10:00:01Z\",\"lat\":1,\"lon\":1}\n"
                + "not json\n";

        assertThatThrownBy(() -> parser.parse(Buffer.buffer(body), "application/x-ndjson"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.toJson().getString("field")).isEqualTo("body");
                    assertThat(e.toJson().getInteger("index")).isEqualTo(2);
                });
    }

    @Test
    void anEmptyArrayOrAScalarIsNotAPosition() {
        assertThatThrownBy(() -> parse("[]")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> parse("42")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> parse("")).isInstanceOf(ApiException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "null  | 2",
        "[1,2] | 2",
        "7     | 2",
    })
    void anNdjsonLineThatIsNotAnObjectNamesTheBodyAndLine(String line, int index) {
        String item = "{\"unitId\":\"A\",\"time\":\"2026-11-25T10:00:00Z\",\"lat\":1,\"lon\":1}";
        String body = item + "\n" + item + "\n" + line + "\n";

        assertThatThrownBy(() -> parser.parse(Buffer.buffer(body), "application/x-ndjson"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.toJson().getString("field")).isEqualTo("body");
                    assertThat(e.toJson().getInteger("index")).isEqualTo(index);
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "unitId     | \"unitId\":\"A\\u0000\"",
        "unitId     | \"unitId\":\"A\\nB\"",
        "time       | \"time\":\"2026-11-25T10:00:00Z\\u001f\"",
        "attributes | \"attributes\":{\"k\":\"v\\u0000\"}",
        "attributes | \"attributes\":{\"k\\u0007\":1}",
        "attributes | \"attributes\":{\"a\":{\"b\":[\"ok\",\"\\t\"]}}",
        "attributes | \"attributes\":{\"k\":\"\\ud800\"}",
        "attributes | \"attributes\":{\"k\":1e400}",
        "attributes | \"attributes\":{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}",
    })
    void controlCharactersUnpairedSurrogatesAndUnboundedAttributesNameTheirField(String field, String override) {
        String bad = "{\"unitId\":\"A\",\"time\":\"2026-11-25T10:00:00Z\",\"lat\":1,\"lon\":1," + override + "}";

        assertThatThrownBy(() -> parse(bad)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.toJson().getString("field")).isEqualTo(field);
        });
    }

    @Test
    void ndjsonThatIsNotUtf8IsABadBody() {
        byte[] line = ("{\"unitId\":\"A\",\"time\":\"2026-11-25T10:00:00Z\",\"lat\":1,\"lon\":1,"
                + "\"attributes\":{\"k\":\"?\"}}\n").getBytes(StandardCharsets.UTF_8);
        line[line.length - 5] = (byte) 0xC3; // a lead byte with no continuation

        assertThatThrownBy(() -> parser.parse(Buffer.buffer(line), "application/x-ndjson"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.toJson().getString("field")).isEqualTo("body"));
    }

    @Test
    void attributesAreBoundedInKeysAndSize() {
        JsonObject nestedTooMany = new JsonObject().put("a", keys(64));
        JsonObject large = new JsonObject().put("note", "x".repeat(8 * 1024));
        JsonObject fits = new JsonObject().put("a", new JsonObject().put("b", new JsonObject()
                .put("c", new JsonArray().add("deep enough").add(1).add(true)))).put("note", "x".repeat(7 * 1024));

        for (JsonObject attributes : List.of(keys(65), nestedTooMany, large)) {
            assertThatThrownBy(() -> parse(position(attributes)))
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.toJson().getString("field")).isEqualTo("attributes"));
        }
        assertThat(parse(position(keys(64))).get(0).attributes()).hasSize(64);
        assertThat(parse(position(fits)).get(0).attributes()).isEqualTo(fits);
    }

    private static JsonObject keys(int count) {
        JsonObject object = new JsonObject();
        for (int i = 0; i < count; i++) {
            object.put("k" + i, i);
        }
        return object;
    }

    private static String position(JsonObject attributes) {
        return new JsonObject().put("unitId", "A").put("time", "2026-11-25T10:00:00Z").put("lat", 1).put("lon", 1)
                .put("attributes", attributes).encode();
    }
}
