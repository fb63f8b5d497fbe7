package org.borderwatch.ingest.mqtt;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadsTest {

    @Test
    void aNulAnywhereIsFound() {
        assertThat(Payloads.hasNul(new JsonObject().put("time", "2026-11-30T10:00:00Z").put("lat", 31.5)
                .put("attributes", new JsonObject().put("a", new JsonArray().add("x").add(1))))).isFalse();
        assertThat(Payloads.hasNul(new JsonObject().put("attributes", new JsonObject().put("a\u0000", 1)))).isTrue();
        assertThat(Payloads.hasNul(new JsonObject().put("attributes", new JsonObject()
                .put("a", new JsonArray().add(new JsonObject().put("b", "c\u0000")))))).isTrue();
        assertThat(Payloads.hasNul(new JsonObject().put("time", "\u00002026"))).isTrue();
    }

    @Test
    void aMeasureBelowTheNormalRangeIsZeroAndOthersAreLeftAlone() {
        JsonObject position = new JsonObject().put("lat", Double.MIN_VALUE).put("lon", -1e-310)
                .put("accuracy", 1e-320).put("alt", 2.3e-308).put("speed", 0).put("heading", "north")
                .put("attributes", new JsonObject().put("tiny", 1e-320));

        Payloads.tinyAsZero(position);

        assertThat(position.getDouble("lat")).isZero();
        assertThat(position.getDouble("lon")).isZero();
        assertThat(position.getDouble("accuracy")).isZero();
        assertThat(position.getDouble("alt")).isEqualTo(2.3e-308);
        assertThat(position.getValue("speed")).isEqualTo(0);
        assertThat(position.getValue("heading")).isEqualTo("north");
        assertThat(position.getJsonObject("attributes").getDouble("tiny")).isEqualTo(1e-320);
    }
}
