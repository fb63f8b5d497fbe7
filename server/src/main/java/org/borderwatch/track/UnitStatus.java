package org.borderwatch.track;

import java.time.Duration;
import java.time.Instant;

/** live, stale after {@code BW_STALE_SECONDS} of silence, lost after five times that. */
public enum UnitStatus {
    LIVE,
    STALE,
    LOST;

    public static UnitStatus of(Instant lastFix, Instant now, int staleSeconds) {
        if (lastFix == null) {
            return LOST;
        }
        long silent = Duration.between(lastFix, now).getSeconds();
        if (silent >= 5L * staleSeconds) {
            return LOST;
        }
        return silent >= staleSeconds ? STALE : LIVE;
    }

    public String wireName() {
        return name().toLowerCase();
    }
}
