package org.borderwatch.history;

import com.fasterxml.jackson.core.io.NumberOutput;
import io.vertx.core.buffer.Buffer;

import java.math.BigDecimal;

/** Small writing helpers the exporters share: numbers as plain decimals, escaped XML and JSON strings. */
final class Text {

    private Text() {
    }

    /**
     * Below this magnitude a double's spacing is under 10^-7, so two decimals of at most {@link #SHORT_DIGITS}
     * decimals never read back as the same double.
     */
    private static final double SHORT_LIMIT = 1e8;
    private static final int SHORT_DIGITS = 7;
    private static final long SHORT_UNIT = 10_000_000L;
    private static final double SHORT_SCALE = 1e7;

    /**
     * A number as the shortest decimal that reads back as the same double, plain, never in exponent form
     * ({@code 1.0E-5}), which XML Schema's {@code xsd:decimal} (GPX coordinates) and KML coordinates do not allow;
     * whole numbers without {@code .0}.
     *
     * <p>Most of a fix's numbers came off the wire as short decimals (a GPS's seven decimals of latitude, a speed of
     * 4.7, a battery of 82): when a decimal of at most seven places reads back as {@code value}, it is the only
     * one that does (below 10^8 doubles are closer together than 10^-7), so it is the shortest, and it is written
     * with integer arithmetic. Any other number goes to Jackson's Schubfach writer: JDK 17's Double.toString, the
     * same digits, costs several times as much, and a replay writes millions of numbers.
     */
    static String plain(double value) {
        if (Math.abs(value) < SHORT_LIMIT) {
            long scaled = Math.round(value * SHORT_SCALE);
            if (scaled / SHORT_SCALE == value) {
                return decimal(scaled);
            }
        }
        String text = NumberOutput.toString(value, true);
        if (text.indexOf('E') < 0) {
            return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
        }
        return new BigDecimal(text).stripTrailingZeros().toPlainString();
    }

    /** {@code scaled} / 10^7 as a decimal without trailing zeros. */
    private static String decimal(long scaled) {
        long magnitude = Math.abs(scaled);
        long fraction = magnitude % SHORT_UNIT;
        StringBuilder text = new StringBuilder(24);
        if (scaled < 0) {
            text.append('-');
        }
        text.append(magnitude / SHORT_UNIT);
        if (fraction != 0) {
            int digits = SHORT_DIGITS;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            String figures = Long.toString(fraction);
            text.append('.').append("000000", 0, digits - figures.length()).append(figures);
        }
        return text.toString();
    }

    static void xml(Buffer out, String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> escaped.append(c);
            }
        }
        out.appendString(escaped.toString());
    }

    /** A JSON string literal, quotes included. */
    static String json(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
