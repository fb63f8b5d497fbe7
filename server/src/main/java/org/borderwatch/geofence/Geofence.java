package org.borderwatch.geofence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * What the evaluation needs to know of a fence: its rules and targeting. Geometry stays in PostGIS, which decides
 * membership.
 *
 * @param dwellSeconds null when the fence raises no dwell alert
 * @param unitTypes    null when the fence applies to every unit type
 * @param marginMeters hysteresis band: a fix must be this far inside to enter, this far outside to exit
 * @param schedule     null when the fence raises alerts at all times
 * @param watchesUnits false for a fence whose {@code targets} are contacts only: no unit is ever inside it
 */
public record Geofence(String id, String name, String severity, boolean enter, boolean exit, Integer dwellSeconds,
                       Set<String> unitTypes, double marginMeters, Schedule schedule, boolean watchesUnits) {

    public Geofence(String id, String name, String severity, boolean enter, boolean exit, Integer dwellSeconds,
                    Set<String> unitTypes) {
        this(id, name, severity, enter, exit, dwellSeconds, unitTypes, 0, null, true);
    }

    public boolean appliesTo(String unitType) {
        return watchesUnits && (unitTypes == null || unitTypes.contains(unitType));
    }

    /** Whether a crossing at {@code time} raises an alert, by the fence's schedule. */
    public boolean alertsAt(Instant time) {
        return schedule == null || schedule.isActive(time);
    }

    /** From a stored feature's properties (the shape of {@link GeofenceStore}'s GeoJSON). */
    public static Geofence fromFeature(JsonObject feature) {
        JsonObject props = feature.getJsonObject("properties", new JsonObject());
        JsonObject rules = props.getJsonObject("rules", new JsonObject());
        JsonArray types = props.getJsonArray("unitTypes");
        Set<String> unitTypes = null;
        if (types != null) {
            unitTypes = new HashSet<>();
            for (Object type : types) {
                unitTypes.add(String.valueOf(type));
            }
        }
        Number margin = (Number) props.getValue("marginMeters", 0);
        JsonArray targets = props.getJsonArray("targets");
        return new Geofence(String.valueOf(feature.getValue("id")), props.getString("name"),
                props.getString("severity"), rules.getBoolean("enter", true), rules.getBoolean("exit", true),
                rules.getInteger("dwellSeconds"), unitTypes == null ? null : Set.copyOf(unitTypes),
                margin.doubleValue(), Schedule.parse(props.getValue("schedule")),
                targets == null || targets.contains(GeofenceInput.UNITS));
    }
}
