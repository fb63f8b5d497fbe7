package org.borderwatch.ingest.ais;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes AIS messages as NMEA sentences, the mirror of {@link AisDecoder}, for the simulator's AIS generator: class A
 * position reports (type 1) and static and voyage data (type 5, two sentences), class B position reports (type 18) and
 * static data part A (type 24). Fields as ITU-R M.1371 lays them out; anything not given is "not available".
 */
public final class AisEncoder {

    /** At most this many payload characters per sentence, as AIS transceivers split them. */
    static final int CHARS_PER_SENTENCE = 60;

    private AisEncoder() {
    }

    /** A class A position report (type 1) as one sentence. */
    public static List<String> positionA(int mmsi, double lat, double lon, double speedKnots, double course,
                                         int heading, int navStatus, int second) {
        Bits bits = new Bits().put(1, 6).put(0, 2).put(mmsi, 30).put(navStatus, 4).put(-128, 8)
                .put((int) Math.round(Math.min(speedKnots, 102.2) * 10), 10).put(0, 1)
                .put((int) Math.round(lon * 600_000), 28).put((int) Math.round(lat * 600_000), 27)
                .put((int) Math.round(course * 10) % 3600, 12).put(heading, 9).put(second, 6).put(0, 2).put(0, 3)
                .put(0, 1).put(0, 19);
        return bits.sentences('A', 0);
    }

    /** Class A static and voyage data (type 5): two sentences, tied by {@code sequence} (0-9). */
    public static List<String> staticA(int mmsi, int imo, String callsign, String name, int shipType,
                                       String destination, int sequence) {
        Bits bits = new Bits().put(5, 6).put(0, 2).put(mmsi, 30).put(0, 2).put(imo, 30).text(callsign, 7)
                .text(name, 20).put(shipType, 8).put(0, 9).put(0, 9).put(0, 6).put(0, 6).put(1, 4)
                .put(0, 4).put(0, 5).put(24, 5).put(60, 6).put(0, 8).text(destination, 20).put(0, 1).put(0, 1);
        return bits.sentences('A', sequence);
    }

    /** A class B position report (type 18) as one sentence. */
    public static List<String> positionB(int mmsi, double lat, double lon, double speedKnots, double course,
                                         int second) {
        Bits bits = new Bits().put(18, 6).put(0, 2).put(mmsi, 30).put(0, 8)
                .put((int) Math.round(Math.min(speedKnots, 102.2) * 10), 10).put(0, 1)
                .put((int) Math.round(lon * 600_000), 28).put((int) Math.round(lat * 600_000), 27)
                .put((int) Math.round(course * 10) % 3600, 12).put(511, 9).put(second, 6).put(0, 2).put(1, 1)
                .put(0, 1).put(1, 1).put(1, 1).put(1, 1).put(0, 1).put(0, 1).put(0, 20);
        return bits.sentences('B', 0);
    }

    /** Class B static data, part A (type 24): the vessel's name. */
    public static List<String> staticB(int mmsi, String name) {
        Bits bits = new Bits().put(24, 6).put(0, 2).put(mmsi, 30).put(0, 2).text(name, 20);
        return bits.sentences('B', 0);
    }

    /** A growing bit string, armoured six bits to a character. */
    private static final class Bits {
        private final StringBuilder bits = new StringBuilder();

        Bits put(int value, int width) {
            for (int i = width - 1; i >= 0; i--) {
                bits.append(((value >> i) & 1) == 1 ? '1' : '0');
            }
            return this;
        }

        /** Six-bit text, upper-cased, cut or padded with {@code @} to {@code chars}. */
        Bits text(String text, int chars) {
            String upper = text == null ? "" : text.toUpperCase();
            for (int i = 0; i < chars; i++) {
                char c = i < upper.length() ? upper.charAt(i) : '@';
                int value = c >= 64 && c < 96 ? c - 64 : c >= 32 && c < 64 ? c : 32;
                put(value, 6);
            }
            return this;
        }

        List<String> sentences(char channel, int sequence) {
            int fill = (6 - bits.length() % 6) % 6;
            put(0, fill);
            StringBuilder armoured = new StringBuilder();
            for (int i = 0; i < bits.length(); i += 6) {
                int value = Integer.parseInt(bits.substring(i, i + 6), 2);
                armoured.append((char) (value < 40 ? value + 48 : value + 56));
            }
            int total = (armoured.length() + CHARS_PER_SENTENCE - 1) / CHARS_PER_SENTENCE;
            List<String> sentences = new ArrayList<>(total);
            for (int n = 1; n <= total; n++) {
                String part = armoured.substring((n - 1) * CHARS_PER_SENTENCE,
                        Math.min(armoured.length(), n * CHARS_PER_SENTENCE));
                String body = "AIVDM," + total + "," + n + "," + (total > 1 ? String.valueOf(sequence) : "") + ","
                        + channel + "," + part + "," + (n == total ? fill : 0);
                sentences.add("!" + body + "*" + NmeaSentence.checksum(body));
            }
            return sentences;
        }
    }
}
