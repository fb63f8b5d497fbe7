package org.borderwatch.contact;

import java.time.Duration;
import java.time.Instant;

/**
 * How current a contact is, judged from the time of its newest fix: {@code live}, {@code stale} after
 * {@code BW_CONTACT_STALE_SECONDS} of silence, and {@code dropped} from the live picture at five times that. A
 * contact reappears as soon as it is reported again.
 */
public enum ContactStatus {
    LIVE("live"), STALE("stale"), DROPPED("dropped");

    /** Dropped from the live picture after this many times the stale silence. */
    public static final int DROP_FACTOR = 5;

    private final String wireName;

    ContactStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ContactStatus of(Instant time, Instant now, int staleSeconds) {
        Duration silence = Duration.between(time, now);
        if (silence.compareTo(Duration.ofSeconds((long) staleSeconds * DROP_FACTOR)) >= 0) {
            return DROPPED;
        }
        return silence.compareTo(Duration.ofSeconds(staleSeconds)) >= 0 ? STALE : LIVE;
    }
}
