package org.borderwatch.ingest.ais;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import org.borderwatch.contact.Contact;
import org.borderwatch.contact.ContactIngest;
import org.borderwatch.contact.FeedBuffer;
import org.borderwatch.ops.LogLimit;
import org.borderwatch.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * AIS over UDP ({@code BW_AIS_UDP_PORT}), as AIS receivers and dispatchers (AIS-catcher, rtl-ais, AISHub's
 * dispatcher) forward NMEA: one or more {@code !AIVDM} sentences per datagram, a line each. Every position report
 * becomes a vessel contact, with the name and type its static messages gave ({@link VesselTracks}), timed by the
 * node's clock (AIS reports only the second of the minute). A bad sentence is dropped, counted and logged within
 * bounds; the feed goes on.
 */
public final class AisFeedVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(AisFeedVerticle.class);
    private static final long SWEEP_MS = 60_000;

    private final int port;
    private final ContactIngest ingest;
    private final AisDecoder decoder = new AisDecoder();
    private final VesselTracks tracks;
    private final LongAdder sentences;
    private final LongAdder bad;
    private final LongAdder dropped;
    private final LogLimit badLog = new LogLimit(LOG, "AIS feed bad sentences", 6);
    private DatagramSocket socket;
    private FeedBuffer buffer;
    private volatile int actualPort;

    /** @param port the UDP port to listen on; 0 picks a free one (see {@link #port()}) */
    public AisFeedVerticle(int port, String agency, ContactIngest ingest, Metrics metrics) {
        this.port = port;
        this.ingest = ingest;
        this.tracks = new VesselTracks(agency, "ais-feed");
        this.sentences = metrics.counter("bw_ais_sentences_total", "AIS sentences received");
        this.bad = metrics.counter("bw_ais_bad_sentences_total", "AIS sentences dropped: malformed or bad checksum");
        this.dropped = metrics.counter("bw_ais_dropped_total", "AIS positions dropped: the writer was full");
    }

    /** The port it listens on, once started. */
    public int port() {
        return actualPort;
    }

    @Override
    public Future<?> start() {
        buffer = new FeedBuffer(vertx, ingest, dropped, "AIS feed");
        vertx.setPeriodic(SWEEP_MS, id -> tracks.sweep(Instant.now()));
        socket = vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(1 << 20));
        socket.handler(this::onDatagram);
        // A free port is the simulator's: it stays on this host. A configured one takes receivers from the network.
        return socket.listen(port, port == 0 ? "127.0.0.1" : "0.0.0.0").onSuccess(s -> {
            actualPort = s.localAddress().port();
            LOG.info("AIS feed listening on UDP port {}", actualPort);
        });
    }

    private void onDatagram(DatagramPacket packet) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String text = packet.data().toString(StandardCharsets.ISO_8859_1);
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            sentences.increment();
            try {
                AisMessage message = decoder.accept(line, now);
                Contact fix = message == null ? null : tracks.apply(message, now);
                if (fix != null) {
                    buffer.add(fix);
                }
            } catch (RuntimeException e) {
                // Whatever a sentence holds, it costs only itself: the feed goes on.
                bad.increment();
                badLog.warn("AIS sentence dropped ({}): {}", e.getMessage(), LogLimit.clip(line));
            }
        }
    }

    @Override
    public Future<?> stop() {
        buffer.close(vertx);
        return socket.close();
    }
}
