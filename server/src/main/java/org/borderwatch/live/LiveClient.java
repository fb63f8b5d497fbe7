package org.borderwatch.live;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.borderwatch.auth.Visibility;
import org.borderwatch.http.BoundedSocket;
import org.borderwatch.ops.Drain;
import org.borderwatch.ops.Metrics;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** One map on one socket: its area of interest and the positions waiting for its next frame, latest per unit. */
final class LiveClient {

    // Positions are coalesced here; BoundedSocket bounds every other frame by closing a map that stops reading.
    private static final String POSITIONS_HEAD = "{\"type\":\"positions\",\"units\":[";

    private final BoundedSocket socket;
    private final Visibility visibility;
    private double[] bbox;
    private final Map<String, EncodedUnit> pending = new LinkedHashMap<>();
    /**
     * With a box: the units this map was last sent inside it. One that moves out is sent once more, at its position
     * outside, so the map does not keep drawing it frozen at the edge of its view.
     */
    private final Set<String> inside = new HashSet<>();
    private final Map<String, JsonObject> pendingContacts = new LinkedHashMap<>();
    private final ServerWebSocket raw;
    private long rateWindow;
    private int inWindow;

    LiveClient(ServerWebSocket socket, Visibility visibility, Metrics metrics) {
        this.socket = new BoundedSocket(socket, metrics);
        this.raw = socket;
        this.visibility = visibility;
    }

    Visibility visibility() {
        return visibility;
    }

    /** A new area of interest; the snapshot that answers it says which units are inside ({@link #sent}). */
    void bbox(double[] bbox) {
        this.bbox = bbox;
        inside.clear();
    }

    /** Is the unit this map's to see (visibility) and inside its area of interest? */
    boolean sees(JsonObject unit) {
        return visibility.seesUnit(unit.getString("id")) && inBox(unit);
    }

    /** Records the units of a snapshot as drawn inside the box. */
    void sent(JsonArray snapshot) {
        if (bbox != null) {
            snapshot.forEach(unit -> inside.add(((JsonObject) unit).getString("id")));
        }
    }

    /** Is the contact this map's to see (its agency's or shared with it, API.md §9) and inside its box? */
    boolean seesContact(JsonObject contact) {
        return visibility.seesContactOf(contact.getString("agency")) && inBox(contact);
    }

    private boolean inBox(JsonObject item) {
        if (bbox == null) {
            return true;
        }
        double lon = item.getDouble("lon");
        double lat = item.getDouble("lat");
        boolean inLon = bbox[0] <= bbox[2] ? lon >= bbox[0] && lon <= bbox[2] : lon >= bbox[0] || lon <= bbox[2];
        return inLon && lat >= bbox[1] && lat <= bbox[3];
    }

    /**
     * Replaces whatever was waiting for this contact, as for units. A contact leaving the live picture is told to
     * every map that may see it, wherever it is, so no map keeps it.
     */
    void offerContact(JsonObject contact) {
        boolean dropped = "dropped".equals(contact.getString("status"));
        if (dropped ? visibility.seesContactOf(contact.getString("agency")) : seesContact(contact)) {
            pendingContacts.put(contact.getString("id"), contact);
        }
    }

    /** Sends the contacts waiting, unless the socket is still busy with earlier frames. */
    boolean flushContacts() {
        if (pendingContacts.isEmpty() || socket.busy()) {
            return false;
        }
        JsonArray contacts = new JsonArray();
        pendingContacts.values().forEach(contacts::add);
        pendingContacts.clear();
        send(new JsonObject().put("type", "contacts").put("contacts", contacts));
        return true;
    }

    /** Replaces whatever was waiting for this unit: a slow map skips intermediate fixes, never the newest. */
    void offer(EncodedUnit encoded) {
        JsonObject unit = encoded.unit();
        String id = unit.getString("id");
        if (!visibility.seesUnit(id)) {
            return;
        }
        if (inBox(unit)) {
            pending.put(id, encoded);
            if (bbox != null) {
                inside.add(id);
            }
        } else if (inside.remove(id)) {
            pending.put(id, encoded);
        }
    }

    /** Sends what is waiting unless the socket is still busy with earlier frames. */
    boolean flush() {
        if (pending.isEmpty() || socket.busy()) {
            return false;
        }
        // {"type":"positions","units":[...]}, each unit's JSON made once for all the maps it goes to.
        StringBuilder frame = new StringBuilder(64 + pending.size() * 200).append(POSITIONS_HEAD);
        boolean first = true;
        for (EncodedUnit unit : pending.values()) {
            if (!first) {
                frame.append(',');
            }
            frame.append(unit.json());
            first = false;
        }
        pending.clear();
        send(frame.append("]}").toString());
        return true;
    }

    void send(JsonObject frame) {
        socket.send(frame.encode());
    }

    void send(String frame) {
        socket.send(frame);
    }

    /** Counts a message from the map; false once it sends more than {@code perSecond} in a second. */
    boolean withinRate(int perSecond) {
        long second = System.currentTimeMillis() / 1000;
        if (second != rateWindow) {
            rateWindow = second;
            inWindow = 0;
        }
        return ++inWindow <= perSecond;
    }

    /** The node is stopping: what waits is sent, then the close frame (1001), and the map reconnects elsewhere. */
    void goingAway() {
        flush();
        socket.close(Drain.GOING_AWAY, "server stopping");
    }

    /** Closes a map that breaks the protocol's limits, with the reason in the close frame (1008, policy). */
    void refuse(String reason) {
        if (!raw.isClosed()) {
            raw.close((short) 1008, reason.length() > 120 ? reason.substring(0, 120) : reason);
        }
    }
}
