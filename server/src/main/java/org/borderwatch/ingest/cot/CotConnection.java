package org.borderwatch.ingest.cot;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.borderwatch.auth.Principal;
import org.borderwatch.auth.Role;
import org.borderwatch.auth.Visibility;
import org.borderwatch.feed.Outbox;
import org.borderwatch.http.ApiException;
import org.borderwatch.ops.LogLimit;

import java.time.Instant;
import java.util.List;

/**
 * One TAK client on the CoT TCP port (plain or TLS), both ways. It authenticates with TAK's streaming auth message (a
 * unit id and its device key, or a user's username and password for a watch-only client), by a client certificate
 * on the TLS port, or by sending events whose uid is its device key; after that the uid of its first own position
 * report (ATAK's {@code ANDROID-…}) is its unit. Pings are answered, never stored. Once authenticated it receives
 * the feed: every unit it may see as it moves and every alert it may see, through an {@link Outbox} so a client that
 * reads slowly skips positions instead of slowing anyone.
 */
final class CotConnection {

    /** Positions being made durable at once, or messages waiting their turn, before the client is read no more. */
    private static final int MAX_IN_FLIGHT = 64;
    /** Alerts waiting for a client that does not read; beyond this it is disconnected. */
    private static final int MAX_QUEUED_ALERTS = 1000;
    /** Events are gathered into writes of about this many bytes. */
    private static final int WRITE_BYTES = 32 * 1024;

    private final CotVerticle door;
    private final NetSocket socket;
    private final CotFramer framer = new CotFramer();
    private final Outbox<Buffer> outbox = new Outbox<>(MAX_QUEUED_ALERTS);
    private Future<Void> turn = Future.succeededFuture();
    private Principal principal;
    private Visibility visibility;
    private String ownUid;
    private int inFlight;
    private int queued;
    private boolean closed;
    /** The node is stopping: nothing more is read; the connection closes with the node's listeners. */
    private boolean draining;
    /** Takes the connection out of the door's registry of open connections, once signed in. */
    private Runnable forget = () -> { };

    CotConnection(CotVerticle door, NetSocket socket) {
        this.door = door;
        this.socket = socket;
        socket.handler(this::received);
        socket.drainHandler(v -> flush());
        socket.exceptionHandler(e -> close("socket error: " + e.getMessage()));
        socket.closeHandler(v -> {
            closed = true;
            forget.run();
            door.left(this);
        });
    }

    void forget(Runnable forget) {
        this.forget = forget;
    }

    NetSocket socket() {
        return socket;
    }

    Principal principal() {
        return principal;
    }

    private void received(Buffer data) {
        List<String> messages;
        try {
            messages = framer.feed(data);
        } catch (IllegalArgumentException e) {
            close(e.getMessage());
            return;
        }
        for (String xml : messages) {
            // One message after another: events wait for the auth message before them to be decided.
            queued++;
            turn = turn.compose(v -> closed ? Future.<Void>succeededFuture() : handle(xml)).onComplete(ar -> {
                queued--;
                reading();
            });
        }
        reading();
    }

    /** Stops reading from a client that sends faster than its positions become durable, and starts again. */
    private void reading() {
        if (closed) {
            return;
        }
        if (draining || queued > MAX_IN_FLIGHT || inFlight >= MAX_IN_FLIGHT) {
            socket.pause();
        } else {
            socket.resume();
        }
    }

    private Future<Void> handle(String xml) {
        CotMessage message;
        try {
            message = CotMessage.parse(xml);
        } catch (IllegalArgumentException e) {
            close(e.getMessage());
            return Future.succeededFuture();
        }
        if (message instanceof CotMessage.Auth auth) {
            return authenticate(auth);
        }
        CotEvent event = (CotEvent) message;
        if (event.isPing()) {
            socket.write(CotEncoder.pong(Instant.now()));
            return Future.succeededFuture();
        }
        if (principal == null) {
            // No auth message: the event's uid must be the unit's device key (CoT's trusted-port convention).
            return door.devices(event.uid())
                    .onSuccess(device -> signedIn(device, event.uid()))
                    .onFailure(e -> close("not authenticated: send <auth><cot username password/></auth> first, "
                            + "or use the device key as uid"))
                    .compose(device -> report(event, xml.length()), e -> Future.succeededFuture());
        }
        return report(event, xml.length());
    }

