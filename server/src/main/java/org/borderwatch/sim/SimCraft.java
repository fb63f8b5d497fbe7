package org.borderwatch.sim;

import java.util.List;

/**
 * A simulated aircraft or vessel that carries no Borderwatch tracker: it goes back and forth along a path at a steady
 * speed, and is heard only through the simulator's own ADS-B (SBS-1) and AIS generators, as a real one would be.
 *
 * @param id        ICAO address (aircraft) or MMSI (vessels)
 * @param name      callsign or vessel name
 * @param speedMps  over ground
 * @param altMeters aircraft altitude; 0 for vessels
 * @param classB    a vessel with a class B transponder (reports types 18 and 24 rather than 1 and 5)
 * @param offsetS   where along its round trip it starts, seconds
 */
record SimCraft(String id, String name, Polyline path, double speedMps, double altMeters, boolean classB,
                double offsetS) {

    /** Where it is {@code seconds} after the simulator's epoch: {lon, lat, course}. */
    double[] at(double seconds) {
        double length = path.length();
        double travelled = ((seconds + offsetS) * speedMps) % (2 * length);
        if (travelled <= length) {
            return path.at(travelled);
        }
        double[] back = path.at(2 * length - travelled);
        back[2] = (back[2] + 180) % 360;
        return back;
    }

    /**
     * A light aircraft flying the border along the Rio Grande from west of Brownsville to the Gulf and back, low, over
     * Brownsville's port of entry every quarter of an hour or so.
     */
    static SimCraft aircraft() {
        return new SimCraft("A8F2D4", "N731BW", new Polyline(new double[][] {
            {-97.70, 25.98}, {-97.497, 25.902}, {-97.30, 25.93}, {-97.146, 25.956},
        }), 56, 450, false, 0);
    }

    /** Boats near Brownsville: the ship channel, the Gulf off Brazos Santiago Pass, and the river's mouth. */
    static List<SimCraft> vessels() {
        return List.of(
                new SimCraft("367000101", "RIO BRAVO", new Polyline(new double[][] {
                    {-97.40, 25.952}, {-97.30, 25.99}, {-97.20, 26.04}, {-97.16, 26.07},
                }), 4.1, 0, false, 0),
                new SimCraft("367000102", "GULF STAR", new Polyline(new double[][] {
                    {-97.14, 26.075}, {-97.05, 26.00}, {-97.00, 25.85},
                }), 5.1, 0, false, 600),
                new SimCraft("345000104", "LANCHA 4", new Polyline(new double[][] {
                    {-97.32, 25.925}, {-97.25, 25.94}, {-97.146, 25.956},
                }), 7.7, 0, true, 300));
    }
}
