package org.borderwatch.ingest.ais;

import java.util.regex.Pattern;

/**
 * One AIS sentence of NMEA 0183 (IEC 61162-1), {@code !AIVDM,2,1,3,B,<payload>,0*5C}: talker ({@code AI}, or a base
 * station's {@code AB}, {@code BS}, ...), {@code VDM} (other vessels) or {@code VDO} (own vessel), fragment count,
 * fragment number, sequential message id (tying the fragments of one message together), radio channel, the
 * six-bit-armoured payload, the fill bits of the last fragment, and a checksum: the XOR of every character between
 * {@code !} and {@code *}, in two hex digits. A leading NMEA 4.0 tag block ({@code \s:station,c:1700000000*hh\}) is
 * skipped.
 */
public record NmeaSentence(String talker, int total, int number, String sequence, String channel, String payload,
                           int fillBits) {

    /** An armoured payload holds only these: {@code 0}-{@code W} and {@code `}-{@code w}. */
    private static final Pattern PAYLOAD = Pattern.compile("[0-W`-w]*");
    /** An NMEA sentence is at most 82 characters; AIS receivers are known to send longer ones, so allow some. */
    static final int MAX_LENGTH = 256;

    /** Parses one sentence; a malformed one or a wrong checksum is an {@link IllegalArgumentException} saying what. */
    public static NmeaSentence parse(String line) {
        String text = line.strip();
        if (text.startsWith("\\")) {
            int end = text.indexOf('\\', 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated tag block");
            }
            text = text.substring(end + 1);
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("sentence longer than " + MAX_LENGTH + " characters");
        }
        int star = text.lastIndexOf('*');
        if (!text.startsWith("!") || star < 0 || star + 3 != text.length()) {
            throw new IllegalArgumentException("not an NMEA sentence (!...*hh)");
        }
        int sum;
        try {
            sum = Integer.parseInt(text.substring(star + 1), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checksum is not two hex digits");
        }
        int computed = 0;
        for (int i = 1; i < star; i++) {
            computed ^= text.charAt(i);
        }
        if (computed != sum) {
            throw new IllegalArgumentException(String.format("checksum %02X, the sentence sums to %02X", sum,
                    computed));
        }
        String[] f = text.substring(1, star).split(",", -1);
        if (f.length != 7 || f[0].length() != 5 || !(f[0].endsWith("VDM") || f[0].endsWith("VDO"))) {
            throw new IllegalArgumentException("not a VDM or VDO sentence of 7 fields");
        }
        int total = number(f[1], "fragment count");
        int number = number(f[2], "fragment number");
        if (total < 1 || total > 9 || number < 1 || number > total) {
            throw new IllegalArgumentException("fragment " + number + " of " + total + " is impossible");
        }
        int fill = number(f[6], "fill bits");
        if (fill > 5 || f[5].isEmpty() || !PAYLOAD.matcher(f[5]).matches()) {
            throw new IllegalArgumentException("payload is not six-bit armoured or fill bits not 0-5");
        }
        return new NmeaSentence(f[0].substring(0, 2), total, number, f[3], f[4], f[5], fill);
    }

    private static int number(String text, String what) {
        if (text.isEmpty() || text.length() > 2) {
            throw new IllegalArgumentException(what + " missing or too long");
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is not a number");
        }
    }

    /** The checksum the sentence body (between {@code !} and {@code *}) needs, as two upper-case hex digits. */
    public static String checksum(String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            sum ^= body.charAt(i);
        }
        return String.format("%02X", sum);
    }
}
