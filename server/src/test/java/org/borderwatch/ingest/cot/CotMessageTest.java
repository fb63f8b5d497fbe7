package org.borderwatch.ingest.cot;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CotMessageTest {

    private static final Instant T = Instant.parse("2026-11-30T10:00:00.123Z");

    @Test
    void anAtakPositionReportKeepsWhoAndWhatItIs() {
        CotEvent event = CotEvent.parse(CotSamples.sample("atak-sa", T));

        JsonObject position = event.toPosition("PV-14");

        assertThat(event.uid()).isEqualTo("ANDROID-589520ccfcd20f01");
        assertThat(event.isAtom()).isTrue();
        assertThat(event.isPing()).isFalse();
        assertThat(position.getString("unitId")).isEqualTo("PV-14");
        assertThat(position.getString("time")).isEqualTo("2026-11-30T10:00:00.123Z");
        assertThat(position.getDouble("lat")).isEqualTo(31.7601);
        assertThat(position.getDouble("lon")).isEqualTo(-106.4502);
        assertThat(position.getDouble("alt")).isEqualTo(1140.2);
        assertThat(position.getDouble("accuracy")).isEqualTo(9.9);
        assertThat(position.getDouble("heading")).isEqualTo(271.5);
        assertThat(position.getDouble("speed")).isEqualTo(12.3);
        assertThat(position.getDouble("battery")).isEqualTo(78.0);
        assertThat(position.getJsonObject("attributes")).isEqualTo(new JsonObject()
                .put("takPlatform", "ATAK-CIV").put("takDevice", "SAMSUNG SM-G998U").put("takOs", "34")
                .put("takVersion", "5.2.0.4 (e5e31b64).1722370813-CIV").put("callsign", "HOTEL 3-1")
                .put("group", "Cyan").put("role", "Team Lead").put("cotType", "a-f-G-U-C").put("how", "h-e")
                .put("cotUid", "ANDROID-589520ccfcd20f01"));
    }

    @Test
    void iTakUnknownCourseAndSpeedAreLeftOutNotRejected() {
        JsonObject position = CotEvent.parse(CotSamples.sample("itak-sa", T)).toPosition("FOOT-3");

        assertThat(position.getValue("speed")).isNull();
        assertThat(position.getValue("heading")).isNull();
        assertThat(position.getDouble("battery")).isEqualTo(64.0);
        assertThat(position.getJsonObject("attributes").getString("callsign")).isEqualTo("VIPER");
        assertThat(position.getJsonObject("attributes").getString("takPlatform")).isEqualTo("iTAK");
    }

    @Test
    void aDeviceKeyUsedAsUidIsNotKeptWithTheFix() {
        String key = "bwk_2Ud9Gm3xQv8LrT5yWc1NfHk7PbZ0sJ4eA6oRiU9dXlE";

        JsonObject position = CotEvent.parse(CotSamples.withUid(CotSamples.sample("atak-sa", T), key))
                .toPosition("PV-14");

        assertThat(position.getJsonObject("attributes").fieldNames()).doesNotContain("cotUid");
        assertThat(position.encode()).doesNotContain(key);
    }

    @Test
    void anAtakPingIsRecognisedAndAdsbcotAircraftParse() {
        assertThat(CotEvent.parse(CotSamples.sample("atak-ping", T)).isPing()).isTrue();

        CotEvent aircraft = CotEvent.parse(CotSamples.sample("adsbcot", T));
        assertThat(aircraft.uid()).isEqualTo("ICAO-A1B2C3");
        assertThat(aircraft.toPosition("X").getDouble("alt")).isEqualTo(3048.0);
        assertThat(aircraft.toPosition("X").getJsonObject("attributes").getString("remarks")).contains("AAL1234");
    }

    @Test
    void theTakStreamingAuthMessage() {
        CotMessage message = CotMessage.parse("<auth><cot username=\"PV-14\" password=\"bwk_secret\" "
                + "uid=\"ANDROID-1\"/></auth>");

        assertThat(message).isEqualTo(new CotMessage.Auth("PV-14", "bwk_secret", "ANDROID-1"));
        assertThat(message.toString()).doesNotContain("bwk_secret");
    }

    @Test
    void badMessagesSayWhatIsWrong() {
        assertThatThrownBy(() -> CotMessage.parse("<chat/>")).hasMessageContaining("<chat>");
        assertThatThrownBy(() -> CotMessage.parse("<event uid='x'><point lat='north' lon='1'/></event>"))
                .hasMessageContaining("lat=\"north\"");
        assertThatThrownBy(() -> CotMessage.parse("<event type='a-f'/>")).hasMessageContaining("no uid");
        assertThatThrownBy(() -> CotMessage.parse("<event uid='x'>")).hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> CotMessage.parse("<!DOCTYPE e [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<event uid='&x;'/>")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CotEvent.parse("<event uid='x'/>").toPosition("U"))
                .hasMessageContaining("no <point");
    }
}
