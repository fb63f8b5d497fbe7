package org.borderwatch.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.borderwatch.Times;
import org.borderwatch.track.UnitStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The demo's sensors (API.md §10): seismic sensors along the line either side of every port of entry, two cameras
 * and a ground radar at El Paso looking south across the river. Now and then people cross near one of them: the
 * sensor trips, a camera or radar sees them moving north, and the detections arrive over HTTP with the sensors' own
 * keys, as real sensors would send them, making an incident with its nearest patrols. Sensors heartbeat their fixed
 * position so they stay live.
 */
final class SimSensors {

    private static final Logger LOG = LoggerFactory.getLogger(SimSensors.class);
    private static final long HEARTBEAT_MS = 30_000;
    /** Between crossings: 40 to 100 s, so a new floor sees one within two minutes. */
    private static final int CROSSING_MIN_S = 40;
    private static final int CROSSING_SPREAD_S = 60;
    private static final int EL_PASO = 3;

    private record Sensor(String id, String name, double[] at, JsonObject sensor) {
    }

    private final Vertx vertx;
    private final WebClient client;
    private final List<Sensor> sensors = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final Random random = new Random();
    private boolean warned;

    SimSensors(Vertx vertx, WebClient client) {
        this.vertx = vertx;
        this.client = client;
        for (int port = 0; port < Border.PORTS.length; port++) {
            double portAt = Border.LINE.locate(Border.port(port));
            String name = Border.portName(port);
            sensors.add(new Sensor(String.format("SEN-%02d", 2 * port + 1), "Seismic " + name + " west",
                    line(portAt - 2_500), new JsonObject().put("kind", "seismic").put("rangeMeters", 300)));
            sensors.add(new Sensor(String.format("SEN-%02d", 2 * port + 2), "Seismic " + name + " east",
                    line(portAt + 2_500), new JsonObject().put("kind", "seismic").put("rangeMeters", 300)));
        }
        double elPaso = Border.LINE.locate(Border.port(EL_PASO));
        sensors.add(looking("CAM-01", "Camera El Paso west", elPaso - 1_200, "camera", 60, 1_500));
        sensors.add(looking("CAM-02", "Camera El Paso east", elPaso + 1_200, "camera", 60, 1_500));
        sensors.add(looking("RAD-01", "Ground radar El Paso", elPaso, "radar", 120, 6_000));
    }

    private static double[] line(double along) {
        double[] p = Border.LINE.at(along);
        return new double[] {p[0], p[1]};
    }

    /** A camera or radar 150 m north of the line, looking across it (the side of the line nearer to south). */
    private static Sensor looking(String id, String name, double along, String kind, int fov, int range) {
        double[] p = Border.LINE.at(along);
        double left = (p[2] + 270) % 360;
        double right = (p[2] + 90) % 360;
        double south = Math.abs(left - 180) < Math.abs(right - 180) ? left : right;
        double[] at = Polyline.offset(new double[] {p[0], p[1]}, (south + 180) % 360, 150);
        return new Sensor(id, name, at, new JsonObject().put("kind", kind).put("bearing", Math.round(south))
                .put("fovDegrees", fov).put("rangeMeters", range));
    }

    /** Creates (or re-keys) the sensors with their properties, reports their places, and starts crossings. */
    Future<Void> start(UnitStore units, String agency) {
        List<Future<?>> created = new ArrayList<>();
        for (Sensor sensor : sensors) {
            keys.add(null);
            int index = keys.size() - 1;
            created.add(units.createOrRekey(sensor.id(), sensor.name(), "sensor", agency)
                    .compose(json -> {
                        keys.set(index, json.getString("deviceKey"));
                        return units.update(sensor.id(), null, true,
                                new JsonObject().put("sensor", sensor.sensor()), null);
                    }));
        }
        return Future.all(created).onSuccess(v -> {
            heartbeat();
            vertx.setPeriodic(HEARTBEAT_MS, id -> heartbeat());
            scheduleCrossing();
            LOG.info("simulator: {} sensors along the border, a crossing every {}-{} s", sensors.size(),
                    CROSSING_MIN_S, CROSSING_MIN_S + CROSSING_SPREAD_S);
        }).mapEmpty();
    }

    private void heartbeat() {
        String now = Times.format(Instant.now());
        for (int i = 0; i < sensors.size(); i++) {
            Sensor sensor = sensors.get(i);
            post("/api/v1/positions", keys.get(i), new JsonObject().put("unitId", sensor.id()).put("time", now)
                    .put("lat", sensor.at()[1]).put("lon", sensor.at()[0]));
        }
    }

    private void scheduleCrossing() {
        vertx.setTimer(1000L * (CROSSING_MIN_S + random.nextInt(CROSSING_SPREAD_S)), id -> {
            cross();
            scheduleCrossing();
        });
    }

    /**
     * People cross near a random seismic sensor: it trips where it stands; half a minute later they are seen 200 m
     * north of it (by a camera or the radar at El Paso, along its bearing, elsewhere by the sensor again).
     */
    private void cross() {
        int seismic = random.nextInt(Border.PORTS.length * 2);
        Sensor tripped = sensors.get(seismic);
        int index = seismic;
        String kind = random.nextInt(4) == 0 ? "vehicle" : "person";
        post("/api/v1/detections", keys.get(index), new JsonObject().put("sensorId", tripped.id())
                .put("time", Times.format(Instant.now())).put("kind", kind)
                .put("confidence", 0.6 + random.nextInt(30) / 100.0));
        double[] north = Polyline.offset(tripped.at(), 0, 200);
        vertx.setTimer(30_000, id -> {
            int seer = seismic / 2 == EL_PASO ? sensors.size() - 3 + random.nextInt(3) : index;
            Sensor sensor = sensors.get(seer);
            JsonObject seen = new JsonObject().put("sensorId", sensor.id()).put("time", Times.format(Instant.now()))
                    .put("kind", kind).put("confidence", 0.8);
            if (seer == index) {
                seen.put("lat", north[1]).put("lon", north[0]);
            } else {
                seen.put("bearing", Math.round(Polyline.bearing(sensor.at(), north) * 10) / 10.0 % 360)
                        .put("rangeMeters", Math.round(Polyline.distance(sensor.at(), north)));
            }
            post("/api/v1/detections", keys.get(seer), seen);
        });
    }

    private void post(String path, String key, JsonObject body) {
        if (key == null) {
            return;
        }
        client.post(path).putHeader("Authorization", "Bearer " + key).sendJsonObject(body).onComplete(ar -> {
            int status = ar.succeeded() ? ar.result().statusCode() : -1;
            if (status != 202 && !warned) {
                warned = true;
                LOG.warn("simulated sensor got {} posting to {}", ar.succeeded() ? status + " "
                        + ar.result().bodyAsString() : ar.cause(), path);
            }
        });
    }
}
