package org.borderwatch;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Request bodies the tests share. */
public final class Fixtures {

    private Fixtures() {
    }

    /** A 0.1° square around El Paso, (-106.5, 31.7) to (-106.4, 31.8), critical, enter and exit. */
    public static JsonObject square(String name) {
        JsonArray ring = new JsonArray()
                .add(new JsonArray().add(-106.5).add(31.7))
                .add(new JsonArray().add(-106.4).add(31.7))
                .add(new JsonArray().add(-106.4).add(31.8))
                .add(new JsonArray().add(-106.5).add(31.8))
                .add(new JsonArray().add(-106.5).add(31.7));
        return new JsonObject().put("type", "Feature")
                .put("geometry", new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(ring)))
                .put("properties", new JsonObject().put("name", name).put("severity", "critical")
                        .put("rules", new JsonObject().put("enter", true).put("exit", true)));
    }

    public static JsonObject fix(String unit, String time, double lat, double lon) {
        return new JsonObject().put("unitId", unit).put("time", time).put("lat", lat).put("lon", lon);
    }
}
