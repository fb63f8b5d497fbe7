package org.borderwatch.track;

import java.util.List;

/** The positions of one request, committed together or not at all. Travels the local event bus by reference. */
public record PositionBatch(List<Position> positions) {
}
