package org.borderwatch.geofence;

import org.borderwatch.track.Position;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The rule logic that turns "PostGIS says this fix is inside these fences" into crossings, one fix at a time in time
 * order. Pure: no I/O, so it is tested on its own.
 */
public final class Crossings {

    private Crossings() {
    }

    /**
     * Applies one fix newer than the unit's last to its state and returns the alerts it raises.
     *
     * @param insideNow ids of the fences PostGIS found the fix inside, any type
     * @param fences    the fences in force; fences missing here were deleted and are forgotten silently
     */
    public static List<Crossing> apply(UnitFences state, String unitType, Position fix, Collection<String> insideNow,
                                       Map<String, Geofence> fences) {
        List<Crossing> crossings = new ArrayList<>();
        Map<String, Instant> inside = state.inside();
        for (Iterator<Map.Entry<String, Instant>> it = inside.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> entry = it.next();
            Geofence fence = fences.get(entry.getKey());
            if (fence == null || !fence.appliesTo(unitType)) {
                // Deleted or retargeted: the unit did not move, so this is no exit.
                it.remove();
            } else if (!insideNow.contains(entry.getKey())) {
                it.remove();
                if (fence.exit()) {
                    crossings.add(new Crossing("exit", fence, fix));
                }
            }
        }
        for (String id : insideNow) {
            Geofence fence = fences.get(id);
            if (fence == null || !fence.appliesTo(unitType) || inside.containsKey(id)) {
                continue;
            }
            inside.put(id, fix.time());
            if (fence.enter()) {
                crossings.add(new Crossing("enter", fence, fix));
            }
        }
        state.advance(fix.time());
        return crossings;
    }
}
