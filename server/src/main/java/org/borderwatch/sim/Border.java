package org.borderwatch.sim;

/** The US–Mexico border, simplified, west to east, and the ports of entry the demo fences protect. */
final class Border {

    /** Pacific to the Gulf: the land border, then the Rio Grande from El Paso to its mouth. */
    static final Polyline LINE = new Polyline(new double[][] {
        {-117.124, 32.534}, {-116.600, 32.580}, {-115.497, 32.667}, {-114.719, 32.718}, {-114.813, 32.494},
        {-112.500, 31.830}, {-110.941, 31.333}, {-108.208, 31.333}, {-108.208, 31.784}, {-106.528, 31.784},
        {-106.452, 31.760}, {-106.000, 31.400}, {-105.000, 30.680}, {-104.450, 29.570}, {-103.300, 28.980},
        {-102.700, 29.750}, {-101.400, 29.770}, {-100.500, 28.700}, {-99.507, 27.500}, {-99.100, 26.400},
        {-98.200, 26.060}, {-97.497, 25.902}, {-97.146, 25.956},
    });

    /** Where the Rio Grande part of {@link #LINE} starts (El Paso), for boats. */
    static final double RIVER_FROM = LINE.locate(new double[] {-106.452, 31.760});

    /** Ports of entry: name, lon, lat. */
    static final Object[][] PORTS = {
        {"San Ysidro", -117.030, 32.542},
        {"Calexico", -115.497, 32.667},
        {"Nogales", -110.941, 31.333},
        {"El Paso", -106.452, 31.760},
        {"Laredo", -99.507, 27.500},
        {"Brownsville", -97.497, 25.902},
    };

    static double[] port(int i) {
        Object[] port = PORTS[i % PORTS.length];
        return new double[] {(double) port[1], (double) port[2]};
    }

    static String portName(int i) {
        return (String) PORTS[i % PORTS.length][0];
    }

    private Border() {
    }
}
