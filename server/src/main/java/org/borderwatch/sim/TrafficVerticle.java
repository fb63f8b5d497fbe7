package org.borderwatch.sim;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.borderwatch.ingest.ais.AisEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The simulator's air and sea traffic, heard the way real traffic is: a BaseStation (SBS-1) server on a free local
 * port, as dump1090 serves port 30003, for a light aircraft flying the river; and AIS sentences sent over UDP, as a
 * receiver forwards them, for a few boats near Brownsville. The node reads them through its ordinary ADS-B and AIS
 * feeds, so the demo exercises the same code a real receiver does.
 */
public final class TrafficVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficVerticle.class);
    private static final long TICK_MS = 1000;
    private static final int IDENT_EVERY = 10;
    private static final int AIS_POSITION_EVERY = 3;
    private static final int AIS_STATIC_EVERY = 60;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final boolean adsb;
    private final int aisPort;
    private final SimCraft aircraft = SimCraft.aircraft();
    private final List<SimCraft> vessels = SimCraft.vessels();
    private final Set<NetSocket> listeners = new HashSet<>();
    private NetServer server;
    private DatagramSocket udp;
    private long ticks;
    private volatile int sbsPort;

    /**
     * @param adsb    whether to serve SBS-1 (the node then connects to {@link #sbsPort()})
     * @param aisPort the local UDP port to send AIS to; 0 = none
     */
    public TrafficVerticle(boolean adsb, int aisPort) {
        this.adsb = adsb;
        this.aisPort = aisPort;
    }

    /** The port the SBS-1 server listens on, once started. */
    public int sbsPort() {
        return sbsPort;
    }

    @Override
    public Future<?> start() {
        udp = vertx.createDatagramSocket();
        Future<?> listening = Future.succeededFuture();
        if (adsb) {
            server = vertx.createNetServer().connectHandler(socket -> {
                listeners.add(socket);
                socket.closeHandler(v -> listeners.remove(socket));
                socket.exceptionHandler(e -> socket.close());
                socket.handler(ignored -> {
                    // A BaseStation client says nothing; whatever it sends is ignored.
                });
            });
            listening = server.listen(0, "127.0.0.1").onSuccess(s -> sbsPort = s.actualPort());
        }
        return listening.onSuccess(v -> {
            vertx.setPeriodic(TICK_MS, id -> tick());
            LOG.info("simulator: an aircraft on SBS-1 port {} and {} boats on AIS to UDP port {}", sbsPort,
                    vessels.size(), aisPort);
        });
    }

    private void tick() {
        Instant now = Instant.now();
        double seconds = now.toEpochMilli() / 1000.0;
        if (adsb && !listeners.isEmpty()) {
            Buffer lines = Buffer.buffer(sbs(aircraft, aircraft.at(seconds), now, ticks % IDENT_EVERY == 0));
            for (NetSocket socket : listeners) {
                if (!socket.writeQueueFull()) {
                    socket.write(lines);
                }
            }
        }
        if (aisPort > 0) {
            int second = (int) (now.getEpochSecond() % 60);
            for (int i = 0; i < vessels.size(); i++) {
                SimCraft boat = vessels.get(i);
                if ((ticks + i) % AIS_POSITION_EVERY == 0) {
                    double[] at = boat.at(seconds);
                    double knots = boat.speedMps() * 3600 / 1852;
                    int mmsi = Integer.parseInt(boat.id());
                    send(boat.classB() ? AisEncoder.positionB(mmsi, at[1], at[0], knots, at[2], second)
                            : AisEncoder.positionA(mmsi, at[1], at[0], knots, at[2], (int) at[2], 0, second));
                }
                if ((ticks + i) % AIS_STATIC_EVERY == 0) {
                    int mmsi = Integer.parseInt(boat.id());
                    send(boat.classB() ? AisEncoder.staticB(mmsi, boat.name())
                            : AisEncoder.staticA(mmsi, 0, "WDB" + boat.id().substring(6), boat.name(), 52,
                                    "BROWNSVILLE", (int) (ticks % 10)));
                }
            }
        }
        ticks++;
    }

    /** The craft's lines as dump1090 writes them: position and velocity, and now and then its callsign. */
    static String sbs(SimCraft craft, double[] at, Instant now, boolean ident) {
        String times = "," + DATE.format(now) + "," + TIME.format(now) + "," + DATE.format(now) + ","
                + TIME.format(now);
        String head = ",1,1," + craft.id() + ",1" + times;
        long feet = Math.round(craft.altMeters() / 0.3048);
        long knots = Math.round(craft.speedMps() * 3600 / 1852);
        StringBuilder out = new StringBuilder();
        if (ident) {
            out.append("MSG,1").append(head).append(',').append(String.format("%-8s", craft.name()))
                    .append(",,,,,,,,,,,0\r\n");
        }
        out.append("MSG,3").append(head).append(",,").append(feet).append(",,,")
                .append(String.format(Locale.ROOT, "%.5f,%.5f", at[1], at[0])).append(",,,0,,0,0\r\n");
        out.append("MSG,4").append(head).append(",,,").append(knots).append(',').append(Math.round(at[2]) % 360)
                .append(",,,0,,,,,0\r\n");
        return out.toString();
    }

    private void send(List<String> sentences) {
        // One datagram per sentence, as most receivers forward them.
        for (String sentence : sentences) {
            udp.send(sentence + "\r\n", aisPort, "127.0.0.1");
        }
    }

    @Override
    public Future<?> stop() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.compose(v -> udp.close());
    }
}
