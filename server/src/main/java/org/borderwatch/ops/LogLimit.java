package org.borderwatch.ops;

import org.slf4j.Logger;

/**
 * Bounds a log line the outside world can trigger (a bad device, a flood of connections): at most {@code perMinute}
 * lines a minute, then one line saying how many were held back. A failure storm stays a few lines, never a full disk.
 * Values in the lines must be bounded by the caller (clip anything a client sent).
 */
public final class LogLimit {

    private static final long WINDOW_MS = 60_000;

    private final Logger log;
    private final String what;
    private final int perMinute;
    private long windowStart;
    private int written;
    private long held;

    public LogLimit(Logger log, String what, int perMinute) {
        this.log = log;
        this.what = what;
        this.perMinute = perMinute;
    }

    public void warn(String format, Object... args) {
        if (allow()) {
            log.warn(format, args);
        }
    }

    public void info(String format, Object... args) {
        if (allow()) {
            log.info(format, args);
        }
    }

    private synchronized boolean allow() {
        long now = System.currentTimeMillis();
        if (now - windowStart >= WINDOW_MS) {
            if (held > 0) {
                log.warn("{}: {} more lines like these in the last minute were not logged", what, held);
            }
            windowStart = now;
            written = 0;
            held = 0;
        }
        if (written < perMinute) {
            written++;
            return true;
        }
        held++;
        return false;
    }

    /** A value from the wire, cut short and stripped of control characters, for a log line or an error. */
    public static String clip(Object value) {
        if (value == null) {
            return "null";
        }
        String flat = value.toString().replaceAll("\\p{Cntrl}", "?");
        return flat.length() <= 100 ? flat : flat.substring(0, 100) + "…";
    }
}
