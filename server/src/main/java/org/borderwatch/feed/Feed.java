package org.borderwatch.feed;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.borderwatch.Times;
import org.borderwatch.bus.Addresses;
import org.borderwatch.contact.ContactStatus;
import org.borderwatch.contact.ContactStore;
import org.borderwatch.track.UnitStatus;
import org.borderwatch.track.UnitStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one outbound feed of a node, as every door encodes it (map WebSockets, CoT, MQTT): the latest position of
 * every unit, positions as they move forward, status changes (live, stale, lost), alerts, their acknowledgements and
 * updates, detections and tasks, and (for a door that asks) contacts. Each door's verticle starts its own on its own
 * context, so no state is shared between threads; listeners are called on that context.
 * A unit object is API.md §7's "U": {@code {"id","type","lat","lon","time","speed","heading","status"}}.
 */
public final class Feed {

    /** What a door does with the feed. Every method has a no-op default: doors take what they encode. */
    public interface Listener {
        /** Units whose newest position moved forward, with their status; never older than what was sent. */
        default void positions(List<JsonObject> units) {
        }

        default void status(JsonObject unit, String status) {
        }

        default void alert(JsonObject alert) {
        }

        /** An alert's first acknowledgement, as {@code Addresses.ALERT_ACKED} carries it. */
        default void ack(JsonObject ack) {
        }

        /** {@code {"op":"upsert","feature":F}} or {@code {"op":"delete","id":…}}. */
        default void geofence(JsonObject change) {
        }

        /** An alert that changed after it was raised (incident grown, assigned, arrived): the whole alert. */
        default void alertUpdated(JsonObject alert) {
        }

        /** A detection (API.md §10 "D"). */
        default void detection(JsonObject detection) {
        }

        /** A task for one unit: {@code {"unitId","task":{…}}}. */
        default void task(JsonObject task) {
        }

        /**
         * Contacts (API.md §7 "C") that moved forward or changed status; one {@code dropped} leaves the live
         * picture. Only for a feed that {@link #trackContacts tracks contacts}.
         */
        default void contacts(List<JsonObject> contacts) {
        }
    }

    private static final long STATUS_INTERVAL_MS = 1000;

    private final Vertx vertx;
    private final UnitStore store;
    private final int staleSeconds;
    private final Map<String, JsonObject> latest = new HashMap<>();
    /** The live picture of contacts, by id; null unless this feed tracks contacts. */
    private Map<String, JsonObject> contacts;
    private ContactStore contactStore;
    private int contactStaleSeconds;
    private final List<Listener> listeners = new ArrayList<>();
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private long timer = -1;

    public Feed(Vertx vertx, UnitStore store, int staleSeconds) {
        this.vertx = vertx;
        this.store = store;
        this.staleSeconds = staleSeconds;
    }

    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /** Makes this feed carry contacts too, judged stale after {@code staleSeconds}; call before {@link #start}. */
    public Feed trackContacts(ContactStore store, int staleSeconds) {
        this.contactStore = store;
        this.contactStaleSeconds = staleSeconds;
        this.contacts = new HashMap<>();
        return this;
    }

