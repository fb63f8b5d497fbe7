package org.borderwatch.geofence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.JsonBodies;
import org.borderwatch.track.Unit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A submitted GeoJSON Feature, checked for everything except geometry validity (PostGIS judges that).
 *
 * @param kind     polygon (Polygon, MultiPolygon), circle (Point + radiusMeters) or corridor (LineString +
 *                 bufferMeters)
 * @param geometry the GeoJSON geometry as text, for ST_GeomFromGeoJSON
 * @param metres   circle radius or corridor half-width; null for polygons
 * @param marginMeters the fence's own hysteresis band; a fix's reported accuracy widens it
 * @param targets  what the fence watches: {@code units}, {@code contacts} or both (API.md §5)
 */
public record GeofenceInput(String kind, String geometry, Double metres, String name, String severity,
                            JsonObject rules, String[] unitTypes, double marginMeters, Schedule schedule,
                            JsonObject properties, String[] targets) {

    static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");
    /** A {@code targets} entry: the fence watches the units that report their own positions. */
    public static final String UNITS = "units";
    /** A {@code targets} entry: the fence watches contacts (radar, camera, ADS-B and AIS tracks). */
    public static final String CONTACTS = "contacts";
    /** The kinds a contact may have, for a contact fence's {@code contactKinds}. */
    public static final Set<String> CONTACT_KINDS = Set.of("person", "vehicle", "vessel", "aircraft");
    /** Highest ceiling a contact fence takes: above any aircraft a border watch floor cares about. */
    static final double MAX_ALTITUDE_METERS = 30_000;
    /** Properties the server owns; everything else the client sent is kept as given. */
    private static final Set<String> DERIVED = Set.of("name", "severity", "rules", "unitTypes", "radiusMeters",
            "bufferMeters", "sourceGeometry", "updatedAt", "revision", "marginMeters", "schedule", "targets");
    static final double MAX_MARGIN_METERS = 10_000;
    /** Properties a fence carries for its owner's own use: stored and returned as they are, bounded. */
    static final int MAX_EXTRA_CHARS = 16 * 1024;

    public static GeofenceInput parse(JsonObject feature) {
        if (!"Feature".equals(feature.getString("type"))) {
            throw ApiException.badRequest("body must be a GeoJSON Feature", "type");
        }
        JsonObject props = objectOrEmpty(feature, "properties", "properties");
        JsonObject geometry = props.getValue("sourceGeometry") instanceof JsonObject source
                ? source : feature.getValue("geometry") instanceof JsonObject g ? g : null;
        if (geometry == null) {
            throw ApiException.badRequest("geometry is required", "geometry");
        }
        String geometryType = String.valueOf(geometry.getValue("type"));
        String kind;
        Double metres = null;
        switch (geometryType) {
            case "Polygon", "MultiPolygon" -> kind = "polygon";
            case "Point" -> {
                kind = "circle";
                metres = positive(props, "radiusMeters");
            }
            case "LineString" -> {
                kind = "corridor";
                metres = positive(props, "bufferMeters");
            }
            default -> throw ApiException.badRequest(
                    "geometry must be Polygon, MultiPolygon, Point (with radiusMeters) or LineString (with "
                            + "bufferMeters)", "geometry");
        }
        String text = JsonBodies.name(props.getValue("name"), "name", JsonBodies.MAX_NAME);
        numbersOnly(geometry.getValue("coordinates"), 0);
        Object severity = props.getValue("severity", "warning");
        if (!(severity instanceof String level) || !SEVERITIES.contains(level)) {
            throw ApiException.badRequest("severity must be info, warning or critical", "severity");
        }
        JsonObject rules = rules(props);
        String[] unitTypes = unitTypes(props);
        Object margin = props.getValue("marginMeters", 0);
        if (!(margin instanceof Number m) || m.doubleValue() < 0 || m.doubleValue() > MAX_MARGIN_METERS) {
            throw ApiException.badRequest("marginMeters must be 0 to " + (int) MAX_MARGIN_METERS, "marginMeters");
        }
        Schedule schedule = Schedule.parse(props.getValue("schedule"));
        String[] targets = targets(props);
        contactLimits(props);
        JsonObject extra = new JsonObject();
        props.forEach(e -> {
            if (!DERIVED.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
            }
        });
        if (extra.encode().length() > MAX_EXTRA_CHARS) {
            throw ApiException.badRequest("other properties must take at most " + MAX_EXTRA_CHARS
                    + " characters as JSON", "properties");
        }
        return new GeofenceInput(kind, geometry.encode(), metres, text.trim(), level, rules, unitTypes,
                m.doubleValue(), schedule, extra, targets);
    }

    /** {@code targets}: a non-empty array of {@code units} and {@code contacts}; absent = units (API.md §5). */
    private static String[] targets(JsonObject props) {
        Object value = props.getValue("targets");
        if (value == null) {
            return new String[] {UNITS};
        }
        if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > 2) {
            throw ApiException.badRequest("targets must be [\"units\"], [\"contacts\"] or both", "targets");
        }
        List<String> targets = new ArrayList<>();
        for (Object target : array) {
            if (!(UNITS.equals(target) || CONTACTS.equals(target)) || targets.contains(target)) {
                throw ApiException.badRequest("targets must be [\"units\"], [\"contacts\"] or both", "targets");
            }
            targets.add((String) target);
        }
        return targets.toArray(String[]::new);
    }

    /**
     * What narrows a contact fence, kept with the other properties: {@code maxAltitudeMeters} (a contact reported
     * higher is not inside: an aircraft over a restricted zone, not in it) and {@code contactKinds}.
     */
    private static void contactLimits(JsonObject props) {
        Object ceiling = props.getValue("maxAltitudeMeters");
        if (ceiling != null && (!(ceiling instanceof Number metres) || !Double.isFinite(metres.doubleValue())
                || metres.doubleValue() < 0 || metres.doubleValue() > MAX_ALTITUDE_METERS)) {
            throw ApiException.badRequest("maxAltitudeMeters must be a number of metres, 0 to "
                    + (int) MAX_ALTITUDE_METERS, "maxAltitudeMeters");
        }
        Object kinds = props.getValue("contactKinds");
        if (kinds != null) {
            if (!(kinds instanceof JsonArray array) || array.isEmpty()
                    || !array.stream().allMatch(CONTACT_KINDS::contains)) {
                throw ApiException.badRequest("contactKinds must be a non-empty array of " + CONTACT_KINDS,
                        "contactKinds");
            }
        }
    }

    /**
     * GeoJSON coordinates are numbers, nested in arrays: anything else (a string, an object, a null) is refused here,
     * where PostGIS would read a quoted number as 0.
     */
    private static void numbersOnly(Object coordinates, int depth) {
        if (depth > 4 || !(coordinates instanceof JsonArray array)) {
            throw ApiException.badRequest("coordinates must be arrays of numbers", "geometry");
        }
        for (Object item : array) {
            if (item instanceof JsonArray) {
                numbersOnly(item, depth + 1);
            } else if (!(item instanceof Number number) || !Double.isFinite(number.doubleValue())) {
                throw ApiException.badRequest("coordinates must be numbers, not " + (item == null ? "null"
                        : item.getClass().getSimpleName()), "geometry");
            }
        }
    }

    private static JsonObject rules(JsonObject props) {
        JsonObject given = objectOrEmpty(props, "rules", "rules");
        JsonObject rules = new JsonObject();
        for (String flag : List.of("enter", "exit")) {
            Object value = given.getValue(flag, true);
            if (!(value instanceof Boolean on)) {
                throw ApiException.badRequest("rules." + flag + " must be true or false", "rules." + flag);
            }
            rules.put(flag, on);
        }
        Object dwell = given.getValue("dwellSeconds");
        if (dwell != null) {
            if (!(dwell instanceof Number seconds) || seconds.doubleValue() != Math.rint(seconds.doubleValue())
                    || seconds.longValue() < 1 || seconds.longValue() > 31 * 86400) {
                throw ApiException.badRequest("rules.dwellSeconds must be a whole number of seconds, 1 to 31 days",
                        "rules.dwellSeconds");
            }
            rules.put("dwellSeconds", seconds.intValue());
        }
        return rules;
    }

    private static String[] unitTypes(JsonObject props) {
        Object value = props.getValue("unitTypes");
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonArray array) || array.isEmpty()) {
            throw ApiException.badRequest("unitTypes must be a non-empty array of unit types", "unitTypes");
        }
        List<String> types = new ArrayList<>();
        for (Object type : array) {
            if (!(type instanceof String t) || !Unit.TYPES.contains(t)) {
                throw ApiException.badRequest("unknown unit type " + type + "; one of " + Unit.TYPES, "unitTypes");
            }
            types.add(t);
        }
        return types.toArray(String[]::new);
    }

    private static Double positive(JsonObject props, String field) {
        Object value = props.getValue(field);
        if (!(value instanceof Number number) || !(number.doubleValue() > 0) || number.doubleValue() > 1_000_000) {
            throw ApiException.badRequest(field + " must be a positive number of metres (at most 1,000 km)", field);
        }
        return number.doubleValue();
    }

    private static JsonObject objectOrEmpty(JsonObject json, String key, String field) {
        Object value = json.getValue(key);
        if (value == null) {
            return new JsonObject();
        }
        if (!(value instanceof JsonObject object)) {
            throw ApiException.badRequest(key + " must be an object", field);
        }
        return object;
    }
}
