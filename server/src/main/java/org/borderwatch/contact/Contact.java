package org.borderwatch.contact;

import io.vertx.core.json.JsonObject;
import org.borderwatch.http.ApiException;
import org.borderwatch.ingest.PositionParser;

import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One fix of a contact: an object that carries no tracker, seen by a radar, a camera, an ADS-B receiver or an AIS
 * receiver (API.md §10). A contact is named by its {@code source} and the source's {@code trackId}; its {@link #id()}
 * is both, {@code source:trackId} (e.g. {@code adsb:A1B2C3}, {@code ais:366053209}).
 *
 * @param alt        metres (ADS-B: barometric altitude)
 * @param name       what a map labels it with: a callsign, a vessel name; null when the source gives none
 * @param agency     the agency of the sensor, user or feed that reported it; the contact belongs to it
 * @param reportedBy the sensor's unit id, the user's name or the feed, for the record
 */
public record Contact(String source, String trackId, Instant time, double lat, double lon, Double alt, Double speed,
                      Double heading, String kind, String name, JsonObject attributes, String agency,
                      String reportedBy) {

    public static final Set<String> KINDS = Set.of("person", "vehicle", "vessel", "aircraft");
    /** No colon in a source, so an id splits back at its first colon. */
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final Pattern TRACK_ID = Pattern.compile("[A-Za-z0-9._:/-]{1,64}");
    static final int MAX_NAME = 64;

    public String id() {
        return source + ':' + trackId;
    }

    /** The same fix, owned by {@code owner} as reported by {@code reporter}. */
    public Contact reportedBy(String owner, String reporter) {
        return new Contact(source, trackId, time, lat, lon, alt, speed, heading, kind, name, attributes, owner,
                reporter);
    }

    /** Whether {@code id} is shaped like a contact id ({@code source:trackId}); anything else names no contact. */
    public static boolean isId(String id) {
        int colon = id == null ? -1 : id.indexOf(':');
        return colon > 0 && SOURCE.matcher(id.substring(0, colon)).matches()
                && TRACK_ID.matcher(id.substring(colon + 1)).matches();
    }

    /**
     * Validates one contact object of a request ({@code index} is its place, reported with any error); owner and
     * reporter are left for the caller to set.
     */
    static Contact parse(JsonObject item, int index, PositionParser parser) {
        String source = text(item, "source", SOURCE, "1-32 letters, digits, . _ or -", index);
        String trackId = text(item, "trackId", TRACK_ID, "1-64 letters, digits, . _ : / or -", index);
        Instant time = parser.time(item.getValue("time"), index);
        double lat = PositionParser.required(item, "lat", index);
        if (lat < -90 || lat > 90) {
            throw ApiException.badRequest("lat must be within [-90, 90]", "lat", index);
        }
        double lon = PositionParser.required(item, "lon", index);
        if (lon < -180 || lon > 180) {
            throw ApiException.badRequest("lon must be within [-180, 180]", "lon", index);
        }
        Double speed = PositionParser.optional(item, "speed", index);
        if (speed != null && speed < 0) {
            throw ApiException.badRequest("speed must not be negative", "speed", index);
        }
        Double heading = PositionParser.optional(item, "heading", index);
        if (heading != null && (heading < 0 || heading >= 360)) {
            throw ApiException.badRequest("heading must be within [0, 360)", "heading", index);
        }
        Double alt = PositionParser.optional(item, "alt", index);
        Object kind = item.getValue("kind");
        if (kind != null && !(kind instanceof String k && KINDS.contains(k))) {
            throw ApiException.badRequest("kind must be one of person, vehicle, vessel, aircraft", "kind", index);
        }
        Object name = item.getValue("name");
        if (name != null && !(name instanceof String n && !n.isBlank() && n.length() <= MAX_NAME)) {
            throw ApiException.badRequest("name must be a text of 1-" + MAX_NAME + " characters", "name", index);
        }
        if (name != null) {
            PositionParser.checkText((String) name, "name", index);
        }
        Object attributes = item.getValue("attributes");
        if (attributes != null && !(attributes instanceof JsonObject)) {
            throw ApiException.badRequest("attributes must be an object", "attributes", index);
        }
        if (attributes != null) {
            PositionParser.checkAttributes((JsonObject) attributes, index);
        }
        return new Contact(source, trackId, time, lat, lon, alt, speed, heading, (String) kind,
                name == null ? null : ((String) name).trim(), (JsonObject) attributes, null, null);
    }

    private static String text(JsonObject item, String field, Pattern pattern, String rule, int index) {
        Object value = item.getValue(field);
        if (!(value instanceof String text) || !pattern.matcher(text).matches()) {
            throw ApiException.badRequest(field + " must be " + rule, field, index);
        }
        return text;
    }
}
