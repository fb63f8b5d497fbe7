package org.borderwatch.geofence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.Set;

/**
 * What the evaluation needs to know of a fence: its rules and targeting. Geometry stays in PostGIS, which decides
 * membership.
 *
 * @param unitTypes null when the fence applies to every unit type
 */
public record Geofence(String id, String name, String severity, boolean enter, boolean exit, Integer dwellSeconds,
                       Set<String> unitTypes) {

    public boolean appliesTo(String unitType) {
        return unitTypes == null || unitTypes.contains(unitType);
    }

    /** From a stored feature's properties (the shape of {@link GeofenceApi}'s GeoJSON). */
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
        return new Geofence(String.valueOf(feature.getValue("id")), props.getString("name"),
                props.getString("severity"), rules.getBoolean("enter", true), rules.getBoolean("exit", true),
                rules.getInteger("dwellSeconds"), unitTypes == null ? null : Set.copyOf(unitTypes));
    }
}
