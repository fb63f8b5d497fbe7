package org.borderwatch.live;

import io.vertx.core.json.JsonObject;

/**
 * A unit's newest position as every map gets it, encoded to JSON at most once however many maps are sent it: with
 * hundreds of maps open, encoding each unit per map was the stream's main cost. Lives on the hub's event loop.
 */
final class EncodedUnit {

    private final JsonObject unit;
    private String json;

    EncodedUnit(JsonObject unit) {
        this.unit = unit;
    }

    JsonObject unit() {
        return unit;
    }

    String json() {
        if (json == null) {
            json = unit.encode();
        }
        return json;
    }
}
