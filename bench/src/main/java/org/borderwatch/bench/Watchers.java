package org.borderwatch.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Map clients on {@code /ws/live} and alert subscribers on {@code /ws/alerts}, signed in as admin (they see every
 * unit). Every client reads every frame; the first {@link #SAMPLED_MAPS} map clients also parse each position's
 * {@code time} (the fix's send time, see {@link Fleet}) and record now − time: the device-to-map latency, which
 * includes the map stream's coalescing (at most 100 ms). Alert subscribers record now − the alert's {@code time}
 * (the crossing fix's send time). Parsing in every one of a thousand clients would make the load generator the
 * bottleneck on this machine; one in {@value #SAMPLED_MAPS} sampled clients measures the same stream.
 */
final class Watchers {

    static final int SAMPLED_MAPS = 10;

    private final Histogram mapLatency = new SynchronizedHistogram(TimeUnit.MINUTES.toMillis(10), 3);
    private final Histogram alertLatency = new SynchronizedHistogram(TimeUnit.MINUTES.toMillis(10), 3);
    private final AtomicLong mapFrames = new AtomicLong();
    private final AtomicLong mapBytes = new AtomicLong();
    private final AtomicLong alerts = new AtomicLong();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final WebSocketClient client;
    private volatile long windowStart;
    private volatile long windowEnd;

    Watchers(Vertx vertx, int maps, int alertSubscribers) {
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(maps
                + alertSubscribers + 10).setMaxMessageSize(256 * 1024 * 1024).setMaxFrameSize(16 * 1024 * 1024)
                .setConnectTimeout(60_000));
    }

    /** Connects every client; the snapshot each map receives first is not measured. */
    Future<Void> connect(int port, String token, int maps, int alertSubscribers) {
        List<Future<WebSocket>> all = new ArrayList<>();
        for (int i = 0; i < maps; i++) {
            boolean sampled = i < SAMPLED_MAPS;
            all.add(open(port, "/ws/live?access_token=" + token).onSuccess(ws -> ws.textMessageHandler(text -> {
                mapFrames.incrementAndGet();
                mapBytes.addAndGet(text.length());
                if (sampled && text.startsWith("{\"type\":\"positions\"")) {
                    record(mapLatency, text, false);
                }
            })));
        }
        for (int i = 0; i < alertSubscribers; i++) {
            all.add(open(port, "/ws/alerts?access_token=" + token).onSuccess(ws -> ws.textMessageHandler(text -> {
                alerts.incrementAndGet();
                record(alertLatency, text, true);
            })));
        }
        return Future.all(all).map(ok -> {
            all.forEach(f -> sockets.add(f.result()));
            return null;
        });
    }

    private Future<WebSocket> open(int port, String uri) {
        return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri));
    }

    void window(long start, long end) {
        windowStart = start;
        windowEnd = end;
    }

    /** Records now − time for every {@code "time":"…"} in the frame (only the first when {@code first}). */
    private void record(Histogram histogram, String text, boolean first) {
        long nano = System.nanoTime();
        if (nano < windowStart || nano >= windowEnd) {
            return;
        }
        long now = System.currentTimeMillis();
        int at = 0;
        while ((at = text.indexOf("\"time\":\"", at)) >= 0) {
            int from = at + 8;
            int to = text.indexOf('"', from);
            if (to < 0) {
                return;
            }
            try {
                long ms = Instant.parse(text.substring(from, to)).toEpochMilli();
                histogram.recordValue(Math.min(Math.max(0, now - ms), histogram.getHighestTrackableValue()));
            } catch (RuntimeException ignored) {
                // not a fix time
            }
            if (first) {
                return;
            }
            at = to;
        }
    }

    Histogram mapLatency() {
        return mapLatency.copy();
    }

    Histogram alertLatency() {
        return alertLatency.copy();
    }

    long mapFrames() {
        return mapFrames.get();
    }

    long mapBytes() {
        return mapBytes.get();
    }

    long alerts() {
        return alerts.get();
    }

    Future<Void> close() {
        return client.close();
    }
}
