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
}