    /** Subscribes to the node's streams and loads the last-known positions; call on the owning verticle's context. */
    public Future<Void> start() {
        consumers.add(vertx.eventBus().<JsonArray>consumer(Addresses.LIVE_POSITIONS, msg -> onPositions(msg.body())));
        consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.ALERTS,
                msg -> listeners.forEach(l -> l.alert(msg.body()))));
        consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.ALERT_ACKED,
                msg -> listeners.forEach(l -> l.ack(msg.body()))));
        consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.GEOFENCE_CHANGED,
                msg -> listeners.forEach(l -> l.geofence(msg.body()))));
        consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.ALERT_UPDATED,
                msg -> listeners.forEach(l -> l.alertUpdated(msg.body()))));
        consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.DETECTIONS,
                msg -> listeners.forEach(l -> l.detection(msg.body()))));
        consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.TASKS,
                msg -> listeners.forEach(l -> l.task(msg.body()))));
        timer = vertx.setPeriodic(STATUS_INTERVAL_MS, id -> refreshStatuses());
        Future<Void> contactsLoaded = Future.succeededFuture();
        if (contactStore != null) {
            consumers.add(vertx.eventBus().<JsonArray>consumer(Addresses.LIVE_CONTACTS,
                    msg -> onContacts(msg.body())));
            contactsLoaded = contactStore.recent(contactStaleSeconds * ContactStatus.DROP_FACTOR)
                    .map(recent -> {
                        Instant now = Instant.now();
                        // A contact that moved while loading is newer than the table's: keep it.
                        recent.forEach(c -> contacts.putIfAbsent(c.getString("id"), c.put("status",
                                ContactStatus.of(Times.parse(c.getString("time")), now, contactStaleSeconds)
                                        .wireName())));
                        return null;
                    });
        }
        return contactsLoaded.compose(v -> store.lastKnown()).map(collection -> {
            for (Object item : collection.getJsonArray("features")) {
                JsonObject feature = (JsonObject) item;
                JsonObject props = feature.getJsonObject("properties");
                JsonArray coordinates = feature.getJsonObject("geometry").getJsonArray("coordinates");
                // A position that arrived while loading is newer than the table's: keep it.
                latest.putIfAbsent(props.getString("id"), new JsonObject()
                        .put("id", props.getString("id"))
                        .put("type", props.getString("type"))
                        .put("lat", coordinates.getDouble(1))
                        .put("lon", coordinates.getDouble(0))
                        .put("time", props.getString("time"))
                        .put("speed", props.getDouble("speed"))
                        .put("heading", props.getDouble("heading"))
                        .put("status", props.getString("status")));
            }
            return null;
        });
    }

    /** Every contact in the live picture, for a new client's first picture. Do not modify the objects. */
    public Collection<JsonObject> contacts() {
        return contacts == null ? List.of() : Collections.unmodifiableCollection(contacts.values());
    }

    private void onContacts(JsonArray moved) {
        Instant now = Instant.now();
        List<JsonObject> changed = new ArrayList<>(moved.size());
        for (Object item : moved) {
            JsonObject contact = ((JsonObject) item).copy();
            JsonObject before = contacts.get(contact.getString("id"));
            if (before != null && before.getString("time").compareTo(contact.getString("time")) >= 0) {
                continue;
            }
            ContactStatus status = ContactStatus.of(Times.parse(contact.getString("time")), now,
                    contactStaleSeconds);
            if (status == ContactStatus.DROPPED) {
                continue; // a late fix of a contact long gone: in its trail, not on the map
            }
            contact.put("status", status.wireName());
            contacts.put(contact.getString("id"), contact);
            changed.add(contact);
        }
        if (!changed.isEmpty()) {
            listeners.forEach(l -> l.contacts(changed));
        }
    }

    /** Every unit's latest position, for a new client's first picture. Do not modify the objects. */
    public Collection<JsonObject> units() {
        return Collections.unmodifiableCollection(latest.values());
    }

    public JsonObject unit(String id) {
        return latest.get(id);
    }

    private void onPositions(JsonArray positions) {
        Instant now = Instant.now();
        List<JsonObject> moved = new ArrayList<>(positions.size());
        for (Object item : positions) {
            JsonObject unit = ((JsonObject) item).copy();
            JsonObject before = latest.get(unit.getString("id"));
            if (before != null && before.getString("time").compareTo(unit.getString("time")) >= 0) {
                continue;
            }
            String status = UnitStatus.of(Times.parse(unit.getString("time")), now, staleSeconds).wireName();
            unit.put("status", status);
            latest.put(unit.getString("id"), unit);
            moved.add(unit);
            if (before != null && !status.equals(before.getString("status"))) {
                listeners.forEach(l -> l.status(unit, status));
            }
        }
        if (!moved.isEmpty()) {
            listeners.forEach(l -> l.positions(moved));
        }
    }

    private void refreshStatuses() {
        Instant now = Instant.now();
        if (contacts != null) {
            List<JsonObject> changed = new ArrayList<>();
            for (Iterator<JsonObject> it = contacts.values().iterator(); it.hasNext(); ) {
                JsonObject contact = it.next();
                String status = ContactStatus.of(Times.parse(contact.getString("time")), now, contactStaleSeconds)
                        .wireName();
                if (!status.equals(contact.getString("status"))) {
                    contact.put("status", status);
                    changed.add(contact);
                    if (status.equals(ContactStatus.DROPPED.wireName())) {
                        it.remove();
                    }
                }
            }
            if (!changed.isEmpty()) {
                listeners.forEach(l -> l.contacts(changed));
            }
        }
        for (JsonObject unit : latest.values()) {
            String status = UnitStatus.of(Times.parse(unit.getString("time")), now, staleSeconds).wireName();
            if (!status.equals(unit.getString("status"))) {
                unit.put("status", status);
                listeners.forEach(l -> l.status(unit, status));
            }
        }
    }

    public Future<Void> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
    }
}
