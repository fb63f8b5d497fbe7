package org.borderwatch.sim;

import io.vertx.core.json.JsonObject;

/**
 * One simulated unit and its motion: patrols go back and forth along a stretch of the border (vehicles, boats, foot),
 * drones loiter in circles over a sector. Stretches and circles pass through the demo fences, so alerts come within
 * the first minute.
 */
final class SimUnit {

    private final String id;
    private final String name;
    private final String type;
    private final double speed;
    private double[] center;
    private double radius;
    private double angle;
    private double from;
    private double to;
    private double along;
    private int direction = 1;
    private String deviceKey;
    /** Where the unit was at its last step, {lon, lat}; null before its first. */
    private double[] last;
    /** Where it was sent (an alert's place), {lon, lat}; null while it patrols. */
    private double[] target;
    private double holdSeconds;
    /** On its way back from a target to its route. */
    private boolean returning;

    private SimUnit(String id, String name, String type, double speed) {
        this.id = id;
        this.name = name;
        this.type = type;
        this.speed = speed;
    }

    /** The {@code i}-th simulated unit: a tenth foot patrols, a fifth boats, three tenths drones, the rest vehicles. */
    static SimUnit create(int i) {
        int slot = i % 10;
        int round = i / 10;
        if (slot < 3) {
            int drone = round * 3 + slot;
            int port = drone % Border.PORTS.length;
            SimUnit unit = new SimUnit(String.format("UAV-%02d", i + 1), "Drone over " + Border.portName(port),
                    "drone", 30);
            // An orbit of 2.5 km whose centre lies 3 km from the port: it crosses the port's 3 km fence twice per
            // lap. Drones over the same port orbit on different sides of it.
            unit.center = Polyline.offset(Border.port(port), (drone / Border.PORTS.length) * 70 % 360, 3000);
            unit.radius = 2500;
            unit.angle = (i * 47) % 360;
            return unit;
        }
        if (slot < 7) {
            int vehicle = round * 4 + slot - 3;
            int port = vehicle % Border.PORTS.length;
            double portAt = Border.LINE.locate(Border.port(port));
            // 22 to 29 m/s, so patrols at different ports do not cross their fences in lockstep.
            SimUnit unit = new SimUnit(String.format("PV-%02d", i + 1),
                    "Patrol vehicle " + (i + 1) + " (" + Border.portName(port) + ")", "vehicle", 22 + (i * 5) % 8);
            unit.patrol(portAt - 15_000, portAt + 15_000, portAt - 4_000 - 6_000 * (vehicle / Border.PORTS.length));
            return unit;
        }
        if (slot < 9) {
            int boat = round * 2 + slot - 7;
            SimUnit unit = new SimUnit(String.format("BT-%02d", i + 1), "River boat " + (i + 1), "boat", 8);
            double river = Border.LINE.length() - Border.RIVER_FROM;
            double start = Border.RIVER_FROM + river * ((boat * 0.37 + 0.05) % 1.0);
            unit.patrol(start - 20_000, start + 20_000, start);
            return unit;
        }
        int port = round % Border.PORTS.length;
        double portAt = Border.LINE.locate(Border.port(port));
        SimUnit unit = new SimUnit(String.format("FP-%02d", i + 1),
                "Foot patrol " + (i + 1) + " (" + Border.portName(port) + ")", "foot", 1.6);
        unit.patrol(portAt - 4_000, portAt + 4_000, portAt - 3_150);
        return unit;
    }

    private void patrol(double start, double end, double at) {
        this.from = Math.max(0, start);
        this.to = Math.min(Border.LINE.length(), end);
        this.along = Math.max(from, Math.min(to, at));
    }

    String id() {
        return id;
    }

    String name() {
        return name;
    }

    String type() {
        return type;
    }

    String deviceKey() {
        return deviceKey;
    }

    void deviceKey(String key) {
        this.deviceKey = key;
    }

    /**
     * Continues from where the unit was last seen, as near as its route allows: after a restart it carries on
     * instead of jumping back to its start (which would raise exits for every fence it was inside).
     */
    void resume(double lon, double lat) {
        double[] seen = {lon, lat};
        if (center != null) {
            angle = Polyline.bearing(center, seen);
        } else {
            along = Math.max(from, Math.min(to, Border.LINE.locate(seen)));
        }
    }

    /** Sent to an alert: it leaves its route, drives straight there, stays a while, then takes up its route again. */
    void goTo(double lon, double lat) {
        target = new double[] {lon, lat};
        holdSeconds = 0;
        returning = false;
    }

    /** How long a unit that got there stays before it resumes its patrol. */
    private static final double HOLD_SECONDS = 90;
    /** Close enough to stop: well inside the server's arrival radius. */
    private static final double THERE_METERS = 20;

    /** Moves {@code seconds} on and returns the new position object (API.md §4) at {@code time}. */
    JsonObject step(double seconds, String time) {
        JsonObject responding = target == null || last == null ? null : respond(seconds, time);
        if (responding != null) {
            return responding;
        }
        double lon;
        double lat;
        double heading;
        if (center != null) {
            angle = (angle + Math.toDegrees(speed * seconds / radius)) % 360;
            double[] p = Polyline.offset(center, angle, radius);
            lon = p[0];
            lat = p[1];
            heading = (angle + 90) % 360;
        } else {
            along += direction * speed * seconds;
            if (along >= to || along <= from) {
                along = Math.max(from, Math.min(to, along));
                direction = -direction;
            }
            double[] p = Border.LINE.at(along);
            lon = p[0];
            lat = p[1];
            heading = direction > 0 ? p[2] : (p[2] + 180) % 360;
        }
        return fix(time, lon, lat, speed, heading);
    }

    /** A step towards the target, or holding there; null once the hold is over and the patrol resumes. */
    private JsonObject respond(double seconds, String time) {
        double distance = Polyline.distance(last, target);
        if (distance <= THERE_METERS) {
            if (returning) {
                target = null;
                returning = false;
                resume(last[0], last[1]);
                return null;
            }
            holdSeconds += seconds;
            if (holdSeconds >= HOLD_SECONDS) {
                returning = true;
                target = routeNear(last);
            }
            return fix(time, last[0], last[1], 0, 0);
        }
        double heading = Polyline.bearing(last, target);
        double[] p = distance <= speed * seconds ? target : Polyline.offset(last, heading, speed * seconds);
        return fix(time, p[0], p[1], speed, heading);
    }

    /** The point of its route (orbit or stretch of border) nearest to {@code point}, {lon, lat}. */
    private double[] routeNear(double[] point) {
        if (center != null) {
            return Polyline.offset(center, Polyline.bearing(center, point), radius);
        }
        double[] p = Border.LINE.at(Math.max(from, Math.min(to, Border.LINE.locate(point))));
        return new double[] {p[0], p[1]};
    }

    private JsonObject fix(String time, double lon, double lat, double speedMps, double heading) {
        last = new double[] {lon, lat};
        return new JsonObject()
                .put("unitId", id)
                .put("time", time)
                .put("lat", lat)
                .put("lon", lon)
                .put("speed", speedMps)
                .put("heading", Math.round(heading * 10) / 10.0 % 360)
                .put("accuracy", 5.0);
    }
}
