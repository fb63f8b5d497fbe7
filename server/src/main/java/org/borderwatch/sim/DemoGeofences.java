package org.borderwatch.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** The fences a fresh simulator start adds, so a new watch floor sees alerts within a minute. */
final class DemoGeofences {

    /** Every unit type but {@code sensor}: a camera or radar standing in a zone is its post, not an intrusion. */
    private static final JsonArray MOVING = new JsonArray().add("foot").add("vehicle").add("boat").add("drone")
            .add("aircraft");

    private DemoGeofences() {
    }

    static List<JsonObject> all() {
        List<JsonObject> fences = new ArrayList<>();
        String[] severities = {"critical", "warning", "warning", "critical", "critical", "warning"};
        for (int i = 0; i < Border.PORTS.length; i++) {
            double[] port = Border.port(i);
            fences.add(feature(Border.portName(i) + " port of entry restricted zone", severities[i],
                    new JsonObject().put("type", "Point").put("coordinates", new JsonArray().add(port[0]).add(port[1])))
                    .put("properties", properties(Border.portName(i) + " port of entry restricted zone", severities[i])
                            .put("radiusMeters", 3000).put("unitTypes", MOVING.copy())));
        }
        JsonArray river = new JsonArray();
        for (double s = Border.RIVER_FROM; s <= Border.LINE.length(); s += 5000) {
            double[] p = Border.LINE.at(s);
            river.add(new JsonArray().add(round(p[0])).add(round(p[1])));
        }
        fences.add(feature("Rio Grande river corridor", "info",
                new JsonObject().put("type", "LineString").put("coordinates", river))
                .put("properties", properties("Rio Grande river corridor", "info").put("bufferMeters", 800)
                        .put("unitTypes", new JsonArray().add("foot").add("vehicle"))));
        JsonArray ring = new JsonArray()
                .add(new JsonArray().add(-106.70).add(31.70))
                .add(new JsonArray().add(-106.30).add(31.70))
                .add(new JsonArray().add(-106.30).add(31.95))
                .add(new JsonArray().add(-106.70).add(31.95))
                .add(new JsonArray().add(-106.70).add(31.70));
        // Contact fences: low-flying aircraft over the Brownsville crossing, and boats at the port (API.md §10).
        double[] brownsville = Border.port(5);
        fences.add(feature("Brownsville low-level airspace", "warning", point(brownsville[0], brownsville[1]))
                .put("properties", properties("Brownsville low-level airspace", "warning").put("radiusMeters", 5000)
                        .put("targets", new JsonArray().add("contacts")).put("maxAltitudeMeters", 600)
                        .put("contactKinds", new JsonArray().add("aircraft"))));
        fences.add(feature("Port of Brownsville security zone", "warning", point(-97.40, 25.952))
                .put("properties", properties("Port of Brownsville security zone", "warning").put("radiusMeters", 2500)
                        .put("targets", new JsonArray().add("contacts"))
                        .put("contactKinds", new JsonArray().add("vessel"))));
        fences.add(feature("El Paso sector no-fly zone", "critical",
                new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(ring)))
                .put("properties", properties("El Paso sector no-fly zone", "critical")
                        .put("unitTypes", new JsonArray().add("drone").add("aircraft"))));
        return fences;
    }

    private static JsonObject point(double lon, double lat) {
        return new JsonObject().put("type", "Point").put("coordinates", new JsonArray().add(lon).add(lat));
    }

    private static JsonObject feature(String name, String severity, JsonObject geometry) {
        return new JsonObject().put("type", "Feature").put("geometry", geometry)
                .put("properties", properties(name, severity));
    }

    private static JsonObject properties(String name, String severity) {
        return new JsonObject().put("name", name).put("severity", severity).put("demo", true)
                .put("rules", new JsonObject().put("enter", true).put("exit", true));
    }

    private static double round(double value) {
        return Math.round(value * 1e5) / 1e5;
    }
}
