package org.borderwatch.ingest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.borderwatch.WireTime;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.JsonBodies;
import org.borderwatch.track.Position;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a request body (one object, an array, or NDJSON) into validated positions. The first invalid item rejects
 * the whole request with its field and index, so nothing of a bad request is ever stored.
 */
public final class PositionParser {

    /** Fixes further ahead than this are a device clock fault, not a position. */
    static final Duration MAX_FUTURE = Duration.ofMinutes(5);
    /** Fixes from before the Unix epoch are a device clock fault too (no receiver reports them). */
    static final Instant EARLIEST = Instant.EPOCH;
    public static final int MAX_ITEMS = 100_000;
    /** Unit ids are at most 64 characters when created; longer ones name no unit and are not echoed back whole. */
    static final int MAX_UNIT_ID = 256;
    /** Attributes travel with every fix to disk and to maps: a few dozen small values, not a document store. */
    static final int MAX_ATTRIBUTE_KEYS = 64;
    static final int MAX_ATTRIBUTE_BYTES = 8 * 1024;
    static final int MAX_ATTRIBUTE_DEPTH = 4;

    private final Clock clock;

    public PositionParser(Clock clock) {
        this.clock = clock;
    }

    public List<Position> parse(Buffer body, String contentType) {
        if (body == null || body.length() == 0) {
            throw ApiException.badRequest("body is empty", "body");
        }
        if (contentType != null && contentType.toLowerCase().startsWith("application/x-ndjson")) {
            return parseNdjson(utf8(body));
        }
        Object json;
        try {
            json = Json.decodeValue(body);
        } catch (DecodeException e) {
            throw ApiException.badRequest("body is not valid JSON", "body");
        }
        if (json instanceof JsonObject object) {
            return List.of(parse(object, 0));
        }
        if (json instanceof JsonArray array) {
            if (array.isEmpty()) {
                throw ApiException.badRequest("no positions in body", "body");
            }
            checkSize(array.size());
            List<Position> positions = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                if (!(array.getValue(i) instanceof JsonObject item)) {
                    throw ApiException.badRequest("item is not an object", "body", i);
                }
                positions.add(parse(item, i));
            }
            return positions;
        }
        throw ApiException.badRequest("body must be a position object or an array of them", "body");
    }

    /** Strictly: the JSON parser refuses bytes that are not UTF-8, so NDJSON must not quietly replace them. */
    private static String utf8(Buffer body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body.getBytes()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("body is not valid UTF-8", "body");
        }
    }

    private List<Position> parseNdjson(String body) {
        List<Position> positions = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int index = positions.size();
            Object item;
            try {
                item = Json.decodeValue(line);
            } catch (DecodeException e) {
                item = null;
            }
            if (!(item instanceof JsonObject object)) {
                throw ApiException.badRequest("line is not a JSON object", "body", index);
            }
            positions.add(parse(object, index));
            checkSize(positions.size());
        }
        if (positions.isEmpty()) {
            throw ApiException.badRequest("no positions in body", "body");
        }
        return positions;
    }

    private static void checkSize(int size) {
        if (size > MAX_ITEMS) {
            throw ApiException.badRequest("more than " + MAX_ITEMS + " positions in one request", "body");
        }
    }

    /** Validates one position object; {@code index} is its place in the request, reported with any error. */
    public Position parse(JsonObject item, int index) {
        Object unitId = item.getValue("unitId");
        if (!(unitId instanceof String id) || id.isBlank()) {
            throw ApiException.badRequest("unitId is required", "unitId", index);
        }
        if (id.length() > MAX_UNIT_ID) {
            throw ApiException.badRequest("unitId is longer than " + MAX_UNIT_ID + " characters", "unitId", index);
        }
        checkText(id, "unitId", index);
        Instant time = time(item.getValue("time"), index);
        double lat = required(item, "lat", index);
        if (lat < -90 || lat > 90) {
            throw ApiException.badRequest("lat must be within [-90, 90]", "lat", index);
        }
        double lon = required(item, "lon", index);
        if (lon < -180 || lon > 180) {
            throw ApiException.badRequest("lon must be within [-180, 180]", "lon", index);
        }
        Double speed = optional(item, "speed", index);
        if (speed != null && speed < 0) {
            throw ApiException.badRequest("speed must not be negative", "speed", index);
        }
        Double heading = optional(item, "heading", index);
        if (heading != null && (heading < 0 || heading >= 360)) {
            throw ApiException.badRequest("heading must be within [0, 360)", "heading", index);
        }
        Double accuracy = optional(item, "accuracy", index);
        if (accuracy != null && accuracy < 0) {
            throw ApiException.badRequest("accuracy must not be negative", "accuracy", index);
        }
        Object attributes = item.getValue("attributes");
        if (attributes != null && !(attributes instanceof JsonObject)) {
            throw ApiException.badRequest("attributes must be an object", "attributes", index);
        }
        if (attributes != null) {
            checkAttributes((JsonObject) attributes, index);
        }
        return new Position(id, time, lat, lon, optional(item, "alt", index), speed, heading, accuracy,
                optional(item, "battery", index), (JsonObject) attributes);
    }

    public Instant time(Object value, int index) {
        if (!(value instanceof String text)) {
            throw ApiException.badRequest("time is required (ISO-8601)", "time", index);
        }
        checkText(text, "time", index);
        Instant time;
        try {
            // PostgreSQL keeps microseconds: truncate here so (unitId, time) means the same in memory and on disk.
            Instant usual = WireTime.parse(text);
            time = usual != null ? usual : OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("time is not ISO-8601 with an offset", "time", index);
        }
        if (time.isAfter(clock.instant().plus(MAX_FUTURE))) {
            throw ApiException.badRequest("time is more than 5 minutes in the future", "time", index);
        }
        if (time.isBefore(EARLIEST)) {
            throw ApiException.badRequest("time is before 1970-01-01T00:00:00Z", "time", index);
        }
        return time;
    }

    public static double required(JsonObject item, String field, int index) {
        Double value = optional(item, field, index);
        if (value == null) {
            throw ApiException.badRequest(field + " is required", field, index);
        }
        return value;
    }

    public static Double optional(JsonObject item, String field, int index) {
        Object value = item.getValue(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number)) {
            throw ApiException.badRequest(field + " must be a number", field, index);
        }
        double result = number.doubleValue();
        if (!Double.isFinite(result)) {
            throw ApiException.badRequest(field + " must be a finite number", field, index);
        }
        // PostgreSQL's double precision holds no subnormal number (1e-320 is "out of range"): it is zero here.
        return Math.abs(result) < Double.MIN_NORMAL ? 0.0 : result;
    }

    /**
     * Strings are stored in text and jsonb columns, which refuse NUL (a whole group commit would fail with it) and
     * unpaired surrogates (no UTF-8 holds them); other control characters are refused too, as API.md §4 says.
     */
    public static void checkText(String text, String field, int index) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < 0x20) {
                throw ApiException.badRequest(field + " must not contain control characters", field, index);
            }
        }
        if (!JsonBodies.storable(text)) {
            throw ApiException.badRequest(field + " contains an unpaired surrogate", field, index);
        }
    }

    public static void checkAttributes(JsonObject attributes, int index) {
        int keys = checkAttributeValue(attributes, 1, 0, index);
        if (keys > MAX_ATTRIBUTE_KEYS) {
            throw ApiException.badRequest("attributes has more than " + MAX_ATTRIBUTE_KEYS + " keys", "attributes",
                    index);
        }
        if (attributes.toBuffer().length() > MAX_ATTRIBUTE_BYTES) {
            throw ApiException.badRequest("attributes is larger than " + MAX_ATTRIBUTE_BYTES + " bytes as JSON",
                    "attributes", index);
        }
    }

    /** Checks one attribute value at {@code depth} (the attributes object is 1); returns the keys seen so far. */
    private static int checkAttributeValue(Object value, int depth, int keys, int index) {
        if (value instanceof String text) {
            checkText(text, "attributes", index);
        } else if (value instanceof Double || value instanceof Float) {
            if (!Double.isFinite(((Number) value).doubleValue())) {
                throw ApiException.badRequest("attributes holds a number out of range", "attributes", index);
            }
        } else if (value instanceof JsonObject || value instanceof JsonArray) {
            if (depth > MAX_ATTRIBUTE_DEPTH) {
                throw ApiException.badRequest("attributes nests deeper than " + MAX_ATTRIBUTE_DEPTH + " levels",
                        "attributes", index);
            }
            if (value instanceof JsonObject object) {
                for (Map.Entry<String, Object> entry : object) {
                    checkText(entry.getKey(), "attributes", index);
                    if (++keys > MAX_ATTRIBUTE_KEYS) {
                        return keys; // reported by the caller, before walking the rest
                    }
                    keys = checkAttributeValue(entry.getValue(), depth + 1, keys, index);
                }
            } else {
                for (Object element : (JsonArray) value) {
                    keys = checkAttributeValue(element, depth + 1, keys, index);
                    if (keys > MAX_ATTRIBUTE_KEYS) {
                        return keys;
                    }
                }
            }
        }
        return keys;
    }
}
