package org.borderwatch.history;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.borderwatch.history.HistoryApiIT.T0;
import static org.borderwatch.history.HistoryApiIT.fix;
import static org.borderwatch.history.HistoryApiIT.window;

/**
 * Track and zone exports as investigators take them away (API.md §11): GPX 1.1 and KML 2.2 valid against the
 * official schemas, GeoJSON following RFC 7946's rules, CSV; chosen by {@code ?format=} or {@code Accept}.
 */
class ExportsIT {

    private static final String GPX = "http://www.topografix.com/GPX/1/1";
    private static final String KML = "http://www.opengis.net/kml/2.2";
    private static final String UNITS = "unitIds=UAV-07,PV-01,BOAT-9&" + window(0, 3600);

    private TestNode node;
    private String admin;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.fresh();
        admin = node.adminToken();
        HistoryApiIT.setUpFloor(node);
        node.createUnit("BOAT-9", "boat");
        // A lone fix after a silence makes a third line of one fix; a boat on the antimeridian tests GPX's range.
        HttpResponse<Buffer> posted = node.post("/api/v1/positions", admin, new JsonArray()
                .add(fix("UAV-07", T0.plusSeconds(3000), 31.73, -106.45))
                .add(fix("BOAT-9", T0.plusSeconds(60), 0.5, 180.0).put("alt", 0.000001))
                .add(fix("BOAT-9", T0.plusSeconds(70), 0.5, 179.9999)));
        assertThat(posted.statusCode()).as(posted.bodyAsString()).isEqualTo(202);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private HttpResponse<Buffer> get(String uri, String accept) throws Exception {
        var request = node.http.get(uri).bearerTokenAuthentication(admin);
        if (accept != null) {
            request.putHeader("Accept", accept);
        }
        HttpResponse<Buffer> response = TestNode.await(request.send());
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> children(Element parent, String namespace, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagNameNS(namespace, name);
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
    }

    private static String text(Element parent, String namespace, String name) {
        return children(parent, namespace, name).get(0).getTextContent();
    }

    @Test
    void gpxIsValidGpx11WithATrackPerUnitAndASegmentPerLine() throws Exception {
        HttpResponse<Buffer> response = get("/api/v1/history/tracks?format=gpx&" + UNITS, null);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/gpx+xml");
        assertThat(response.getHeader("Content-Disposition"))
                .isEqualTo("attachment; filename=\"borderwatch-tracks-2026-11-20T080000Z.gpx\"");
        String gpx = response.bodyAsString();
        Schemas.validate(Schemas.gpx(), gpx);

        List<Element> tracks = children(parse(gpx).getDocumentElement(), GPX, "trk");
        assertThat(tracks).extracting(trk -> text(trk, GPX, "name")).containsExactly("BOAT-9", "PV-01", "UAV-07");
        Element drone = tracks.get(2);
        assertThat(text(drone, GPX, "type")).isEqualTo("drone");
        List<Element> segments = children(drone, GPX, "trkseg");
        assertThat(segments).extracting(seg -> children(seg, GPX, "trkpt").size()).containsExactly(60, 30, 1);
        Element point = children(segments.get(0), GPX, "trkpt").get(3);
        assertThat(point.getAttribute("lat")).isEqualTo("31.70001");
        assertThat(point.getAttribute("lon")).isEqualTo(Text.plain(HistoryApiIT.droneLon(3)));
        assertThat(text(point, GPX, "ele")).isEqualTo("120.5");
        assertThat(text(point, GPX, "time")).isEqualTo("2026-11-20T08:00:30.000Z");
        // GPX longitudes stop short of 180: the antimeridian is -180; altitudes are never in exponent form.
        Element boat = children(tracks.get(0), GPX, "trkpt").get(0);
        assertThat(boat.getAttribute("lon")).isEqualTo("-180");
        assertThat(text(boat, GPX, "ele")).isEqualTo("0.000001");

        // Accept chooses the format as well.
        assertThat(get("/api/v1/history/tracks?" + UNITS, "text/html, application/gpx+xml;q=0.9").bodyAsString())
                .isEqualTo(gpx);
    }

    @Test
    void theSchemaCheckWouldCatchAMistake() throws Exception {
        String gpx = get("/api/v1/history/tracks?format=gpx&" + UNITS, null).bodyAsString();
        assertThatThrownBy(() -> Schemas.validate(Schemas.gpx(), gpx.replace("lon=\"-180\"", "lon=\"180\"")))
                .isInstanceOf(SAXException.class);
        String kml = get("/api/v1/history/tracks?format=kml&" + UNITS, null).bodyAsString();
        assertThatThrownBy(() -> Schemas.validate(Schemas.kml(), kml.replace("<begin>", "<start>")
                .replace("</begin>", "</start>"))).isInstanceOf(SAXException.class);
    }

    @Test
    void kmlIsValidKml22WithAPlacemarkPerLineAndItsTimeSpan() throws Exception {
        HttpResponse<Buffer> response = get("/api/v1/history/tracks?format=kml&" + UNITS, null);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/vnd.google-earth.kml+xml");
        String kml = response.bodyAsString();
        Schemas.validate(Schemas.kml(), kml);

        List<Element> folders = children(parse(kml).getDocumentElement(), KML, "Folder");
        assertThat(folders).hasSize(3);
        List<Element> lines = children(folders.get(2), KML, "Placemark");
        assertThat(lines).hasSize(3);
        assertThat(text(lines.get(1), KML, "begin")).isEqualTo("2026-11-20T08:30:00.000Z");
        assertThat(text(lines.get(1), KML, "end")).isEqualTo("2026-11-20T08:34:50.000Z");
        assertThat(text(lines.get(1), KML, "coordinates").split(" ")).hasSize(30)
                .startsWith("-106.5,31.72");
        // One fix between silences is a line of no length: two equal positions.
        assertThat(text(lines.get(2), KML, "coordinates")).isEqualTo("-106.45,31.73 -106.45,31.73");
    }

    @Test
    void geoJsonFollowsRfc7946() throws Exception {
        HttpResponse<Buffer> response = get("/api/v1/history/tracks?format=geojson&" + UNITS, null);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/geo+json");
        JsonObject collection = response.bodyAsJsonObject();
        GeoJsonRules.assertFeatureCollection(collection);
        JsonObject drone = collection.getJsonArray("features").getJsonObject(2);
        JsonArray lines = drone.getJsonObject("geometry").getJsonArray("coordinates");
        JsonArray times = drone.getJsonObject("properties").getJsonArray("times");
        assertThat(lines).hasSize(3);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(times.getJsonArray(i)).hasSameSizeAs(lines.getJsonArray(i));
        }
        assertThat(lines.getJsonArray(2).getList()).hasSize(2);
        assertThat(times.getJsonArray(2).getList()).containsExactly("2026-11-20T08:50:00.000Z",
                "2026-11-20T08:50:00.000Z");

        HttpResponse<Buffer> accepted = get("/api/v1/history/tracks?" + UNITS, "application/geo+json");
        assertThat(accepted.getHeader("Content-Type")).isEqualTo("application/geo+json");
        assertThat(accepted.bodyAsJsonObject()).isEqualTo(collection);
        // Without a format the answer is the same GeoJSON, as plain JSON.
        HttpResponse<Buffer> plain = get("/api/v1/history/tracks?" + UNITS, null);
        assertThat(plain.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(plain.bodyAsJsonObject()).isEqualTo(collection);
    }

    @Test
    void csvHasAHeaderAndARowPerFix() throws Exception {
        HttpResponse<Buffer> response = get("/api/v1/history/tracks?" + UNITS, "text/csv");
        assertThat(response.getHeader("Content-Type")).isEqualTo("text/csv; charset=utf-8");
        String[] rows = response.bodyAsString().split("\r\n");
        assertThat(rows[0]).isEqualTo("unitId,line,time,lat,lon,alt,speed,heading");
        assertThat(rows).hasSize(1 + 2 + 80 + 91);
        assertThat(rows).contains("UAV-07,3,2026-11-20T08:50:00.000Z,31.73,-106.45,,,",
                "PV-01,1,2026-11-20T08:00:00.000Z,31.6,-106.4,,9.5,");
    }

    @Test
    void aZoneExportHoldsTheFixesInsideTheZone() throws Exception {
        JsonObject query = new JsonObject().put("geometry", HistoryApiIT.zone()).put("from", T0.toString())
                .put("to", T0.plusSeconds(3600).toString());
        HttpResponse<Buffer> gpx = TestNode.await(node.http.post("/api/v1/history/within?format=gpx")
                .bearerTokenAuthentication(admin).sendJsonObject(query));
        assertThat(gpx.statusCode()).as(gpx.bodyAsString()).isEqualTo(200);
        Schemas.validate(Schemas.gpx(), gpx.bodyAsString());
        List<Element> tracks = children(parse(gpx.bodyAsString()).getDocumentElement(), GPX, "trk");
        assertThat(tracks).extracting(trk -> text(trk, GPX, "name")).containsExactly("SP-1", "UAV-07");
        assertThat(children(tracks.get(1), GPX, "trkpt")).hasSize(20);

        HttpResponse<Buffer> kml = TestNode.await(node.http.post("/api/v1/history/within")
                .putHeader("Accept", "application/vnd.google-earth.kml+xml")
                .bearerTokenAuthentication(admin).sendJsonObject(query));
        Schemas.validate(Schemas.kml(), kml.bodyAsString());

        String state = node.login("state-watch", HistoryApiIT.PASSWORD);
        HttpResponse<Buffer> theirs = TestNode.await(node.http.post("/api/v1/history/within?format=geojson")
                .bearerTokenAuthentication(state).sendJsonObject(query));
        JsonObject collection = theirs.bodyAsJsonObject();
        GeoJsonRules.assertFeatureCollection(collection);
        assertThat(collection.getJsonArray("features")).extracting(f -> ((JsonObject) f).getString("id"))
                .containsExactly("SP-1");

        HttpResponse<Buffer> bad = TestNode.await(node.http.post("/api/v1/history/within?format=gpx")
                .bearerTokenAuthentication(admin).sendJsonObject(query.copy().put("geometry", new JsonObject()
                        .put("type", "Polygon").put("coordinates", new JsonArray()))));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.getHeader("Content-Type")).isEqualTo("application/json");
    }
}
