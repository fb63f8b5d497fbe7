package org.borderwatch.track;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How far behind the durable write path is: the positions waiting for a commit and the pace at which commits have
 * been taking them lately. Written by the track writer, read by admission control on the doors' threads, which
 * turns new requests away while the queue holds more than the writer commits in a set time.
 */
public final class WriteLoad {

    /** Weight of the newest commit in the moving pace: about the last ten commits count. */
    private static final double WEIGHT = 0.2;

    private final AtomicInteger queued = new AtomicInteger();
    /** Moving sums of positions committed and of the seconds taken: their ratio is the pace, big commits weigh more. */
    private double positions;
    private double seconds;

    /** Positions waiting for a commit. */
    public int queued() {
        return queued.get();
    }

    /** The writer queued ({@code count} > 0) or took ({@code count} < 0) positions. */
    public void add(int count) {
        queued.addAndGet(count);
    }

    /** A group commit of {@code count} positions took {@code nanos}, from taking them off the queue to commit. */
    public synchronized void committed(int count, long nanos) {
        double took = Math.max(nanos, 1) / 1e9;
        if (seconds == 0) {
            positions = count;
            seconds = took;
        } else {
            positions += WEIGHT * (count - positions);
            seconds += WEIGHT * (took - seconds);
        }
    }

    /** Positions per second the recent commits stored, 0 before the first. */
    public synchronized double pace() {
        return seconds == 0 ? 0 : positions / seconds;
    }
}
