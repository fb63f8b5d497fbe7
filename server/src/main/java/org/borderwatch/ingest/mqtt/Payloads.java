package org.borderwatch.ingest.mqtt;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * What a position payload may carry past the position parser that PostgreSQL then refuses, failing the whole group
 * commit and the other devices' fixes in it: a NUL character in a string (text and jsonb cannot hold one) and a
 * number below the normal range of doubles (PostGIS arithmetic on it underflows). Until the parser refuses them for
 * every door, the MQTT door does it for its own devices.
 */
final class Payloads {

    private static final List<String> MEASURES = List.of("lat", "lon", "alt", "speed", "heading", "accuracy",
            "battery");

    private Payloads() {
    }

    /** Does any string in {@code value}, key or value at any depth, hold a NUL? */
    static boolean hasNul(Object value) {
        if (value instanceof String text) {
            return text.indexOf('\u0000') >= 0;
        }
        if (value instanceof JsonObject object) {
            for (Map.Entry<String, Object> entry : object) {
                if (hasNul(entry.getKey()) || hasNul(entry.getValue())) {
                    return true;
                }
            }
        }
        if (value instanceof JsonArray array) {
            for (Object item : array) {
                if (hasNul(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Nothing is measured below the smallest normal double: such a measure is zero. */
    static void tinyAsZero(JsonObject position) {
        for (String field : MEASURES) {
            if (position.getValue(field) instanceof Number number && number.doubleValue() != 0
                    && Math.abs(number.doubleValue()) < Double.MIN_NORMAL) {
                position.put(field, 0.0);
            }
        }
    }
}
