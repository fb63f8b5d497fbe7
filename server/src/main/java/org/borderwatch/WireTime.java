package org.borderwatch;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The form devices send a fix's time in, {@code 2026-11-25T10:00:00.123Z} or with an offset ({@code +01:00}), read by
 * hand and truncated to microseconds as PostgreSQL keeps them. {@code OffsetDateTime.parse} makes a {@code BigDecimal}
 * of every fraction: a tenth of what the write path allocated per position. Anything not in exactly this form gives
 * null, and the caller asks {@code java.time}, which reads the rest of ISO-8601 and words the error.
 */
public final class WireTime {

    private static final int SECONDS_PER_DAY = 86_400;
    private static final int MAX_OFFSET_HOURS = 18;

    private WireTime() {
    }

    public static Instant parse(String text) {
        int n = text.length();
        if (n < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || (text.charAt(10) != 'T'
                && text.charAt(10) != 't') || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        int i = 19;
        long nanos = 0;
        if (text.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(text.charAt(i))) {
                nanos = nanos * 10 + (text.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offset;
        char zone = text.charAt(i < n ? i : n - 1);
        if (i == n - 1 && (zone == 'Z' || zone == 'z')) {
            offset = 0;
        } else if (i == n - 6 && (zone == '+' || zone == '-') && text.charAt(i + 3) == ':') {
            int hours = digits(text, i + 1, 2);
            int minutes = digits(text, i + 4, 2);
            if (hours < 0 || hours > MAX_OFFSET_HOURS || minutes < 0 || minutes > 59
                    || (hours == MAX_OFFSET_HOURS && minutes > 0)) {
                return null;
            }
            offset = (zone == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // 30 February and the like: java.time says so in its own words
        }
        long seconds = epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second - offset;
        return Instant.ofEpochSecond(seconds, nanos / 1000 * 1000);
    }

    /** The {@code count} decimal digits at {@code from} as a number, or -1 when one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
