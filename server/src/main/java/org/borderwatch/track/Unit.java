package org.borderwatch.track;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/** A tracked asset: drone, patrol vehicle, boat, foot patrol, aircraft or fixed sensor, of one agency. */
public record Unit(String id, String name, String type, String deviceKeyHash, String agency) {

    public static final Set<String> TYPES = Set.of("drone", "vehicle", "boat", "foot", "aircraft", "sensor");

    public JsonObject toJson() {
        return new JsonObject().put("id", id).put("name", name).put("type", type).put("agency", agency);
    }

    public JsonObject toBusJson() {
        return toJson().put("deviceKeyHash", deviceKeyHash);
    }

    public static Unit fromBusJson(JsonObject json) {
        return new Unit(json.getString("id"), json.getString("name"), json.getString("type"),
                json.getString("deviceKeyHash"), json.getString("agency"));
    }
}
