package org.borderwatch.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.borderwatch.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * With the simulator on, a new floor sees air and sea traffic within seconds: the simulator's SBS-1 server and AIS
 * sender feed the node's own ADS-B and AIS feeds, on local ports, and its contact fences are in place.
 */
class TrafficIT {

    private TestNode node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theSimulatorsAircraftAndBoatsAppearAsContacts() throws Exception {
        node = TestNode.fresh(Map.of("BW_SIMULATOR_UNITS", "1"));
        String admin = node.adminToken();
        Set<String> expected = new TreeSet<>(List.of("adsb:" + SimCraft.aircraft().id()));
        SimCraft.vessels().forEach(v -> expected.add("ais:" + v.id()));

        Set<String> seen = new TreeSet<>();
        long deadline = System.currentTimeMillis() + 15_000;
        while (!seen.containsAll(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
            seen.clear();
            node.get("/api/v1/contacts", admin).bodyAsJsonObject().getJsonArray("features")
                    .forEach(f -> seen.add(((JsonObject) f).getString("id")));
        }
        assertThat(seen).containsAll(expected);

        JsonArray features = node.get("/api/v1/contacts", admin).bodyAsJsonObject().getJsonArray("features");
        JsonObject plane = features.stream().map(JsonObject.class::cast)
                .filter(f -> f.getString("id").startsWith("adsb:")).findFirst().orElseThrow()
                .getJsonObject("properties");
        assertThat(plane.getString("kind")).isEqualTo("aircraft");
        assertThat(plane.getDouble("alt")).isBetween(400.0, 500.0);
        assertThat(node.count("SELECT count(*) FROM geofences WHERE 'contacts' = ANY(targets)")).isEqualTo(2);
    }

    @Test
    void theAircraftGoesBackAndForthAlongItsPath() {
        SimCraft plane = SimCraft.aircraft();
        double leg = plane.path().length() / plane.speedMps();
        double[] out = plane.at(leg / 2);
        double[] back = plane.at(leg * 1.5);

        assertThat(out[0]).isCloseTo(back[0], within(1e-6));
        assertThat(Math.abs(out[2] - back[2])).as("opposite courses").isCloseTo(180.0,
                within(1e-6));
    }
}
