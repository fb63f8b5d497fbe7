package org.borderwatch.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Trips and stops of one unit, as Traccar's reports define them, from its fixes in time order. A fix is still when its
 * speed (as reported, or else from the distance to the fix before) is below {@code stopSpeed}; a run of still fixes
 * that lasts at least {@code stopSeconds} is a stop, from its first to its last still fix; a trip is the movement
 * between two stops, from the last fix of one to the first of the next. A shorter still run (a checkpoint, a
 * junction) stays part of its trip.
 *
 * <p>Silences: a silence longer than {@code gapSeconds} in which the unit stayed where it was (a tracker that sleeps
 * while parked) counts as still time; one in which it moved ends the trip at the last fix before it, and the fixes
 * after it start afresh, since nothing is known of the way between.
 */
final class Motion {

    record Fix(Instant time, double lat, double lon, Double speed) {
    }

    /** A run of still fixes lasting at least the stop duration. */
    record Stop(Instant start, Instant end, double lat, double lon, int fixes) {
    }

    /** Movement between stops: metres along the fixes, fastest speed, the fixes it spans. */
    record Trip(Instant start, Instant end, double distanceMeters, double maxSpeed, Fix from, Fix to, int fixes) {
    }

    /** The state of a trip as it would end at a given fix. */
    private record Leg(Fix first, Fix last, double distance, double maxSpeed, int fixes) {

        Leg plus(Fix fix, double metres, double speed) {
            return new Leg(first, fix, distance + metres, Math.max(maxSpeed, speed), fixes + 1);
        }
    }

    private static final double EARTH_RADIUS_M = 6_371_008.8;

    private final double stopSpeed;
    private final long stopSeconds;
    private final long gapSeconds;
    private final List<Trip> trips = new ArrayList<>();
    private final List<Stop> stops = new ArrayList<>();

    private Fix previous;
    /** The trip under way; null while the unit stands in a stop. */
    private Leg leg;
    /** The first fix of the current still run; null while moving. */
    private Fix stillSince;
    private int stillFixes;
    /** The trip as it stood when the current still run began: how it ends if the run becomes a stop. */
    private Leg beforeStill;
    /** The current still run has lasted long enough to be a stop. */
    private boolean stopped;

    Motion(double stopSpeed, long stopSeconds, long gapSeconds) {
        this.stopSpeed = stopSpeed;
        this.stopSeconds = stopSeconds;
        this.gapSeconds = gapSeconds;
    }

    void accept(Fix fix) {
        if (previous == null) {
            begin(fix);
            return;
        }
        double seconds = Duration.between(previous.time(), fix.time()).toMillis() / 1000.0;
        if (seconds <= 0) {
            return;
        }
        double metres = distance(previous, fix);
        double implied = metres / seconds;
        boolean silence = seconds > gapSeconds;
        if (silence && implied >= stopSpeed) {
            finish();
            begin(fix);
            return;
        }
        double speed = fix.speed() != null ? fix.speed() : implied;
        boolean still = silence || speed < stopSpeed;
        if (still && stillSince == null && silence) {
            // Parked through the silence: the still run began at the last fix before it.
            startStill(previous, leg);
            stillFixes = 1;
        }
        if (leg != null) {
            leg = leg.plus(fix, metres, speed);
        }
        if (still) {
            if (stillSince == null) {
                startStill(fix, leg);
            }
            stillFixes++;
            if (!stopped && Duration.between(stillSince.time(), fix.time()).getSeconds() >= stopSeconds) {
                stopped = true;
                trip(beforeStill);
                leg = null;
            }
        } else if (stillSince != null) {
            if (stopped) {
                stops.add(new Stop(stillSince.time(), previous.time(), stillSince.lat(), stillSince.lon(),
                        stillFixes));
                leg = new Leg(previous, previous, 0, 0, 1).plus(fix, metres, speed);
            }
            stillSince = null;
            stopped = false;
        }
        previous = fix;
    }

    /** Ends what is under way at the last fix: a stop long enough, or the trip. */
    void finish() {
        if (stillSince != null && stopped) {
            stops.add(new Stop(stillSince.time(), previous.time(), stillSince.lat(), stillSince.lon(), stillFixes));
        } else {
            trip(leg);
        }
        previous = null;
        leg = null;
        stillSince = null;
        stopped = false;
    }

    List<Trip> trips() {
        return trips;
    }

    List<Stop> stops() {
        return stops;
    }

    private void begin(Fix fix) {
        double speed = fix.speed() == null ? 0 : fix.speed();
        leg = new Leg(fix, fix, 0, speed, 1);
        stillSince = null;
        stopped = false;
        // Without a reported speed the first fix cannot tell: it is taken as still, as a unit seen for the first time
        // usually is; the next fix decides.
        if (speed < stopSpeed) {
            startStill(fix, leg);
            stillFixes = 1;
        }
        previous = fix;
    }

    private void startStill(Fix since, Leg tripSoFar) {
        stillSince = since;
        stillFixes = 0;
        beforeStill = tripSoFar;
    }

    /** A trip of at least two fixes that went somewhere. */
    private void trip(Leg done) {
        if (done != null && done.fixes() >= 2 && done.distance() > 0) {
            trips.add(new Trip(done.first().time(), done.last().time(), done.distance(), done.maxSpeed(),
                    done.first(), done.last(), done.fixes()));
        }
    }

    /** Great-circle distance in metres (haversine on the mean Earth radius): close enough for trip lengths. */
    static double distance(Fix a, Fix b) {
        double lat1 = Math.toRadians(a.lat());
        double lat2 = Math.toRadians(b.lat());
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(b.lon() - a.lon());
        double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
    }
}
