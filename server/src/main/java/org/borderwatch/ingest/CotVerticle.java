package org.borderwatch.ingest;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.borderwatch.auth.DeviceKeys;
import org.borderwatch.cluster.ClusterView;
import org.borderwatch.http.ApiException;
import org.borderwatch.track.UnitRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * Cursor-on-Target on {@code BW_COT_PORT}: a stream of events over TCP, one event per datagram over UDP. This is the
 * trusted CoT port: an event's {@code uid} is its unit's device key. A malformed event or an unknown key closes the
 * TCP connection (UDP: the datagram is dropped), with the reason logged.
 */
public final class CotVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(CotVerticle.class);
    private static final String END = "</event>";
    /** An event is a few hundred bytes; a connection that sends this much without one is not speaking CoT. */
    private static final int MAX_EVENT_BYTES = 64 * 1024;

    private final int port;
    private final UnitRegistry units;
    private final ClusterView cluster;
    private final PositionParser parser = new PositionParser(Clock.systemUTC());
    private PositionIngest ingest;
    private NetServer tcp;
    private DatagramSocket udp;

    public CotVerticle(int port, UnitRegistry units, ClusterView cluster) {
        this.port = port;
        this.units = units;
        this.cluster = cluster;
    }

    @Override
    public Future<?> start() {
        ingest = new PositionIngest(vertx, units, cluster);
        udp = vertx.createDatagramSocket();
        udp.handler(packet -> submit(packet.data().toString(StandardCharsets.UTF_8))
                .onFailure(e -> LOG.warn("CoT datagram from {} dropped: {}", packet.sender(), e.getMessage())));
        return vertx.createNetServer().connectHandler(this::connected).listen(port)
                .compose(server -> {
                    tcp = server;
                    return udp.listen(port, "0.0.0.0");
                })
                .onSuccess(v -> LOG.info("Cursor-on-Target on port {} (TCP and UDP)", tcp.actualPort()));
    }

    private void connected(NetSocket socket) {
        StringBuilder pending = new StringBuilder();
        socket.handler(data -> {
            pending.append(data.toString(StandardCharsets.UTF_8));
            int end;
            while ((end = pending.indexOf(END)) >= 0) {
                String event = pending.substring(0, end + END.length());
                pending.delete(0, end + END.length());
                submit(event).onFailure(e -> {
                    LOG.warn("CoT connection from {} closed: {}", socket.remoteAddress(), e.getMessage());
                    socket.close();
                });
            }
            if (pending.length() > MAX_EVENT_BYTES) {
                LOG.warn("CoT connection from {} closed: {} bytes without {}", socket.remoteAddress(),
                        pending.length(), END);
                socket.close();
            }
        });
    }

    private Future<Integer> submit(String xml) {
        CotEvent event;
        try {
            event = CotEvent.parse(xml.strip());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return DeviceKeys.principal(units, event.uid())
                .compose(device -> ingest.submit(device, List.of(parser.parse(event.toPosition(device.unitId()), 0))))
                .recover(e -> Future.failedFuture(e instanceof ApiException api
                        ? new IllegalArgumentException(api.toJson().encode()) : e));
    }

    @Override
    public Future<?> stop() {
        Future<Void> closeUdp = udp == null ? Future.succeededFuture() : udp.close();
        return tcp == null ? closeUdp : closeUdp.compose(v -> tcp.close());
    }
}
