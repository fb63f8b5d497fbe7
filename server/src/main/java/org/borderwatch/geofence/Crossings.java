package org.borderwatch.geofence;

import org.borderwatch.track.Position;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The rule logic that turns PostGIS's verdict on one fix into crossings, applied one fix at a time in time order.
 * PostGIS sorts each nearby fence into "inside by more than the margin" ({@code inside}) or "within the margin of
 * the edge" ({@code band}); every other fence is outside by more than the margin. In the band nothing changes, which
 * is what stops GPS jitter along an edge from flapping. Pure: no I/O, tested on its own.
 */
public final class Crossings {

    private Crossings() {
    }

    /**
     * Applies one fix newer than the unit's last to its state and returns the alerts it raises.
     *
     * @param inside ids of the fences the fix is inside by more than the margin, any unit type
     * @param band   ids of the fences whose edge is within the margin of the fix
     * @param fences the fences in force; fences missing here were deleted and are forgotten silently
     */
    public static List<Crossing> apply(UnitFences state, String unitType, Position fix, Collection<String> inside,
                                       Collection<String> band, Map<String, Geofence> fences) {
        List<Crossing> crossings = new ArrayList<>();
        Map<String, Membership> member = state.inside();
        for (Iterator<Map.Entry<String, Membership>> it = member.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Membership> entry = it.next();
            Geofence fence = fences.get(entry.getKey());
            if (fence == null || !fence.appliesTo(unitType)) {
                it.remove(); // deleted or retargeted: the unit did not move, so this is no exit
            } else if (inside.contains(fence.id()) || band.contains(fence.id())) {
                Membership stay = entry.getValue();
                if (dwelled(fence, stay, fix)) {
                    entry.setValue(new Membership(stay.enteredAt(), true));
                    crossings.add(new Crossing("dwell", fence, fix));
                }
            } else {
                it.remove();
                if (fence.exit() && fence.alertsAt(fix.time())) {
                    crossings.add(new Crossing("exit", fence, fix));
                }
            }
        }
        for (String id : inside) {
            Geofence fence = fences.get(id);
            if (fence == null || !fence.appliesTo(unitType) || member.containsKey(id)) {
                continue;
            }
            member.put(id, new Membership(fix.time(), false));
            if (fence.enter() && fence.alertsAt(fix.time())) {
                crossings.add(new Crossing("enter", fence, fix));
            }
        }
        state.advance(fix.time());
        return crossings;
    }

    private static boolean dwelled(Geofence fence, Membership stay, Position fix) {
        return fence.dwellSeconds() != null && !stay.dwellAlerted() && fence.alertsAt(fix.time())
                && !Duration.between(stay.enteredAt(), fix.time()).minusSeconds(fence.dwellSeconds()).isNegative();
    }
}
