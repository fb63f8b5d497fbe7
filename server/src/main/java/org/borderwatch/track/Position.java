package org.borderwatch.track;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** One fix of one unit, validated (API.md §4). Optional fields are null when the device did not report them. */
public record Position(
        String unitId,
        Instant time,
        double lat,
        double lon,
        Double alt,
        Double speed,
        Double heading,
        Double accuracy,
        Double battery,
        JsonObject attributes) {

    /** The clustered-bus form, for forwarding to the unit's owner; keeps the time's microseconds. */
    public JsonObject toJson() {
        return new JsonObject().put("unitId", unitId).put("time", time.toString()).put("lat", lat).put("lon", lon)
                .put("alt", alt).put("speed", speed).put("heading", heading).put("accuracy", accuracy)
                .put("battery", battery).put("attributes", attributes);
    }

    public static Position fromJson(JsonObject json) {
        return new Position(json.getString("unitId"), Instant.parse(json.getString("time")), json.getDouble("lat"),
                json.getDouble("lon"), json.getDouble("alt"), json.getDouble("speed"), json.getDouble("heading"),
                json.getDouble("accuracy"), json.getDouble("battery"), json.getJsonObject("attributes"));
    }
}
