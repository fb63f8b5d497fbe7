package org.borderwatch.contact;

import io.vertx.core.Vertx;
import org.borderwatch.ops.LogLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Gathers a feed's contact fixes and hands them to the writer every {@link #FLUSH_MS} ms, one batch at a time: a
 * receiver's hundreds of messages a second become a few reports, never one each. A feed cannot be asked to retry, so
 * what the writer refuses (its queue full, the database down) and what piles up beyond {@link #MAX_WAITING} while it
 * is slow is dropped and counted; the next fixes carry on. Use on one context (the feed verticle's).
 */
public final class FeedBuffer {

    private static final Logger LOG = LoggerFactory.getLogger(FeedBuffer.class);
    static final long FLUSH_MS = 100;
    static final int MAX_WAITING = 20_000;

    private final ContactIngest ingest;
    private final LongAdder dropped;
    private final LogLimit log;
    private List<Contact> waiting = new ArrayList<>();
    private boolean inFlight;
    private long timer = -1;

    public FeedBuffer(Vertx vertx, ContactIngest ingest, LongAdder dropped, String feed) {
        this.ingest = ingest;
        this.dropped = dropped;
        this.log = new LogLimit(LOG, feed, 6);
        this.timer = vertx.setPeriodic(FLUSH_MS, id -> flush());
    }

    public void add(Contact contact) {
        if (waiting.size() >= MAX_WAITING) {
            dropped.increment();
            return;
        }
        waiting.add(contact);
    }

    private void flush() {
        if (inFlight || waiting.isEmpty()) {
            return;
        }
        List<Contact> batch = waiting;
        waiting = new ArrayList<>();
        inFlight = true;
        ingest.submit(batch).onComplete(ar -> {
            inFlight = false;
            if (ar.failed()) {
                dropped.add(batch.size());
                log.warn("{} contact fixes dropped: {}", batch.size(), LogLimit.clip(ar.cause().getMessage()));
            }
        });
    }

    public void close(Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
