package org.borderwatch.ingest;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.borderwatch.http.ApiException;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The OsmAnd protocol as Traccar's server accepts it, decoded into a device key and a position object in the shape
 * {@link PositionParser#parse(JsonObject, int)} validates (without {@code unitId}: the key names the unit). Two
 * shapes: parameters in the query string and/or a form body (OsmAnd, the classic Traccar Client, most trackers), or
 * the JSON body of the current Traccar Client. Only the syntax is checked here; ranges are PositionParser's.
 *
 * <p>Parameters: {@code id} or {@code deviceid} (the key); {@code lat}+{@code lon} or {@code location=lat,lon};
 * {@code timestamp} as Unix seconds (below 2^31) or milliseconds, ISO-8601 with or without an offset (UTC then) or
 * {@code yyyy-MM-dd HH:mm:ss} (UTC; Traccar reads it in its server's zone); {@code speed} in knots; {@code bearing}
 * or {@code heading} in degrees; {@code altitude}, {@code accuracy} in metres; {@code batt} in percent. A negative
 * speed, bearing, accuracy or battery is the client's "unknown" (iOS sends -1): the field is left out, the fix kept.
 * Known names match in any case. Every other parameter is kept in {@code attributes}: numbers as numbers,
 * {@code true}/{@code false} as booleans, anything else as a string; {@code cell} and {@code wifi} (repeatable) as
 * arrays of strings; {@code notificationToken} is not a property of a fix and is dropped, as Traccar does.
 *
 * <p>JSON (Traccar Client 9+): {@code device_id}, {@code location.timestamp}, {@code location.coords.latitude},
 * {@code longitude}, {@code speed} (m/s, as Traccar reads it), {@code heading}, {@code altitude}, {@code accuracy};
 * {@code location.battery.level} (a fraction, stored as percent like {@code batt}) and {@code is_charging}
 * ({@code charge}); {@code is_moving} ({@code motion}), {@code event}, {@code odometer}, {@code mock},
 * {@code activity.type} ({@code activity}), {@code alarm} and the scalar {@code extras} become attributes, under
 * the names Traccar gives them. A missing timestamp means now, as in Traccar's query form.
 */
public final class OsmAndDecoder {

    /** What one request reported: the device key and the position's fields. */
    public record Decoded(String key, JsonObject position) {
    }

    /** Parameters in the query and body together: far more than any client sends, few enough to stay cheap. */
    static final int MAX_PARAMETERS = 200;
    static final int MAX_ATTRIBUTES = 64;
    static final int MAX_NAME_LENGTH = 64;
    static final int MAX_VALUE_LENGTH = 256;

    private static final double KNOTS_TO_MPS = 1852.0 / 3600.0;
    /** Decimal numbers only: Java's parser would also take "NaN", "Infinity", hex floats and "1d" / "1f". */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");
    private static final DateTimeFormatter SPACED = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').append(DateTimeFormatter.ISO_LOCAL_TIME)
            .toFormatter(Locale.ROOT);
    private static final String TIME_FORMATS = "timestamp must be Unix seconds or milliseconds, ISO-8601 or "
            + "yyyy-MM-dd HH:mm:ss";

    private final Clock clock;

    public OsmAndDecoder(Clock clock) {
        this.clock = clock;
    }

    /**
     * Decodes one request: {@code uri} as received (path and query), the body's content type (may be null) and
     * the body (may be empty). A JSON body (declared, or starting with {@code {}) is the Traccar Client 9 shape;
     * any other body is form parameters, added to those of the query.
     */
    public Decoded decode(String uri, String contentType, Buffer body) {
        Map<String, List<String>> query = parameters(uri, true, "query");
        if (body == null || body.length() == 0) {
            return decodeParameters(query);
        }
        String type = contentType == null ? "" : contentType.trim().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json") || firstNonBlank(body) == '{') {
            return decodeJson(body, query);
        }
        if (type.startsWith("multipart/")) {
            throw new ApiException(415, "multipart bodies are not supported: send a form or JSON", "body", null);
        }
        // Like Traccar, a body that is not JSON is read as form parameters whatever its declared type.
        Map<String, List<String>> form = parameters(body.toString(StandardCharsets.UTF_8), false, "body");
        Map<String, List<String>> all = new LinkedHashMap<>(query);
        form.forEach((name, values) -> all.merge(name, values, (a, b) -> concat(a, b)));
        return decodeParameters(all);
    }

    private static Map<String, List<String>> parameters(String text, boolean hasPath, String where) {
        try {
            // One more than allowed, so that "too many" is told apart from "exactly the limit".
            return new QueryStringDecoder(text, StandardCharsets.UTF_8, hasPath, MAX_PARAMETERS + 1, true)
                    .parameters();
        } catch (IllegalArgumentException badEscape) {
            throw ApiException.badRequest(where + " has a malformed %-escape", where);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static char firstNonBlank(Buffer body) {
        for (int i = 0; i < body.length(); i++) {
            char c = (char) body.getByte(i);
            if (!Character.isWhitespace(c)) {
                return c;
            }
        }
        return ' ';
    }

    private Decoded decodeParameters(Map<String, List<String>> params) {
        if (params.values().stream().mapToInt(List::size).sum() > MAX_PARAMETERS) {
            throw ApiException.badRequest("more than " + MAX_PARAMETERS + " parameters", "attributes");
        }
        JsonObject position = new JsonObject();
        JsonObject attributes = new JsonObject();
        String key = null;
        for (Map.Entry<String, List<String>> entry : params.entrySet()) {
            String name = entry.getKey();
            for (String value : entry.getValue()) {
                if (value.isEmpty()) {
                    continue; // "&speed=&" is a client with nothing to say, not a bad speed
                }
                switch (name.toLowerCase(Locale.ROOT)) {
                    case "id", "deviceid" -> key = sameKey(key, value, name);
                    case "timestamp" -> position.put("time", time(value));
                    case "lat" -> position.put("lat", number(value, name));
                    case "lon" -> position.put("lon", number(value, name));
                    case "location" -> location(position, value, name);
                    case "speed" -> measure(position, "speed", number(value, name), KNOTS_TO_MPS);
                    case "bearing", "heading" -> heading(position, number(value, name));
                    case "altitude" -> position.put("alt", number(value, name));
                    case "accuracy" -> measure(position, "accuracy", number(value, name), 1);
                    case "batt" -> measure(position, "battery", number(value, name), 1);
                    case "hdop" -> attribute(attributes, "hdop", number(value, name));
                    case "charge" -> attribute(attributes, "charge", Boolean.parseBoolean(value));
                    case "valid" -> attribute(attributes, "valid", Boolean.parseBoolean(value) || "1".equals(value));
                    case "driveruniqueid" -> attribute(attributes, "driverUniqueId", value);
                    case "cell", "wifi" -> listed(attributes, name.toLowerCase(Locale.ROOT), value);
                    case "notificationtoken" -> {
                        // Traccar keeps it on the device for push commands; a fix has no use for it.
                    }
                    default -> attribute(attributes, name, typed(value));
                }
            }
        }
        if (key == null) {
            throw ApiException.badRequest("id is required (the device key)", "id");
        }
        return new Decoded(key, finish(position, attributes));
    }

    private Decoded decodeJson(Buffer body, Map<String, List<String>> query) {
        Object root;
        try {
            root = Json.decodeValue(body);
        } catch (DecodeException e) {
            throw ApiException.badRequest("body is not valid JSON", "body");
        }
        if (!(root instanceof JsonObject json)) {
            throw ApiException.badRequest("body must be a JSON object", "body");
        }
        String key = null;
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            for (String value : entry.getValue()) {
                if (!value.isEmpty() && (name.equals("id") || name.equals("deviceid"))) {
                    key = sameKey(key, value, entry.getKey());
                }
            }
        }
        Object deviceId = json.getValue("device_id");
        if (deviceId instanceof String || deviceId instanceof Number) {
            key = sameKey(key, deviceId.toString(), "device_id");
        } else if (deviceId != null) {
            throw ApiException.badRequest("device_id must be a string", "device_id");
        }
        if (key == null || key.isEmpty()) {
            throw ApiException.badRequest("device_id is required (the device key)", "device_id");
        }
        if (!(json.getValue("location") instanceof JsonObject location)) {
            throw ApiException.badRequest("location must be an object", "location");
        }
        JsonObject position = new JsonObject();
        JsonObject attributes = new JsonObject();
        Object timestamp = location.getValue("timestamp");
        if (timestamp instanceof String || timestamp instanceof Number) {
            position.put("time", time(timestamp.toString()));
        } else if (timestamp != null) {
            throw ApiException.badRequest(TIME_FORMATS, "time");
        }
        if (location.getValue("coords") instanceof JsonObject coords) {
            position.put("lat", coords.getValue("latitude"));
            position.put("lon", coords.getValue("longitude"));
            position.put("alt", coords.getValue("altitude"));
            measure(position, "speed", coords.getValue("speed"), 1);
            measure(position, "accuracy", coords.getValue("accuracy"), 1);
            heading(position, coords.getValue("heading"));
        }
        if (location.getValue("battery") instanceof JsonObject battery) {
            battery(position, battery.getValue("level"));
            scalar(attributes, "charge", battery.getValue("is_charging"));
        }
        scalar(attributes, "event", location.getValue("event"));
        scalar(attributes, "motion", location.getValue("is_moving"));
        scalar(attributes, "odometer", location.getValue("odometer"));
        scalar(attributes, "mock", location.getValue("mock"));
        scalar(attributes, "alarm", location.getValue("alarm"));
        if (location.getValue("activity") instanceof JsonObject activity) {
            scalar(attributes, "activity", activity.getValue("type"));
        }
        if (location.getValue("extras") instanceof JsonObject extras) {
            if (extras.size() > MAX_ATTRIBUTES) {
                throw ApiException.badRequest("more than " + MAX_ATTRIBUTES + " attributes", "attributes");
            }
            extras.forEach(extra -> scalar(attributes, extra.getKey(), extra.getValue()));
        }
        return new Decoded(key, finish(position, attributes));
    }

    private JsonObject finish(JsonObject position, JsonObject attributes) {
        position.getMap().values().removeIf(value -> value == null);
        if (!position.containsKey("time")) {
            position.put("time", clock.instant().toString()); // Traccar's rule: no time is the time of arrival
        }
        return attributes.isEmpty() ? position : position.put("attributes", attributes);
    }

    private static String sameKey(String key, String value, String field) {
        if (key != null && !key.equals(value)) {
            throw ApiException.badRequest("id, deviceid and device_id name different devices", field);
        }
        return value;
    }

    private String time(String text) {
        String value = text.trim();
        Instant time;
        try {
            if (WHOLE.matcher(value).matches()) {
                long number = Long.parseLong(value);
                // Traccar's rule: below 2^31 a count of seconds, else of milliseconds.
                time = number < Integer.MAX_VALUE ? Instant.ofEpochSecond(number) : Instant.ofEpochMilli(number);
            } else if (value.indexOf('T') > 0 || value.indexOf('t') > 0) {
                TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(value);
                time = parsed.query(TemporalQueries.zone()) != null
                        ? Instant.from(parsed) : LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
            } else {
                time = LocalDateTime.parse(value, SPACED).toInstant(ZoneOffset.UTC);
            }
        } catch (NumberFormatException | DateTimeException e) {
            throw ApiException.badRequest(TIME_FORMATS, "time");
        }
        return time.toString();
    }

    private static double number(String text, String field) {
        String value = text.trim();
        if (!DECIMAL.matcher(value).matches()) {
            throw ApiException.badRequest(field + " must be a number", field);
        }
        double number = Double.parseDouble(value);
        if (!Double.isFinite(number)) {
            throw ApiException.badRequest(field + " must be a finite number", field);
        }
        return number;
    }

    private static void location(JsonObject position, String value, String field) {
        String[] parts = value.split(",", -1);
        if (parts.length != 2) {
            throw ApiException.badRequest(field + " must be lat,lon", field);
        }
        position.put("lat", number(parts[0], field)).put("lon", number(parts[1], field));
    }

    /**
     * Puts a measurement scaled by {@code factor}, leaving it out when negative (the client's "unknown"). A value
     * that is not a number goes through as it is, for the parser to name it.
     */
    private static void measure(JsonObject position, String field, Object value, double factor) {
        if (value instanceof Number number) {
            double measured = number.doubleValue();
            if (measured < 0) {
                position.remove(field);
            } else {
                position.put(field, measured * factor);
            }
        } else {
            position.put(field, value);
        }
    }

    /** A heading of 360 is north, as 0 is; negative is unknown. */
    private static void heading(JsonObject position, Object value) {
        measure(position, "heading", value, 1);
        if (position.getValue("heading") instanceof Double heading && heading == 360.0) {
            position.put("heading", 0.0);
        }
    }

    /** Traccar Client 9 reports the battery as a fraction of 1 (-1 when unknown); we store percent, as batt. */
    private static void battery(JsonObject position, Object level) {
        if (level == null) {
            return;
        }
        if (!(level instanceof Number number) || number.doubleValue() > 1) {
            throw ApiException.badRequest("battery.level must be a number within [0, 1]", "battery");
        }
        double fraction = number.doubleValue();
        if (fraction >= 0) {
            position.put("battery", Math.round(fraction * 1000) / 10.0);
        }
    }

    /** Numbers as numbers (whole ones as integers), true/false as booleans, anything else as the string it is. */
    private static Object typed(String value) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.valueOf(value);
        }
        String trimmed = value.trim();
        if (INTEGER.matcher(trimmed).matches()) {
            return Long.parseLong(trimmed);
        }
        if (DECIMAL.matcher(trimmed).matches()) {
            double number = Double.parseDouble(trimmed);
            if (Double.isFinite(number)) {
                return number;
            }
        }
        return value;
    }

    /** A JSON scalar as an attribute; objects, arrays and nulls are left out, as Traccar does. */
    private static void scalar(JsonObject attributes, String name, Object value) {
        if (value instanceof String || value instanceof Boolean) {
            attribute(attributes, name, value);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            attribute(attributes, name, ((Number) value).longValue());
        } else if (value instanceof BigInteger big && big.bitLength() < 64) {
            attribute(attributes, name, big.longValue());
        } else if (value instanceof Number number) {
            double real = number.doubleValue();
            if (!Double.isFinite(real)) {
                throw ApiException.badRequest(bounded(name) + " must be a finite number", bounded(name));
            }
            attribute(attributes, name, real);
        }
    }

    private static void listed(JsonObject attributes, String name, String value) {
        if (!(attributes.getValue(name) instanceof JsonArray)) {
            attribute(attributes, name, new JsonArray());
        }
        check(name, value);
        JsonArray list = attributes.getJsonArray(name);
        list.add(value);
    }

    private static void attribute(JsonObject attributes, String name, Object value) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || hasControl(name)) {
            throw ApiException.badRequest("a parameter name is empty, longer than " + MAX_NAME_LENGTH
                    + " characters or holds a control character", "attributes");
        }
        if (value instanceof String text) {
            check(name, text);
        }
        if (!attributes.containsKey(name) && attributes.size() >= MAX_ATTRIBUTES) {
            throw ApiException.badRequest("more than " + MAX_ATTRIBUTES + " attributes", "attributes");
        }
        attributes.put(name, value);
    }

    private static void check(String name, String value) {
        if (value.length() > MAX_VALUE_LENGTH) {
            throw ApiException.badRequest(name + " is longer than " + MAX_VALUE_LENGTH + " characters", name);
        }
        if (hasControl(value)) {
            throw ApiException.badRequest(name + " holds a control character", name);
        }
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    /** A name safe to echo in an error before it has been checked. */
    private static String bounded(String name) {
        String shown = name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) : name;
        return hasControl(shown) ? "attributes" : shown;
    }
}
