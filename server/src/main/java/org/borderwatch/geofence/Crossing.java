package org.borderwatch.geofence;

import org.borderwatch.track.Position;

/** A unit crossed into or out of a fence with this fix; becomes an alert when the fence's rules ask for it. */
public record Crossing(String type, Geofence fence, Position position) {
}
