package org.borderwatch.ingest.cot;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.borderwatch.auth.DeviceKeys;
import org.borderwatch.auth.OpenConnections;
import org.borderwatch.auth.Principal;
import org.borderwatch.auth.Role;
import org.borderwatch.auth.Visibility;
import org.borderwatch.feed.Feed;
import org.borderwatch.ingest.Admission;
import org.borderwatch.ingest.AdmissionQueue;
import org.borderwatch.ingest.DoorVerticle;
import org.borderwatch.ingest.Doors;
import org.borderwatch.ops.LogLimit;
import org.borderwatch.tls.Tls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cursor-on-Target on {@code BW_COT_PORT}, as a TAK server speaks it: over TCP a connection is both ways (see
 * {@link CotConnection}); over UDP each datagram (up to 64 KB) is one event whose uid is its unit's device key. With
 * TLS configured the same connections are also served over TLS on {@code BW_COT_TLS_PORT}, with client certificates
 * when {@code BW_TLS_CLIENT_CA} is set. The feed is encoded once per position or alert and the same bytes queued for
 * every client that may see it. A stopping node reads no more from its clients, stores what it has read, takes no
 * new connection or datagram, and closes the connections with its listeners.
 */
public final class CotVerticle extends DoorVerticle implements Feed.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(CotVerticle.class);
    private static final long FLUSH_INTERVAL_MS = 100;
    /** The largest UDP payload: a datagram is read whole or not at all. */
    private static final int MAX_DATAGRAM = 65_535;
    /** Datagrams being stored at once; beyond this the door drops them, as UDP may. */
    private static final int MAX_UDP_IN_FLIGHT = 1000;

    private final Set<CotConnection> connections = new HashSet<>();
    private final LogLimit logs = new LogLimit(LOG, "CoT", 30);
    private OpenConnections open;
    private AdmissionQueue admission;
    private LongAdder ignored;
    private LongAdder dropped;
    private CotEncoder encoder;
    private Feed feed;
    private int udpInFlight;

    public CotVerticle(Doors doors) {
        super(doors);
    }

    @Override
    protected Future<?> open() {
        open = OpenConnections.listen(vertx);
        admission = new AdmissionQueue(vertx, doors.admission());
        encoder = new CotEncoder(doors.config().staleSeconds());
        ignored = doors.metrics().counter("bw_cot_ignored_total",
                "CoT events received that are no fix of the sender's unit (markers, chat, watch-only clients)");
        dropped = doors.metrics().counter("bw_cot_udp_dropped_total", "CoT datagrams dropped: bad or too many");
        doors.metrics().gauge("bw_cot_clients", "TAK clients connected to this node and signed in",
                connections::size);
        doors.drain().onBegin(vertx.getOrCreateContext(), () -> List.copyOf(connections).forEach(
                CotConnection::drain));
        return feed(this)
                .compose(f -> {
                    feed = f;
                    vertx.setPeriodic(FLUSH_INTERVAL_MS, id -> connections.forEach(CotConnection::flush));
                    return plain();
                })
                .compose(v -> tls());
    }

    /** TCP both ways and UDP in on {@code BW_COT_PORT}, as devices in the field have always used it. */
    private Future<?> plain() {
        int port = doors.config().cotPort();
        if (port <= 0) {
            return Future.succeededFuture();
        }
        DatagramSocket udp = vertx.createDatagramSocket(new DatagramSocketOptions()
                .setReceiveBufferSize(MAX_DATAGRAM));
        udp.handler(this::datagram);
        return vertx.createNetServer().connectHandler(this::connected)
                .listen(port)
                .compose(tcp -> {
                    onStop(tcp::close);
                    return udp.listen(tcp.actualPort(), "0.0.0.0").map(tcp);
                })
                .onSuccess(tcp -> {
                    onStop(udp::close);
                    LOG.info("Cursor-on-Target on port {} (TCP both ways, UDP in)", tcp.actualPort());
                });
    }

    /**
     * TCP both ways over TLS on {@code BW_COT_TLS_PORT}, when TLS is configured. With {@code BW_TLS_CLIENT_CA} the
     * handshake requires a client certificate from that CA, and its CN signs the client in (see {@link #certified}).
     */
    private Future<?> tls() {
        int port = doors.config().cotTlsPort();
        if (!doors.config().tls() || port <= 0) {
            return Future.succeededFuture();
        }
        return vertx.createNetServer(Tls.cot(doors.config()))
                .connectHandler(socket -> {
                    if (!refusedWhileDraining(socket)) {
                        certified(socket);
                    }
                })
                // A handshake refused (no certificate, another CA's, not TLS at all): bounded, as anyone can try.
                .exceptionHandler(e -> logs.info("CoT TLS handshake refused: {}", LogLimit.clip(e.getMessage())))
                .listen(port)
                .onSuccess(tcp -> {
                    onStop(tcp::close);
                    LOG.info("Cursor-on-Target over TLS on port {}{}", tcp.actualPort(),
                            doors.config().tlsClientCa() != null ? " (client certificates required)" : "");
                });
    }

    private void connected(NetSocket socket) {
        if (!refusedWhileDraining(socket)) {
            new CotConnection(this, socket);
        }
    }

    /** A stopping node takes no new client: TAK clients reconnect, to another node or to this one once it is back. */
    private boolean refusedWhileDraining(NetSocket socket) {
        if (doors.drain().draining()) {
            socket.close();
            return true;
        }
        return false;
    }

    /**
     * A TLS client: when it presented a certificate (signed by {@code BW_TLS_CLIENT_CA}, or the handshake would have
     * failed), its CN is a unit id or a username and signs it in as that unit or user, as TAK Server does; without one
     * it signs in like a client on the plain port.
     */
    private void certified(NetSocket socket) {
        CotConnection connection = new CotConnection(this, socket);
        String name = Tls.clientName(socket);
        if (name != null) {
            connection.certified(name, doors.auth().byName(name));
        }
    }

    Future<Principal> credentials(String username, String password, String address) {
        return doors.auth().credentials(username, password, address);
    }

    Visibility visibility(Principal principal) {
        return doors.sharing().visibility(principal);
    }

    Future<Principal> devices(String key) {
        return DeviceKeys.principal(doors.units(), key);
    }

    /** A ticket once admission control lets a device's message in (waiting while the node or device is at a bound). */
    Future<Admission.Ticket> admit(Principal principal, long bytes) {
        return admission.acquire(principal.role() == Role.DEVICE ? principal.name() : null, bytes);
    }

    Future<Integer> submit(Principal principal, JsonObject position) {
        return Future.succeededFuture(position)
                .map(json -> parser.parse(json, 0))
                .compose(p -> submit(principal, List.of(p)));
    }

    /** A signed-in client: it gets the picture it may see at once, then the feed. */
    void joined(CotConnection connection) {
        connections.add(connection);
        connection.forget(open.add(connection.principal(), null, () -> connection.close("access revoked")));
        LOG.info("TAK client {} signed in as {}", connection.socket().remoteAddress(),
                connection.principal().name());
        for (JsonObject unit : feed.units()) {
            String id = unit.getString("id");
            connection.position(id, encoder.position(unit, doors.units().name(id)));
        }
        connection.flush();
    }

    void ignored() {
        ignored.increment();
    }

    void closed(CotConnection connection, String reason) {
        connections.remove(connection);
        logs.warn("CoT connection from {} closed: {}", connection.socket().remoteAddress(), LogLimit.clip(reason));
    }

    void left(CotConnection connection) {
        connections.remove(connection);
    }

    private void datagram(DatagramPacket packet) {
        if (udpInFlight >= MAX_UDP_IN_FLIGHT || doors.drain().draining()) {
            dropped.increment();
            return;
        }
        // Over UDP nobody can be asked to wait: at the node's bounds a datagram is dropped before it is parsed.
        Admission.Ticket ticket = doors.admission().poll(null, packet.data().length());
        if (ticket == null) {
            dropped.increment();
            return;
        }
        try {
            datagram(packet, ticket);
        } catch (RuntimeException e) {
            ticket.release();
            throw e;
        }
    }

    private void datagram(DatagramPacket packet, Admission.Ticket ticket) {
        CotEvent event;
        try {
            event = CotEvent.parse(packet.data().toString(StandardCharsets.UTF_8).strip());
        } catch (IllegalArgumentException e) {
            ticket.release();
            dropDatagram(packet, e.getMessage());
            return;
        }
        if (event.isPing()) {
            ticket.release();
            return;
        }
        udpInFlight++;
        devices(event.uid())
                .compose(device -> submit(device, event.toPosition(device.unitId())))
                .onComplete(ar -> {
                    ticket.release();
                    udpInFlight--;
                    if (ar.failed()) {
                        dropDatagram(packet, ar.cause().getMessage());
                    }
                });
    }

    private void dropDatagram(DatagramPacket packet, String reason) {
        dropped.increment();
        logs.warn("CoT datagram from {} dropped: {}", packet.sender(), LogLimit.clip(reason));
    }

    @Override
    public void positions(List<JsonObject> units) {
        if (connections.isEmpty()) {
            return;
        }
        for (JsonObject unit : units) {
            String id = unit.getString("id");
            Buffer event = encoder.position(unit, doors.units().name(id));
            connections.forEach(c -> c.position(id, event));
        }
    }

    @Override
    public void alert(JsonObject alert) {
        if (connections.isEmpty()) {
            return;
        }
        Buffer event = encoder.alert(alert, doors.units().name(alert.getString("unitId")));
        List.copyOf(connections).forEach(c -> c.alert(alert, event));
    }

    /** A task for a unit goes to that unit's own TAK connections on this node. */
    @Override
    public void task(JsonObject task) {
        String unitId = task.getString("unitId");
        Buffer event = null;
        for (CotConnection connection : List.copyOf(connections)) {
            if (connection.principal() != null && unitId.equals(connection.principal().unitId())) {
                event = event == null ? encoder.task(task.getJsonObject("task"), Instant.now()) : event;
                connection.task(event);
            }
        }
    }
}
