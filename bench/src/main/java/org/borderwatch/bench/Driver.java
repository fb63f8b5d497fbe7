package org.borderwatch.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives a {@link Door} with the fleet's fixes, closed-loop ({@code lanes} clients, each sending when its last send
 * was acknowledged: the most the door takes) or open-loop ({@code perSecond} positions a second on a fixed schedule
 * whatever the answers, as independent devices report). Each fix's time is its send's intended start, so the time a
 * send waits in the generator counts in every latency measured from it. Everything runs on one context.
 */
final class Driver {

    /** Sends started but not answered beyond this many are not started at all (counted as dropped). */
    private static final int MAX_OUTSTANDING = 20_000;

    private final Vertx vertx;
    private final Context context;
    private final Door door;
    private final Fleet fleet;
    private final int slots;
    private final Histogram ackLatency = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    private long next;
    private long windowStart;
    private long windowEnd;
    private long stopAt;
    long acknowledged;
    long failed;
    long dropped;
    private long outstanding;
    private String lastFailure;

    Driver(Vertx vertx, Door door, Fleet fleet) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.door = door;
        this.fleet = fleet;
        this.slots = fleet.size() / door.positionsPerSend();
    }

    /** Starts the load; the window of counted acknowledgements is [windowStart, windowEnd) in nanoTime. */
    void start(int lanes, double perSecond, long windowStart, long windowEnd) {
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.stopAt = windowEnd;
        context.runOnContext(v -> {
            if (perSecond <= 0) {
                for (int i = 0; i < lanes; i++) {
                    lane();
                }
            } else {
                openLoop(perSecond / door.positionsPerSend());
            }
        });
    }

    private void lane() {
        if (System.nanoTime() < stopAt) {
            // A refused send is retried after a pause, as a device backs off, not in a tight loop.
            send(System.nanoTime(), System.currentTimeMillis()).onComplete(ar -> {
                if (ar.succeeded()) {
                    lane();
                } else {
                    vertx.setTimer(50, id -> lane());
                }
            });
        }
    }

    private void openLoop(double sendsPerSecond) {
        long start = System.nanoTime();
        long startMs = System.currentTimeMillis();
        long[] started = {0};
        vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            if (now >= stopAt) {
                vertx.cancelTimer(id);
                return;
            }
            long due = (long) ((now - start) / 1e9 * sendsPerSecond);
            while (started[0] < due) {
                long offsetNs = (long) (started[0] / sendsPerSecond * 1e9);
                started[0]++;
                if (outstanding * door.positionsPerSend() >= MAX_OUTSTANDING) {
                    dropped += door.positionsPerSend();
                    continue;
                }
                send(start + offsetNs, startMs + offsetNs / 1_000_000);
            }
        });
    }

    private Future<Void> send(long intendedNs, long intendedMs) {
        int slot = (int) (next++ % slots);
        List<Fleet.Fix> fixes = new ArrayList<>(door.positionsPerSend());
        for (int i = 0; i < door.positionsPerSend(); i++) {
            fixes.add(fleet.next(slot * door.positionsPerSend() + i, intendedMs));
        }
        outstanding++;
        Promise<Void> done = Promise.promise();
        Future<Void> sent;
        try {
            sent = door.send(fixes);
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        sent.onComplete(ar -> context.runOnContext(v -> {
            outstanding--;
            long now = System.nanoTime();
            if (now >= windowStart && now < windowEnd) {
                if (ar.succeeded()) {
                    acknowledged += door.positionsPerSend();
                    ackLatency.recordValue(Math.min(Math.max(1, (now - intendedNs) / 1000),
                            ackLatency.getHighestTrackableValue()));
                } else {
                    failed += door.positionsPerSend();
                    lastFailure = String.valueOf(ar.cause().getMessage());
                }
            }
            if (ar.succeeded()) {
                done.complete();
            } else {
                done.fail(ar.cause());
            }
        }));
        return done.future();
    }

    /** Stops starting sends (those on their way finish on their own). */
    void stop() {
        context.runOnContext(v -> stopAt = 0);
    }

    /** A copy of the acknowledgement latencies, taken on the driver's context. */
    Histogram ackLatency() throws Exception {
        Promise<Histogram> copy = Promise.promise();
        context.runOnContext(v -> copy.complete(ackLatency.copy()));
        return IngestBenchmark.await(copy.future());
    }

    String lastFailure() {
        return lastFailure;
    }
}
