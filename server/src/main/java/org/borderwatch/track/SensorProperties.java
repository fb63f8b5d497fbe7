package org.borderwatch.track;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.borderwatch.http.ApiException;

import java.util.Set;

/**
 * A unit's {@code properties} (API.md §10): for a sensor, {@code {"sensor":{"kind","coverage"?,"bearing"?,
 * "fovDegrees"?,"rangeMeters"?}}}, where coverage is a GeoJSON Polygon and a camera or radar looks along bearing
 * over fovDegrees out to rangeMeters. Checked whole, so what the map draws is always drawable.
 */
final class SensorProperties {

    static final Set<String> KINDS = Set.of("seismic", "motion", "camera", "radar");
    private static final int MAX_BYTES = 16 * 1024;
    private static final double MAX_RANGE_METERS = 100_000;

    private SensorProperties() {
    }

    /** The checked properties of a unit of {@code unitType}; a 400 naming the field otherwise. */
    static JsonObject check(Object value, String unitType) {
        if (!(value instanceof JsonObject properties)) {
            throw ApiException.badRequest("properties must be an object", "properties");
        }
        if (properties.toBuffer().length() > MAX_BYTES) {
            throw ApiException.badRequest("properties is larger than " + MAX_BYTES + " bytes as JSON", "properties");
        }
        for (String key : properties.fieldNames()) {
            if (!key.equals("sensor")) {
                throw ApiException.badRequest("properties holds only sensor", "properties");
            }
        }
        Object sensorValue = properties.getValue("sensor");
        if (sensorValue == null) {
            return properties;
        }
        if (!"sensor".equals(unitType)) {
            throw ApiException.badRequest("only a unit of type sensor has properties.sensor", "properties.sensor");
        }
        if (!(sensorValue instanceof JsonObject sensor)) {
            throw ApiException.badRequest("properties.sensor must be an object", "properties.sensor");
        }
        if (!(sensor.getValue("kind") instanceof String kind) || !KINDS.contains(kind)) {
            throw ApiException.badRequest("properties.sensor.kind must be one of " + KINDS, "properties.sensor.kind");
        }
        number(sensor, "bearing", 0, 360, false);
        number(sensor, "fovDegrees", 0, 360, true);
        number(sensor, "rangeMeters", 0, MAX_RANGE_METERS, true);
        if (sensor.getValue("coverage") != null) {
            polygon(sensor.getValue("coverage"));
        }
        for (String key : sensor.fieldNames()) {
            if (!Set.of("kind", "coverage", "bearing", "fovDegrees", "rangeMeters").contains(key)) {
                throw ApiException.badRequest("properties.sensor has no field " + clip(key), "properties.sensor");
            }
        }
        return properties;
    }

    /** An optional number in [min, max) or, when {@code maxIncluded}, (min, max]. */
    private static void number(JsonObject sensor, String field, double min, double max, boolean maxIncluded) {
        Object value = sensor.getValue(field);
        if (value == null) {
            return;
        }
        String name = "properties.sensor." + field;
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            throw ApiException.badRequest(name + " must be a number", name);
        }
        double x = number.doubleValue();
        boolean inside = maxIncluded ? x > min && x <= max : x >= min && x < max;
        if (!inside) {
            throw ApiException.badRequest(name + " must be within " + (maxIncluded ? "(" : "[") + (long) min + ", "
                    + (long) max + (maxIncluded ? "]" : ")"), name);
        }
    }

    /** A GeoJSON Polygon: closed rings of at least four [lon, lat] positions. */
    private static void polygon(Object value) {
        String name = "properties.sensor.coverage";
        if (!(value instanceof JsonObject geometry) || !"Polygon".equals(geometry.getValue("type"))
                || !(geometry.getValue("coordinates") instanceof JsonArray rings) || rings.isEmpty()) {
            throw ApiException.badRequest(name + " must be a GeoJSON Polygon", name);
        }
        for (Object ringValue : rings) {
            if (!(ringValue instanceof JsonArray ring) || ring.size() < 4 || !ring.getValue(0).equals(
                    ring.getValue(ring.size() - 1))) {
                throw ApiException.badRequest(name + " rings must be closed, with at least four positions", name);
            }
            for (Object position : ring) {
                if (!(position instanceof JsonArray xy) || xy.size() < 2
                        || !(xy.getValue(0) instanceof Number lon) || !(xy.getValue(1) instanceof Number lat)
                        || Math.abs(lon.doubleValue()) > 180 || Math.abs(lat.doubleValue()) > 90) {
                    throw ApiException.badRequest(name + " positions must be [lon, lat] numbers", name);
                }
            }
        }
    }

    private static String clip(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
