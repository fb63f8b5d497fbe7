package org.borderwatch.http;

import io.vertx.core.http.ServerWebSocket;
import org.borderwatch.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.LongAdder;

/**
 * A server WebSocket whose unsent frames stay bounded. Frames that cannot be coalesced (alerts, statuses,
 * snapshots) are still written while its write queue is full, but only up to {@link #MAX_BACKLOG_CHARS}; a client
 * that falls further behind is closed with 1013 (try again later), and the web app reconnects and refetches over
 * REST. Use on the socket's own context.
 */
public final class BoundedSocket {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedSocket.class);
    /** Text written beyond a full write queue before the client counts as stalled: a burst of alerts fits. */
    static final long MAX_BACKLOG_CHARS = 1024 * 1024;
    private static final short TRY_AGAIN_LATER = 1013;

    private final ServerWebSocket socket;
    private final LongAdder closedSlow;
    private long backlog;
    private boolean closing;

    public BoundedSocket(ServerWebSocket socket, Metrics metrics) {
        this.socket = socket;
        this.closedSlow = metrics.counter("bw_ws_slow_closed_total",
                "WebSockets closed because their client stopped reading");
        socket.drainHandler(v -> backlog = 0);
    }

    /** True while earlier frames are still waiting: the moment to hold back what can be coalesced. */
    public boolean busy() {
        return closing || socket.writeQueueFull();
    }

    public void close(short code, String reason) {
        if (!closing) {
            closing = true;
            socket.close(code, reason);
        }
    }

    public void send(String text) {
        if (closing) {
            return;
        }
        if (socket.writeQueueFull()) {
            backlog += text.length();
            if (backlog > MAX_BACKLOG_CHARS) {
                closing = true;
                closedSlow.increment();
                LOG.warn("closing {} socket of {}: it stopped reading, {} chars wait beyond its write queue",
                        socket.path(), socket.remoteAddress(), backlog);
                socket.close(TRY_AGAIN_LATER, "too slow; reconnect");
                return;
            }
        }
        socket.writeTextMessage(text);
    }
}
