package org.borderwatch.history;

import io.vertx.core.buffer.Buffer;

import java.math.BigDecimal;

/** Small writing helpers the exporters share: numbers as plain decimals, escaped XML and JSON strings. */
final class Text {

    private Text() {
    }

    /**
     * A number as a plain decimal, never in exponent form ({@code 1.0E-5}), which XML Schema's {@code xsd:decimal}
     * (GPX coordinates) and KML coordinates do not allow.
     */
    static String plain(double value) {
        String text = Double.toString(value);
        if (text.indexOf('E') < 0) {
            return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
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
