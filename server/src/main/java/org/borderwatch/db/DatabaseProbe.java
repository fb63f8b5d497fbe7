package org.borderwatch.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Whether this node reaches PostgreSQL, asked once a second on a connection of its own (a busy API pool never makes
 * the database look down) with a bounded wait (a database that stops answering counts as down as much as one that
 * refuses). Maps show a degraded banner from it (API.md §7's health frame). Use on the context that started it.
 */
public final class DatabaseProbe {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseProbe.class);
    static final long INTERVAL_MS = 1_000;
    static final long TIMEOUT_MS = 2_000;

    private final Database database;
    private Vertx vertx;
    private Pool pool;
    private long timer = -1;
    private boolean probing;
    private boolean up = true;
    private Instant since = Instant.now();

    public DatabaseProbe(Database database) {
        this.database = database;
    }

    /** Starts probing; {@code onChange} gets (up, since) each time reachability changes. */
    public void start(Vertx vertx, BiConsumer<Boolean, Instant> onChange) {
        this.vertx = vertx;
        pool = database.pool(vertx, 1);
        timer = vertx.setPeriodic(INTERVAL_MS, id -> probe(onChange));
    }

    private void probe(BiConsumer<Boolean, Instant> onChange) {
        if (probing) {
            return; // the last one still waits for its answer or its timeout
        }
        probing = true;
        pool.query("SELECT 1").execute().timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(ar -> {
            probing = false;
            if (ar.succeeded() == up) {
                return;
            }
            up = ar.succeeded();
            Instant changed = Instant.now();
            if (up) {
                LOG.info("database reachable again after {} s", changed.getEpochSecond() - since.getEpochSecond());
            } else {
                // One line per change: the API's 503s during the outage are counted elsewhere, not logged each.
                LOG.warn("database unreachable: {}", ar.cause().getClass().getSimpleName());
            }
            since = changed;
            onChange.accept(up, since);
        });
    }

    /** Whether the last probe was answered. */
    public boolean up() {
        return up;
    }

    /** When the database last went down or came back (the node's start if neither). */
    public Instant since() {
        return since;
    }

    public Future<Void> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return pool == null ? Future.succeededFuture() : pool.close();
    }
}
