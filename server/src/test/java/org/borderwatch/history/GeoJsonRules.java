package org.borderwatch.history;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape rules of RFC 7946 that a track answer can break: a FeatureCollection of Features, each with a geometry
 * (or null) and properties; LineStrings of two or more positions; positions of longitude then latitude (and at most
 * an altitude) in range; no "crs" member (section 4: WGS 84 only). The right-hand rule concerns polygons, which
 * tracks have none of.
 */
final class GeoJsonRules {

    private GeoJsonRules() {
    }

    static void assertFeatureCollection(JsonObject collection) {
        assertThat(collection.getString("type")).isEqualTo("FeatureCollection");
        assertThat(collection.containsKey("crs")).as("crs member (RFC 7946 §4)").isFalse();
        assertThat(collection.getValue("features")).isInstanceOf(JsonArray.class);
        for (Object item : collection.getJsonArray("features")) {
            assertThat(item).isInstanceOf(JsonObject.class);
            assertFeature((JsonObject) item);
        }
    }

    static void assertFeature(JsonObject feature) {
        assertThat(feature.getString("type")).isEqualTo("Feature");
        assertThat(feature.containsKey("geometry")).as("a Feature has a geometry member (§3.2)").isTrue();
        assertThat(feature.containsKey("properties")).as("a Feature has a properties member (§3.2)").isTrue();
        Object id = feature.getValue("id");
        assertThat(id == null || id instanceof String || id instanceof Number).as("id is a string or number")
                .isTrue();
        Object geometry = feature.getValue("geometry");
        if (geometry != null) {
            assertGeometry((JsonObject) geometry);
        }
    }

    static void assertGeometry(JsonObject geometry) {
        assertThat(geometry.containsKey("crs")).isFalse();
        switch (geometry.getString("type")) {
            case "LineString" -> assertLine(geometry.getJsonArray("coordinates"));
            case "MultiLineString" -> {
                JsonArray lines = geometry.getJsonArray("coordinates");
                assertThat(lines).isNotNull();
                lines.forEach(line -> assertLine((JsonArray) line));
            }
            case "Point" -> assertPosition(geometry.getJsonArray("coordinates"));
            default -> throw new AssertionError("unexpected geometry type " + geometry.getString("type"));
        }
    }

    /** §3.1.4: two or more positions. */
    static void assertLine(JsonArray line) {
        assertThat(line).as("a LineString's coordinates").isNotNull();
        assertThat(line.size()).as("positions in a LineString (RFC 7946 §3.1.4)").isGreaterThanOrEqualTo(2);
        line.forEach(position -> assertPosition((JsonArray) position));
    }

    /** §3.1.1 and §4: longitude, latitude[, altitude], in WGS 84 degrees. */
    static void assertPosition(JsonArray position) {
        assertThat(position.size()).isBetween(2, 3);
        position.forEach(number -> assertThat(number).isInstanceOf(Number.class));
        assertThat(position.getDouble(0)).as("longitude first").isBetween(-180.0, 180.0);
        assertThat(position.getDouble(1)).as("latitude second").isBetween(-90.0, 90.0);
    }
}
