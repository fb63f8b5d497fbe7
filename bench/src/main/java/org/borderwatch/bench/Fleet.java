package org.borderwatch.bench;

import java.util.List;
import java.util.Random;

/**
 * The bench fleet as devices see it: unit {@code B-i} with device key {@code bwk_bench-i} (stored hashed by
 * {@link BenchSql#UNITS_WITH_KEYS}), a home point over the border region, and a fix time that is the moment the fix
 * is due to be sent (epoch milliseconds), so that whoever receives the position back, a map or an alert subscriber,
 * reads the end-to-end latency from its {@code time}. A unit's times strictly increase: no fix is a repeat.
 *
 * <p>One unit in {@link #CROSSER_EVERY} is a crosser: its fixes alternate between the centre of a fence and a point
 * well outside it, so each of them is a crossing and raises an alert (when fences are loaded). Everything here runs on
 * the load generator's one context.
 */
final class Fleet {

    static final int CROSSER_EVERY = 50;
    /** How far outside its fence a crosser's every other fix lies, in degrees of latitude (about 33 km). */
    private static final double OUTSIDE = 0.3;

    private final double[] lat;
    private final double[] lon;
    private final long[] lastTime;
    private final long[] fixes;
    private final List<double[]> fenceCentres;
    private final Random random = new Random(11);

    /** {@code units} units; crossers use {@code fenceCentres} (lon, lat), none when it is empty. */
    Fleet(int units, List<double[]> fenceCentres) {
        this.lat = new double[units];
        this.lon = new double[units];
        this.lastTime = new long[units];
        this.fixes = new long[units];
        this.fenceCentres = fenceCentres;
        Random home = new Random(42);
        for (int u = 0; u < units; u++) {
            lon[u] = -117.0 + home.nextDouble() * 19.8;
            lat[u] = 25.9 + home.nextDouble() * 6.8;
        }
    }

    int size() {
        return lat.length;
    }

    static String unitId(int u) {
        return "B-" + u;
    }

    static String key(int u) {
        return "bwk_bench-" + u;
    }

    /** The next fix of unit {@code u}, due at {@code dueMs} (or just after the unit's last, whichever is later). */
    Fix next(int u, long dueMs) {
        long time = Math.max(dueMs, lastTime[u] + 1);
        lastTime[u] = time;
        long n = fixes[u]++;
        if (!fenceCentres.isEmpty() && u % CROSSER_EVERY == 0) {
            double[] centre = fenceCentres.get((u / CROSSER_EVERY) % fenceCentres.size());
            return new Fix(u, time, centre[1] + (n % 2 == 0 ? 0 : OUTSIDE), centre[0]);
        }
        return new Fix(u, time, lat[u] + (random.nextDouble() - 0.5) * 0.002,
                lon[u] + (random.nextDouble() - 0.5) * 0.002);
    }

    /** One fix: unit index, time in epoch milliseconds, WGS84 degrees. */
    record Fix(int unit, long timeMs, double lat, double lon) {

        String iso() {
            return java.time.Instant.ofEpochMilli(timeMs).toString();
        }

        /** The JSON object of {@code POST /api/v1/positions}. */
        void json(StringBuilder out) {
            out.append("{\"unitId\":\"B-").append(unit).append("\",\"time\":\"").append(iso())
                    .append("\",\"lat\":").append(lat).append(",\"lon\":").append(lon)
                    .append(",\"speed\":12.5,\"heading\":90.0}");
        }
    }
}
