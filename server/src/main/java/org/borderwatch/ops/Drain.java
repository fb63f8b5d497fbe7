package org.borderwatch.ops;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.Responses;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A node stopping (API.md §8). From {@link #begin()} on every door answers what it has taken and takes nothing new:
 * HTTP and OsmAnd answer new requests 503 with {@code Retry-After} and {@code Connection: close} (so keep-alive
 * clients go elsewhere rather than meet a closing connection), MQTT refuses new connections and acknowledges no new
 * publish, CoT reads no more, and the sockets that only listen are closed with 1001 (going away). The drain counts
 * the work in flight across every door, so the shutdown knows when the last answer is out. Shared by the verticles
 * of a node, so thread-safe.
 */
public final class Drain {

    /** A stopping node is back, or another node answers, within seconds. */
    public static final long RETRY_AFTER_SECONDS = 2;
    /** WebSocket close code for a node that is stopping (RFC 6455 §7.4.1, going away): reconnect elsewhere. */
    public static final short GOING_AWAY = 1001;
    private static final long POLL_MS = 20;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder answered = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final List<Runnable> onBegin = new CopyOnWriteArrayList<>();
    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    /** Runs {@code action} on {@code context} when the drain begins: what a door stops or closes then. */
    public void onBegin(Context context, Runnable action) {
        onBegin.add(() -> context.runOnContext(v -> action.run()));
        if (draining) {
            context.runOnContext(v -> action.run());
        }
    }

    /** Stops taking new work; idempotent. */
    public void begin() {
        if (!draining) {
            draining = true;
            onBegin.forEach(Runnable::run);
        }
    }

    /** Counts {@code work} as in flight until it completes: a position a device waits to see acknowledged. */
    public <T> Future<T> track(Future<T> work) {
        inFlight.incrementAndGet();
        return work.andThen(ar -> inFlight.decrementAndGet());
    }

    /** Work in flight across the node's doors. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * The first handler of an HTTP router: while draining it answers 503 (after reading the body, so the client is
     * not reset mid-send); otherwise it counts the request in flight until its answer is out, and once the drain has
     * begun tells the client to close the connection with it.
     */
    public Handler<RoutingContext> gate() {
        return ctx -> {
            HttpServerRequest request = ctx.request();
            if (draining) {
                refused.increment();
                request.handler(chunk -> { });
                request.end().onComplete(ar -> {
                    closeAfter(ctx);
                    Responses.fail(ctx, ApiException.unavailable("the server is stopping, retry shortly",
                            RETRY_AFTER_SECONDS));
                });
                return;
            }
            if (request.headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true)) {
                // An upgraded request never ends: the socket it becomes is the door's to close when draining.
                ctx.next();
                return;
            }
            inFlight.incrementAndGet();
            ctx.addHeadersEndHandler(v -> {
                if (draining) {
                    closeAfter(ctx);
                }
            });
            ctx.addEndHandler(ar -> {
                if (draining) {
                    (ar.succeeded() ? answered : lost).increment();
                }
                inFlight.decrementAndGet();
            });
            ctx.next();
        };
    }

    private static void closeAfter(RoutingContext ctx) {
        // HTTP/2 has no Connection header: its connections get a GOAWAY when the server shuts down.
        if (ctx.request().version() != HttpVersion.HTTP_2 && !ctx.response().headWritten()) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
    }

    /** Completes once no work is in flight, or after {@code timeoutMs} with what is still in flight. */
    public Future<Integer> idle(Vertx vertx, long timeoutMs) {
        if (inFlight.get() == 0) {
            return Future.succeededFuture(0);
        }
        Promise<Integer> promise = Promise.promise();
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        // Not setPeriodic(0, …): Vert.x 5.0 throws when a timer with no initial delay is cancelled in its first run,
        // which left the promise pending and the node halted at its deadline.
        vertx.setPeriodic(POLL_MS, id -> {
            int left = inFlight.get();
            if (left == 0 || System.nanoTime() >= deadline) {
                vertx.cancelTimer(id);
                promise.tryComplete(left);
            }
        });
        return promise.future();
    }

    /** The counts since the drain began, for the log line that closes a node's life. */
    public String summary() {
        return answered.sum() + " requests answered while draining, " + refused.sum() + " refused with 503, "
                + lost.sum() + " lost their connection before an answer";
    }
}
