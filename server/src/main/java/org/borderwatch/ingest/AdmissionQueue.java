package org.borderwatch.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Admission for a door that holds work back instead of refusing it (MQTT, CoT over TCP): a request the bounds do not
 * let in now waits here, first come first served, and is tried again every few milliseconds, while its connection
 * stops being served (CoT pauses the socket; MQTT withholds the acknowledgement, which stops a QoS 1 client at its
 * in-flight window). Use on one verticle's context.
 */
public final class AdmissionQueue {

    private static final long RETRY_MS = 10;

    private record Waiter(String device, long bytes, Promise<Admission.Ticket> promise) {
    }

    private final Vertx vertx;
    private final Admission admission;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private boolean scheduled;

    public AdmissionQueue(Vertx vertx, Admission admission) {
        this.vertx = vertx;
        this.admission = admission;
    }

    /**
     * A ticket once the request may go in. The caller releases it when the request is done, also when its connection
     * closed while it waited.
     */
    public Future<Admission.Ticket> acquire(String device, long bytes) {
        if (waiting.isEmpty()) {
            Admission.Ticket ticket = admission.poll(device, bytes);
            if (ticket != null) {
                return Future.succeededFuture(ticket);
            }
        }
        Promise<Admission.Ticket> promise = Promise.promise();
        waiting.add(new Waiter(device, bytes, promise));
        schedule();
        return promise.future();
    }

    /** Requests waiting on this door. */
    public int size() {
        return waiting.size();
    }

    private void schedule() {
        if (!scheduled) {
            scheduled = true;
            vertx.setTimer(RETRY_MS, id -> retry());
        }
    }

    private void retry() {
        scheduled = false;
        List<Runnable> admitted = new ArrayList<>();
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            Admission.Ticket ticket = admission.poll(waiter.device(), waiter.bytes());
            if (ticket != null) {
                it.remove();
                admitted.add(() -> waiter.promise().complete(ticket));
            }
        }
        // Completed after the walk: what they run next may queue new waiters.
        admitted.forEach(Runnable::run);
        if (!waiting.isEmpty()) {
            schedule();
        }
    }
}
