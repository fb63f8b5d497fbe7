package org.borderwatch.ingest.ais;

/**
 * The AIS messages a watch floor uses, decoded from their bits as ITU-R M.1371 lays them out (gpsd's "AIVDM/AIVDO
 * protocol decoding" describes the same): position reports of class A (types 1, 2, 3) and class B (18, 19), and static
 * data of class A (5) and class B (24, parts A and B; 19 carries a name too). Other types give null. "Not available"
 * values (longitude 181, latitude 91, speed 1023, course 360, heading 511) read as null.
 */
public sealed interface AisMessage permits AisMessage.Position, AisMessage.Static {

    int type();

    /** The vessel's Maritime Mobile Service Identity. */
    int mmsi();

    /**
     * Where a vessel is and how it moves.
     *
     * @param speed     knots over ground
     * @param course    degrees over ground
     * @param heading   true heading, degrees
     * @param navStatus class A's navigational status (0 under way using engine, 1 at anchor, 5 moored, ...); null for
     *                  class B
     * @param name      the vessel name type 19 carries; null otherwise
     * @param shipType  the ship type type 19 carries; null otherwise
     */
    record Position(int type, int mmsi, Double lat, Double lon, Double speed, Double course, Integer heading,
                    Integer navStatus, String name, Integer shipType) implements AisMessage {

        public boolean hasPosition() {
            return lat != null && lon != null;
        }
    }

    /** What a vessel says of itself; each field null when the message (or its part) does not carry it. */
    record Static(int type, int mmsi, String name, String callsign, Integer shipType, String destination, Integer imo)
            implements AisMessage {
    }

    /** Decodes a whole message's bits; null for a type not listed above or too short to hold its MMSI. */
    static AisMessage decode(AisBits bits) {
        Integer type = bits.unsigned(0, 6);
        Integer mmsi = bits.unsigned(8, 30);
        if (type == null || mmsi == null) {
            return null;
        }
        return switch (type) {
            case 1, 2, 3 -> new Position(type, mmsi, lat(bits, 89), lon(bits, 61), speed(bits, 50),
                    course(bits, 116), heading(bits, 128), bits.unsigned(38, 4), null, null);
            case 18 -> new Position(type, mmsi, lat(bits, 85), lon(bits, 57), speed(bits, 46), course(bits, 112),
                    heading(bits, 124), null, null, null);
            case 19 -> new Position(type, mmsi, lat(bits, 85), lon(bits, 57), speed(bits, 46), course(bits, 112),
                    heading(bits, 124), null, blankless(bits.text(143, 20)), bits.unsigned(263, 8));
            case 5 -> new Static(type, mmsi, blankless(bits.text(112, 20)), blankless(bits.text(70, 7)),
                    bits.unsigned(232, 8), blankless(bits.text(302, 20)), bits.unsigned(40, 30));
            case 24 -> staticB(bits, mmsi);
            default -> null;
        };
    }

    private static AisMessage staticB(AisBits bits, int mmsi) {
        Integer part = bits.unsigned(38, 2);
        if (part == null) {
            return null;
        }
        return part == 0 ? new Static(24, mmsi, blankless(bits.text(40, 20)), null, null, null, null)
                : new Static(24, mmsi, null, blankless(bits.text(90, 7)), bits.unsigned(40, 8), null, null);
    }

    private static String blankless(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    /** Degrees from 1/10,000 minute (27 bits, signed); 91 is "not available". */
    private static Double lat(AisBits bits, int start) {
        Integer raw = bits.signed(start, 27);
        double degrees = raw == null ? 91 : raw / 600_000.0;
        return Math.abs(degrees) > 90 ? null : degrees;
    }

    /** Degrees from 1/10,000 minute (28 bits, signed); 181 is "not available". */
    private static Double lon(AisBits bits, int start) {
        Integer raw = bits.signed(start, 28);
        double degrees = raw == null ? 181 : raw / 600_000.0;
        return Math.abs(degrees) > 180 ? null : degrees;
    }

    /** Knots from tenths (10 bits); 1023 is "not available". */
    private static Double speed(AisBits bits, int start) {
        Integer raw = bits.unsigned(start, 10);
        return raw == null || raw == 1023 ? null : raw / 10.0;
    }

    /** Degrees from tenths (12 bits); 3600 and above are "not available". */
    private static Double course(AisBits bits, int start) {
        Integer raw = bits.unsigned(start, 12);
        return raw == null || raw >= 3600 ? null : raw / 10.0;
    }

    /** Degrees (9 bits); 511 is "not available". */
    private static Integer heading(AisBits bits, int start) {
        Integer raw = bits.unsigned(start, 9);
        return raw == null || raw > 359 ? null : raw;
    }
}
