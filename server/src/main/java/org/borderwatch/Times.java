package org.borderwatch;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The wire format of every time: ISO-8601 UTC with milliseconds, {@code 2026-11-25T10:00:00.123Z}. */
public final class Times {

    private static final DateTimeFormatter WIRE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    public static String format(Instant time) {
        return time == null ? null : WIRE.format(time);
    }

    public static String format(OffsetDateTime time) {
        return time == null ? null : WIRE.format(time.toInstant());
    }

    /**
     * A time in the wire format (or any ISO-8601 instant), read by hand when it is in the wire's own form (then to the
     * microsecond, as {@link WireTime} reads it; the wire's times carry milliseconds).
     */
    public static Instant parse(String text) {
        Instant usual = WireTime.parse(text);
        return usual != null ? usual : Instant.parse(text);
    }

    public static OffsetDateTime utc(Instant time) {
        return OffsetDateTime.ofInstant(time, ZoneOffset.UTC);
    }
}
