package org.borderwatch.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/** Request bodies that must be one JSON object, whatever the request's Content-Type claims (see BodyReader). */
public final class JsonBodies {

    private static final int MAX_ECHOED_KEY = 64;

    private JsonBodies() {
    }

    /**
     * The body as a JSON object, or a 400 naming the body. A string PostgreSQL cannot store (NUL, an unpaired
     * surrogate) is a 400 naming the top-level field it sits under, so no route has to meet it as a database error.
     */
    public static JsonObject object(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        Object json;
        try {
            json = body == null || body.length() == 0 ? null : Json.decodeValue(body);
        } catch (DecodeException e) {
            throw ApiException.badRequest("body is not valid JSON", "body");
        }
        if (!(json instanceof JsonObject object)) {
            throw ApiException.badRequest("body must be a JSON object", "body");
        }
        for (Map.Entry<String, Object> entry : object) {
            if (!storable(entry.getKey())) {
                throw ApiException.badRequest("body has a key with a NUL or an unpaired surrogate", "body");
            }
            if (!storable(entry.getValue())) {
                // Keys are client text too: a long one is not echoed back.
                String field = entry.getKey().length() <= MAX_ECHOED_KEY ? entry.getKey() : "body";
                throw ApiException.badRequest(field + " holds a NUL or an unpaired surrogate", field);
            }
        }
        return object;
    }

    private static boolean storable(Object value) {
        if (value instanceof String text) {
            return storable(text);
        }
        if (value instanceof JsonObject object) {
            for (Map.Entry<String, Object> entry : object) {
                if (!storable(entry.getKey()) || !storable(entry.getValue())) {
                    return false;
                }
            }
        } else if (value instanceof JsonArray array) {
            for (Object element : array) {
                if (!storable(element)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether PostgreSQL's text and jsonb can hold {@code text}: no NUL, surrogates only in pairs. */
    public static boolean storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= text.length()
                        || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** Names shown on the map and in lists (units, geofences, agencies): at most this many characters. */
    public static final int MAX_NAME = 200;

    /**
     * A required display name: a string of 1 to {@code max} characters without control characters, trimmed; else a
     * 400 naming {@code field}.
     */
    public static String name(Object value, String field, int max) {
        if (!(value instanceof String text) || text.isBlank()) {
            throw ApiException.badRequest(field + " must be a non-empty string", field);
        }
        String trimmed = text.strip();
        if (trimmed.length() > max) {
            throw ApiException.badRequest(field + " must be at most " + max + " characters", field);
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest(field + " must not contain control characters", field);
        }
        return trimmed;
    }
}
