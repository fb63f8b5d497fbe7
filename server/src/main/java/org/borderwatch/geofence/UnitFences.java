package org.borderwatch.geofence;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One unit's geofence membership and the time of the newest fix applied to it. Only fixes newer than
 * {@link #lastTime()} may change it, which is what keeps a late fix from moving a unit backwards.
 */
public final class UnitFences {

    private Instant lastTime;
    private final Map<String, Membership> inside;

    public UnitFences(Instant lastTime, Map<String, Membership> inside) {
        this.lastTime = lastTime;
        this.inside = new HashMap<>(inside);
    }

    public static UnitFences empty() {
        return new UnitFences(null, Map.of());
    }

    public UnitFences copy() {
        return new UnitFences(lastTime, inside);
    }

    public Instant lastTime() {
        return lastTime;
    }

    public boolean isNewer(Instant time) {
        return lastTime == null || time.isAfter(lastTime);
    }

    public void advance(Instant time) {
        lastTime = time;
    }

    /** Fence id to the unit's membership of it. */
    public Map<String, Membership> inside() {
        return inside;
    }
}
