package org.borderwatch.ingest.adsb;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import org.borderwatch.contact.Contact;
import org.borderwatch.contact.ContactIngest;
import org.borderwatch.contact.FeedBuffer;
import org.borderwatch.ops.LogLimit;
import org.borderwatch.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * ADS-B from a BaseStation (SBS-1) feed ({@code BW_ADSB_SBS}): the node connects to dump1090's or readsb's port 30003
 * as a client, reads its lines, combines them per aircraft ({@link AircraftTracks}) and stores each position as a
 * contact, timed by the node's clock (the feed's own times carry no zone). A lost or refused connection is tried
 * again with a growing pause, up to {@link #MAX_BACKOFF_MS}; a bad line is dropped, counted and logged within
 * bounds, and never stops the feed.
 */
public final class SbsFeedVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(SbsFeedVerticle.class);
    static final long FIRST_BACKOFF_MS = 500;
    static final long MAX_BACKOFF_MS = 30_000;
    private static final long SWEEP_MS = 60_000;

    private final String host;
    private final int port;
    private final ContactIngest ingest;
    private final AircraftTracks tracks;
    private final LongAdder lines;
    private final LongAdder bad;
    private final LongAdder dropped;
    private final LogLimit badLog = new LogLimit(LOG, "ADS-B feed bad lines", 6);
    private final LogLimit linkLog = new LogLimit(LOG, "ADS-B feed connection", 6);
    private NetClient client;
    private FeedBuffer buffer;
    private NetSocket socket;
    private long backoff = FIRST_BACKOFF_MS;
    private boolean stopping;
    private volatile boolean connected;

    public SbsFeedVerticle(String host, int port, String agency, ContactIngest ingest, Metrics metrics) {
        this.host = host;
        this.port = port;
        this.ingest = ingest;
        this.tracks = new AircraftTracks(agency, "adsb-feed");
        this.lines = metrics.counter("bw_adsb_lines_total", "SBS-1 lines read from the ADS-B feed");
        this.bad = metrics.counter("bw_adsb_bad_lines_total", "SBS-1 lines dropped as malformed");
        this.dropped = metrics.counter("bw_adsb_dropped_total", "ADS-B positions dropped: the writer was full");
        metrics.gauge("bw_adsb_connected", "1 while the ADS-B feed is connected", () -> connected ? 1 : 0);
    }

    @Override
    public Future<?> start() {
        client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000).setTcpKeepAlive(true));
        buffer = new FeedBuffer(vertx, ingest, dropped, "ADS-B feed");
        vertx.setPeriodic(SWEEP_MS, id -> tracks.sweep(Instant.now()));
        connect();
        // The feed may be down when the node starts: the node starts all the same and keeps trying.
        return Future.succeededFuture();
    }

    private void connect() {
        if (stopping) {
            return;
        }
        client.connect(port, host).onComplete(ar -> {
            if (ar.failed()) {
                linkLog.warn("ADS-B feed {}:{} unreachable ({}); trying again in {} ms", host, port,
                        LogLimit.clip(ar.cause().getMessage()), backoff);
                retry();
                return;
            }
            socket = ar.result();
            connected = true;
            LOG.info("ADS-B feed connected to {}:{}", host, port);
            LineSplitter splitter = new LineSplitter(SbsMessage.MAX_LINE, this::onLine);
            socket.handler(chunk -> {
                backoff = FIRST_BACKOFF_MS; // data flows: the next loss starts the pauses afresh
                splitter.feed(chunk);
            });
            socket.exceptionHandler(e -> linkLog.warn("ADS-B feed {}:{} failed: {}", host, port,
                    LogLimit.clip(e.getMessage())));
            socket.closeHandler(v -> {
                connected = false;
                socket = null;
                if (!stopping) {
                    linkLog.warn("ADS-B feed {}:{} closed; reconnecting in {} ms", host, port, backoff);
                    retry();
                }
            });
        });
    }

    private void retry() {
        long pause = backoff;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        vertx.setTimer(pause, id -> connect());
    }

    private void onLine(String line) {
        lines.increment();
        if (line == null) {
            bad.increment();
            badLog.warn("ADS-B feed line longer than {} characters dropped", SbsMessage.MAX_LINE);
            return;
        }
        if (line.isBlank()) {
            return;
        }
        try {
            SbsMessage msg = SbsMessage.parse(line);
            if (msg != null) {
                Contact fix = tracks.apply(msg, Instant.now().truncatedTo(ChronoUnit.MILLIS));
                if (fix != null) {
                    buffer.add(fix);
                }
            }
        } catch (RuntimeException e) {
            // Whatever a line holds, it costs only itself: the feed goes on.
            bad.increment();
            badLog.warn("ADS-B feed line dropped ({}): {}", e.getMessage(), LogLimit.clip(line));
        }
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        buffer.close(vertx);
        Future<Void> closed = socket == null ? Future.succeededFuture() : socket.close();
        return closed.compose(v -> client.close());
    }
}
