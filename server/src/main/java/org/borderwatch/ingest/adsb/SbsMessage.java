package org.borderwatch.ingest.adsb;

import java.util.regex.Pattern;

/**
 * One {@code MSG} line of a BaseStation (SBS-1) feed, as dump1090 and readsb write it on port 30003: 22
 * comma-separated fields, of which a transmission type fills some. Fields (1-based): 1 {@code MSG}, 2 transmission
 * type 1-8, 5 the aircraft's ICAO 24-bit address in hex, 7-10 dates and times (the receiver's local clock, no zone:
 * not used), 11 callsign, 12 altitude (feet), 13 ground speed (knots), 14 track (degrees), 15 latitude, 16 longitude,
 * 17 vertical rate (feet/minute), 18 squawk, 19-21 alert, emergency, ident flags, 22 on the ground.
 *
 * @param icao     six upper-case hex digits; a leading {@code ~} (dump1090's mark for a non-ICAO, e.g. TIS-B, address)
 *                 is kept off and reported in {@link #nonIcao}
 * @param altitude feet, null when the line has none; likewise every other field
 */
public record SbsMessage(int type, String icao, boolean nonIcao, String callsign, Integer altitude, Double groundSpeed,
                         Double track, Double lat, Double lon, Integer verticalRate, String squawk, Boolean onGround) {

    private static final Pattern HEX = Pattern.compile("~?[0-9A-Fa-f]{6}");
    private static final Pattern CALLSIGN = Pattern.compile("[A-Za-z0-9 ]{1,8}");
    private static final Pattern SQUAWK = Pattern.compile("[0-7]{4}");
    /** Longer lines are no SBS-1 line: a real one is about 100 characters. */
    public static final int MAX_LINE = 512;

    /** Whether the line carries a position. */
    public boolean hasPosition() {
        return lat != null && lon != null;
    }

    /**
     * Parses one line (without its line end). Lines of other record types a BaseStation also sends ({@code SEL},
     * {@code ID}, {@code AIR}, {@code STA}, {@code CLK}) carry no track and give null; anything malformed is an
     * {@link IllegalArgumentException} saying what.
     */
    public static SbsMessage parse(String line) {
        if (line.length() > MAX_LINE) {
            throw new IllegalArgumentException("line longer than " + MAX_LINE + " characters");
        }
        String[] f = line.split(",", -1);
        if (f.length > 0 && (f[0].equals("SEL") || f[0].equals("ID") || f[0].equals("AIR") || f[0].equals("STA")
                || f[0].equals("CLK"))) {
            return null;
        }
        if (!f[0].equals("MSG") || f.length < 11) {
            throw new IllegalArgumentException("not an SBS-1 MSG line");
        }
        int type = integer(f, 1, "transmission type");
        if (type < 1 || type > 8) {
            throw new IllegalArgumentException("transmission type " + type + " is not 1-8");
        }
        if (!HEX.matcher(f[4]).matches()) {
            throw new IllegalArgumentException("no ICAO address in field 5");
        }
        boolean nonIcao = f[4].startsWith("~");
        String icao = (nonIcao ? f[4].substring(1) : f[4]).toUpperCase();
        String callsign = field(f, 10).trim();
        if (!callsign.isEmpty() && !CALLSIGN.matcher(callsign).matches()) {
            throw new IllegalArgumentException("callsign is not 1-8 letters and digits");
        }
        Double lat = decimal(f, 14, "latitude");
        Double lon = decimal(f, 15, "longitude");
        if ((lat == null) != (lon == null) || (lat != null && (Math.abs(lat) > 90 || Math.abs(lon) > 180))) {
            throw new IllegalArgumentException("latitude and longitude out of range or not together");
        }
        Double track = decimal(f, 13, "track");
        Double speed = decimal(f, 12, "ground speed");
        if ((track != null && (track < 0 || track > 360)) || (speed != null && speed < 0)) {
            throw new IllegalArgumentException("track or ground speed out of range");
        }
        String squawk = field(f, 17).trim();
        String ground = field(f, 21).trim();
        return new SbsMessage(type, icao, nonIcao, callsign.isEmpty() ? null : callsign.toUpperCase(),
                optionalInteger(f, 11, "altitude"), speed, track == null ? null : track % 360, lat, lon,
                optionalInteger(f, 16, "vertical rate"), SQUAWK.matcher(squawk).matches() ? squawk : null,
                ground.isEmpty() ? null : !ground.equals("0"));
    }

    private static String field(String[] f, int i) {
        return i < f.length ? f[i] : "";
    }

    private static int integer(String[] f, int i, String what) {
        Integer value = optionalInteger(f, i, what);
        if (value == null) {
            throw new IllegalArgumentException("no " + what);
        }
        return value;
    }

    private static Integer optionalInteger(String[] f, int i, String what) {
        String text = field(f, i).trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is not a whole number");
        }
    }

    private static Double decimal(String[] f, int i, String what) {
        String text = field(f, i).trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            double value = Double.parseDouble(text);
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(what + " is not a finite number");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is not a number");
        }
    }
}
