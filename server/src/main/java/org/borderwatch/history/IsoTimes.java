package org.borderwatch.history;

import java.time.LocalDate;

/**
 * Epoch milliseconds as the wire's ISO-8601 UTC time with milliseconds ({@code 2026-11-25T10:00:00.123Z}), written
 * by hand: a replay writes hundreds of thousands of them, and a day's date part is worked out once. Not thread-safe;
 * one per response.
 */
final class IsoTimes {

    private static final long DAY_MS = 86_400_000L;

    private long day = Long.MIN_VALUE;
    private String datePrefix;

    String format(long epochMillis) {
        long epochDay = Math.floorDiv(epochMillis, DAY_MS);
        if (epochDay != day) {
            day = epochDay;
            datePrefix = LocalDate.ofEpochDay(epochDay) + "T";
        }
        int ms = (int) Math.floorMod(epochMillis, DAY_MS);
        char[] clock = new char[13];
        two(clock, 0, ms / 3_600_000);
        clock[2] = ':';
        two(clock, 3, ms / 60_000 % 60);
        clock[5] = ':';
        two(clock, 6, ms / 1000 % 60);
        clock[8] = '.';
        int millis = ms % 1000;
        clock[9] = (char) ('0' + millis / 100);
        clock[10] = (char) ('0' + millis / 10 % 10);
        clock[11] = (char) ('0' + millis % 10);
        clock[12] = 'Z';
        return datePrefix.concat(new String(clock));
    }

    private static void two(char[] out, int at, int value) {
        out[at] = (char) ('0' + value / 10);
        out[at + 1] = (char) ('0' + value % 10);
    }
}