    private Future<Void> authenticate(CotMessage.Auth auth) {
        if (principal != null) {
            return Future.succeededFuture(); // a repeated auth message changes nothing
        }
        String address = socket.remoteAddress() == null ? null : socket.remoteAddress().hostAddress();
        return door.credentials(auth.username(), auth.password(), address).compose(who -> {
            signedIn(who, auth.uid());
            return Future.<Void>succeededFuture();
        }, e -> {
            close("auth refused for " + LogLimit.clip(auth.username()) + ": " + e.getMessage());
            return Future.succeededFuture();
        });
    }

    /**
     * The client's certificate names it (CoT over mutual TLS): it is signed in as {@code who}, that unit or user,
     * before any message it sends is handled, as if it had sent the auth message with the right credentials. A name
     * that is neither closes the connection.
     */
    void certified(String name, Future<Principal> who) {
        turn = turn.compose(v -> who.compose(principal -> {
            if (!closed) {
                signedIn(principal, null);
            }
            return Future.<Void>succeededFuture();
        }, e -> {
            close("client certificate for " + LogLimit.clip(name) + " refused: " + e.getMessage());
            return Future.<Void>succeededFuture();
        }));
    }

    private void signedIn(Principal who, String uid) {
        principal = who;
        visibility = door.visibility(who);
        ownUid = uid == null || uid.isBlank() ? null : uid;
        door.joined(this);
    }

    /** Stores the event ({@code bytes} long on the wire) as a fix of the client's unit when it is its own report. */
    private Future<Void> report(CotEvent event, int bytes) {
        if (principal.role() != Role.DEVICE) {
            door.ignored(); // a watch-only client's own marker or chat: not a fix of any unit
            return Future.succeededFuture();
        }
        if (ownUid == null && event.isAtom()) {
            ownUid = event.uid();
        }
        if (!event.uid().equals(ownUid) || event.lat() == null) {
            door.ignored(); // markers, routes, chat: other things a TAK client sends that are no fix of its unit
            return Future.succeededFuture();
        }
        JsonObject position;
        try {
            position = event.toPosition(principal.unitId());
        } catch (ApiException | IllegalArgumentException e) {
            close(e instanceof ApiException api ? api.toJson().encode() : e.getMessage());
            return Future.succeededFuture();
        }
        // Admission control: while the node or this device is at a bound, the next message waits its turn here, and
        // with enough of them waiting the socket is no longer read.
        return door.admit(principal, bytes).map(ticket -> {
            if (closed) {
                ticket.release();
                return null;
            }
            inFlight++;
            reading();
            door.submit(principal, position).onComplete(ar -> {
                ticket.release();
                inFlight--;
                reading();
                if (ar.failed()) {
                    close(ar.cause() instanceof ApiException api ? api.toJson().encode()
                            : "position not stored: " + ar.cause().getMessage());
                }
            });
            return null;
        });
    }

    /** The node stops: no more events are read, those read are still handled and their positions acknowledged. */
    void drain() {
        draining = true;
        reading();
    }

    /** A unit moved: queued unless the client may not see it or it is the client's own unit. */
    void position(String unitId, Buffer event) {
        if (visibility.seesUnit(unitId) && !unitId.equals(principal.unitId())) {
            outbox.position(unitId, event);
        }
    }

    /** A task for this client's own unit: kept like an alert, never coalesced away. */
    void task(Buffer event) {
        if (!outbox.message(event)) {
            close("stopped reading: " + MAX_QUEUED_ALERTS + " alerts wait for it");
        }
    }

    void alert(JsonObject alert, Buffer event) {
        if (visibility.seesAlert(alert) && !outbox.message(event)) {
            close("stopped reading: " + MAX_QUEUED_ALERTS + " alerts wait for it");
        }
    }

    /**
     * Writes what waits while the socket takes it, many events to a write (one write a tick instead of one per unit
     * that moved: with 500 TAK clients, a write per event was most of the node's CPU); the rest waits for the next
     * drain or tick.
     */
    void flush() {
        while (!closed && !socket.writeQueueFull()) {
            Buffer next = outbox.poll();
            if (next == null) {
                return;
            }
            // The events are shared by every client: copied into a chunk of this client's own, never appended to.
            Buffer chunk = next;
            Buffer more;
            while (chunk.length() < WRITE_BYTES && (more = outbox.poll()) != null) {
                if (chunk == next) {
                    chunk = Buffer.buffer(WRITE_BYTES + 4096).appendBuffer(next);
                }
                chunk.appendBuffer(more);
            }
            socket.write(chunk);
        }
    }

    void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        door.closed(this, reason);
        socket.close();
    }
}
