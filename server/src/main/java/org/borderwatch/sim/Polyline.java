package org.borderwatch.sim;

/** A path of lon/lat vertices with distances along it in metres (spherical Earth; plenty for a simulation). */
final class Polyline {

    static final double EARTH_RADIUS_M = 6_371_008.8;

    private final double[][] points;
    private final double[] along;

    Polyline(double[][] points) {
        this.points = points;
        this.along = new double[points.length];
        for (int i = 1; i < points.length; i++) {
            along[i] = along[i - 1] + distance(points[i - 1], points[i]);
        }
    }

    double length() {
        return along[along.length - 1];
    }

    /** The point {@code s} metres along the path (clamped to its ends) as {lon, lat, bearing of the path}. */
    double[] at(double s) {
        double clamped = Math.max(0, Math.min(length(), s));
        int i = 1;
        while (i < along.length - 1 && along[i] < clamped) {
            i++;
        }
        double[] a = points[i - 1];
        double[] b = points[i];
        double segment = along[i] - along[i - 1];
        double t = segment == 0 ? 0 : (clamped - along[i - 1]) / segment;
        return new double[] {a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, bearing(a, b)};
    }

    /** Distance along the path of the point on it nearest to {@code point} (segments flattened locally). */
    double locate(double[] point) {
        double best = Double.MAX_VALUE;
        double at = 0;
        double k = Math.cos(Math.toRadians(point[1]));
        for (int i = 1; i < points.length; i++) {
            double ax = (points[i - 1][0] - point[0]) * k;
            double ay = points[i - 1][1] - point[1];
            double dx = (points[i][0] - points[i - 1][0]) * k;
            double dy = points[i][1] - points[i - 1][1];
            double length2 = dx * dx + dy * dy;
            double t = length2 == 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / length2));
            double px = ax + t * dx;
            double py = ay + t * dy;
            if (px * px + py * py < best) {
                best = px * px + py * py;
                at = along[i - 1] + t * (along[i] - along[i - 1]);
            }
        }
        return at;
    }

    static double distance(double[] a, double[] b) {
        double lat1 = Math.toRadians(a[1]);
        double lat2 = Math.toRadians(b[1]);
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(b[0] - a[0]);
        double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    static double bearing(double[] a, double[] b) {
        double lat1 = Math.toRadians(a[1]);
        double lat2 = Math.toRadians(b[1]);
        double dLon = Math.toRadians(b[0] - a[0]);
        double y = Math.sin(dLon) * Math.cos(lat2);
        double x = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(dLon);
        return (Math.toDegrees(Math.atan2(y, x)) + 360) % 360;
    }

    /** The point {@code metres} from {@code origin} towards {@code bearingDeg}, as {lon, lat}. */
    static double[] offset(double[] origin, double bearingDeg, double metres) {
        double lat = Math.toRadians(origin[1]);
        double lon = Math.toRadians(origin[0]);
        double angle = metres / EARTH_RADIUS_M;
        double theta = Math.toRadians(bearingDeg);
        double lat2 = Math.asin(Math.sin(lat) * Math.cos(angle) + Math.cos(lat) * Math.sin(angle) * Math.cos(theta));
        double lon2 = lon + Math.atan2(Math.sin(theta) * Math.sin(angle) * Math.cos(lat),
                Math.cos(angle) - Math.sin(lat) * Math.sin(lat2));
        return new double[] {Math.toDegrees(lon2), Math.toDegrees(lat2)};
    }
}
