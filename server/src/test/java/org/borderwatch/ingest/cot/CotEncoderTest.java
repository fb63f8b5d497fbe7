package org.borderwatch.ingest.cot;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class CotEncoderTest {

    private final CotEncoder encoder = new CotEncoder(60);

    private static Element parse(byte[] xml) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        return doc.getDocumentElement();
    }

    @Test
    void aUnitIsAFriendlyAtomOfItsTypeThatGoesStaleWithTheServer() throws Exception {
        JsonObject unit = new JsonObject().put("id", "UAV-07").put("type", "drone").put("lat", 31.76)
                .put("lon", -106.45).put("time", "2026-11-30T10:00:00.123Z").put("speed", 12.5).put("heading", 90.0)
                .put("status", "live");

        Element event = parse(encoder.position(unit, "Raven <7> & \"friends\"").getBytes());

        assertThat(event.getAttribute("uid")).isEqualTo("UAV-07");
        assertThat(event.getAttribute("type")).isEqualTo("a-f-A-M-F-Q");
        assertThat(event.getAttribute("time")).isEqualTo("2026-11-30T10:00:00.123Z");
        assertThat(event.getAttribute("stale")).isEqualTo("2026-11-30T10:01:00.123Z");
        Element point = (Element) event.getElementsByTagName("point").item(0);
        assertThat(point.getAttribute("lat")).isEqualTo("31.76");
        Element contact = (Element) event.getElementsByTagName("contact").item(0);
        assertThat(contact.getAttribute("callsign")).isEqualTo("Raven <7> & \"friends\"");
        Element track = (Element) event.getElementsByTagName("track").item(0);
        assertThat(track.getAttribute("course")).isEqualTo("90.0");
        assertThat(track.getAttribute("speed")).isEqualTo("12.5");
    }

    @Test
    void aGeofenceAlertIsAGeofenceBreachAlarm() throws Exception {
        JsonObject alert = new JsonObject().put("id", "a1").put("type", "enter").put("unitId", "PV-14")
                .put("geofenceId", "f1").put("geofenceName", "El Paso POE").put("severity", "critical")
                .put("time", "2026-11-30T10:00:00.000Z").put("detectedAt", "2026-11-30T10:00:00.250Z")
                .put("lat", 31.76).put("lon", -106.45);

        Element event = parse(encoder.alert(alert, "Patrol 14").getBytes());

        assertThat(event.getAttribute("type")).isEqualTo("b-a-g");
        assertThat(event.getAttribute("uid")).isEqualTo("borderwatch-alert-a1");
        assertThat(((Element) event.getElementsByTagName("link").item(0)).getAttribute("uid")).isEqualTo("PV-14");
        assertThat(event.getElementsByTagName("remarks").item(0).getTextContent())
                .contains("ENTER", "Patrol 14", "El Paso POE", "critical");
        assertThat(parse(encoder.alert(alert.copy().put("type", "lost").put("geofenceId", null), "P").getBytes())
                .getAttribute("type")).isEqualTo("b-a");
    }

    @Test
    void aPongAnswersAPing() throws Exception {
        assertThat(parse(CotEncoder.pong(java.time.Instant.now()).getBytes()).getAttribute("type"))
                .isEqualTo("t-x-c-t-r");
    }
}
