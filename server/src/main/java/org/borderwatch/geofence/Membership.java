package org.borderwatch.geofence;

import java.time.Instant;

/** A unit is inside a fence since the fix at {@code enteredAt}; {@code dwellAlerted} once its dwell alert went out. */
public record Membership(Instant enteredAt, boolean dwellAlerted) {
}
